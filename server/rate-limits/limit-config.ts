/**
 * Every rate limit's environment variable and default (issue 10, items 5 and 6). The defaults
 * sit far above what a person does (a visitor types a message every second or so at most, a page
 * opens a session or two, an office shares one address) and far below what a script does (the
 * issue measured 600 messages in 1 s, 300 sessions in 0.6 s, 200 conversations from one visitor).
 */
import { parseLimitRule, type LimitRule } from './limit-rule.ts'

/** What the widget does that costs the server work or storage. `forms`: leave-a-message, rating, pre-chat. */
export type WidgetAction = 'sessions' | 'conversations' | 'messages' | 'uploads' | 'forms'
/** Who a widget limit counts: one visitor token, one client address, one site (the workspace the site key belongs to). */
export type WidgetScope = 'visitor' | 'ip' | 'site'

export type WidgetLimitConfig = Record<WidgetAction, Partial<Record<WidgetScope, LimitRule | null>>>

export interface SignInLimitConfig {
  /** Wrong tries at one account from one address; a success starts the count again. */
  perIpEmail: LimitRule | null
  /** Wrong tries from one address whatever the account (a password sprayed over many emails). */
  perIp: LimitRule | null
  /** Wrong tries at one account from anywhere; over it the account is "under attack" (see sign-in-guard.ts). */
  perAccount: LimitRule | null
}

export interface LimitConfig { widget: WidgetLimitConfig; signIn: SignInLimitConfig }

const WIDGET_DEFAULTS: Record<WidgetAction, Partial<Record<WidgetScope, string>>> = {
  sessions: { ip: '30/1m', site: '1200/1m' },
  conversations: { visitor: '10/1m', ip: '60/1m', site: '1200/1m' },
  messages: { visitor: '20/10s', ip: '100/10s', site: '2000/10s' },
  uploads: { visitor: '10/1m', ip: '60/1m', site: '600/1m' },
  forms: { visitor: '10/1m', ip: '60/1m', site: '1200/1m' },
}

const SIGN_IN_DEFAULTS: Record<keyof SignInLimitConfig, [string, string]> = {
  perIpEmail: ['SIGN_IN_LIMIT_PER_IP_EMAIL', '10/15m'],
  perIp: ['SIGN_IN_LIMIT_PER_IP', '50/15m'],
  perAccount: ['SIGN_IN_LIMIT_PER_ACCOUNT', '100/1h'],
}

export const widgetLimitVariable = (action: WidgetAction, scope: WidgetScope): string => `RATE_LIMIT_${action.toUpperCase()}_PER_${scope.toUpperCase()}`

/** Every variable read here (benchmarks set them all to `off`). */
export const LIMIT_VARIABLES: string[] = [
  ...Object.entries(WIDGET_DEFAULTS).flatMap(([action, scopes]) => Object.keys(scopes).map((scope) => widgetLimitVariable(action as WidgetAction, scope as WidgetScope))),
  ...Object.values(SIGN_IN_DEFAULTS).map(([name]) => name),
]

export function readLimitConfig(env: Record<string, string | undefined>, problems: string[]): LimitConfig {
  const rule = (name: string, fallback: string): LimitRule | null => {
    const raw = env[name]
    const parsed = parseLimitRule(raw === undefined || raw === '' ? fallback : raw)
    if (typeof parsed !== 'string') return parsed
    problems.push(`${name}=${JSON.stringify(raw)}: ${parsed}`)
    return parseLimitRule(fallback) as LimitRule | null
  }
  const widget = {} as WidgetLimitConfig
  for (const [action, scopes] of Object.entries(WIDGET_DEFAULTS) as [WidgetAction, Partial<Record<WidgetScope, string>>][]) {
    widget[action] = {}
    for (const [scope, fallback] of Object.entries(scopes) as [WidgetScope, string][]) widget[action][scope] = rule(widgetLimitVariable(action, scope), fallback)
  }
  const signIn = Object.fromEntries(Object.entries(SIGN_IN_DEFAULTS).map(([key, [name, fallback]]) => [key, rule(name, fallback)])) as unknown as SignInLimitConfig
  return { widget, signIn }
}
