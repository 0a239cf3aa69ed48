/**
 * A limit as the configuration spells it: `20/10s` is 20 points per 10 seconds (a fixed window
 * that starts at the first point), `off` is no limit. Read from the environment by limit-config.ts.
 */
export interface LimitRule { points: number; seconds: number }

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600 }
const MAX_SECONDS = 24 * 3600

/** Parses `N/[count]unit` (s, m or h) or `off`; returns an error message naming the expected form otherwise. */
export function parseLimitRule(raw: string): LimitRule | null | string {
  const text = raw.trim().toLowerCase()
  if (text === 'off') return null
  const match = /^(\d+)\s*\/\s*(\d*)\s*([smh])$/.exec(text)
  if (!match) return 'must be like 20/10s or 30/1m (points per seconds, minutes or hours), or off'
  const points = Number(match[1])
  const seconds = (match[2] === '' ? 1 : Number(match[2])) * (UNITS[match[3] as string] as number)
  if (points < 1 || points > 1_000_000) return 'the points must be from 1 to 1000000'
  if (seconds < 1 || seconds > MAX_SECONDS) return 'the period must be from 1s to 24h'
  return { points, seconds }
}

export const formatLimitRule = (rule: LimitRule | null): string => (rule ? `${rule.points}/${rule.seconds}s` : 'off')
