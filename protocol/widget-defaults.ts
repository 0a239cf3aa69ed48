/**
 * A new widget's texts. Kept apart from `wire.ts` (valibot) so the widget can import them: a
 * title or welcome still equal to these was never written by the team, so the widget shows its
 * own translation of it in the visitor's language instead (issue 17); a team's own text is shown
 * as written.
 */
export const DEFAULT_WIDGET_TITLE = 'Chat with us'
export const DEFAULT_WIDGET_WELCOME = 'Hi! How can we help?'
