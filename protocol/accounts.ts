/** Wire bodies of workspaces, invitations, passwords, sessions and email (issue 15). */
import * as v from 'valibot'

const text = (min: number, max: number) => v.pipe(v.string(), v.trim(), v.minLength(min, 'must not be empty'), v.maxLength(max, `must be at most ${max} characters`))
const email = v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email('must be an email address'), v.maxLength(320))
const newPassword = v.pipe(v.string(), v.minLength(10, 'must be at least 10 characters'), v.maxLength(1000))
const linkToken = v.pipe(v.string(), v.regex(/^p[irv]_[A-Za-z0-9_-]{20,100}$/, 'must be the token from the link'))

export const INVITE_ROLES = ['admin', 'agent', 'viewer'] as const
export const InviteBody = v.strictObject({ email, role: v.picklist(INVITE_ROLES, 'must be admin, agent or viewer') })
export const AcceptInviteBody = v.strictObject({ token: linkToken, name: v.optional(text(1, 200)), password: v.optional(newPassword) })
export const InviteTokenQuery = v.strictObject({ token: linkToken })
export const ResetRequestBody = v.strictObject({ email })
export const ResetPasswordBody = v.strictObject({ token: linkToken, password: newPassword })
/** `password`: only when the server sends no email; with email it is chosen when the emailed link is used. */
export const SignUpBody = v.strictObject({ email, name: text(1, 200), password: v.optional(newPassword), workspaceName: text(1, 200) })
export const SignUpTokenQuery = v.strictObject({ token: linkToken })
export const CompleteSignUpBody = v.strictObject({ token: linkToken, password: newPassword })
export const CreateWorkspaceBody = v.strictObject({ name: text(1, 200) })
export const SwitchWorkspaceBody = v.strictObject({ workspaceId: text(1, 100) })

export const NOTIFICATION_KINDS = ['assigned', 'customerReplied', 'slaWarning'] as const
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number]
export type NotificationPrefs = Record<NotificationKind, boolean>
/** Every one on until the agent turns it off. */
export const DEFAULT_NOTIFICATIONS: NotificationPrefs = { assigned: true, customerReplied: true, slaWarning: true }
export const NotificationPrefsBody = v.strictObject({ assigned: v.optional(v.boolean()), customerReplied: v.optional(v.boolean()), slaWarning: v.optional(v.boolean()) })

export const EmailReplyBody = v.strictObject({ messageId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_:.-]{8,80}$/, 'must be a message id')) })
export const TranscriptRequestBody = v.strictObject({ email: v.optional(email) })

/** What the widget learns about email: whether a reply by email is something Parley can do. */
export interface EmailCapability { email: boolean }
