/** The Reports page's state, kept in its URL: date range (a preset or custom days), filters, comparison. */
import { addDays, daysBetween, todayIn } from '../../../protocol/index.ts'

/** Range presets; each one's name is `reports.preset.<key>` in the app's strings. */
export const PRESETS = { today: 1, '7d': 7, '30d': 30, month: 0, 'last-month': 0, custom: 0 } as const
export type Preset = keyof typeof PRESETS

/** The filters, each kept in the URL and sent to the API under its own name ('' is all). */
export const FILTER_KEYS = ['inbox', 'team', 'widget', 'agent', 'category', 'priority'] as const
export type FilterKey = (typeof FILTER_KEYS)[number]

export interface ReportState extends Record<FilterKey, string> {
  preset: Preset; from: string; to: string
  compare: boolean
}

export function rangeOf(preset: Exclude<Preset, 'custom'>, timeZone: string, now = Date.now()): { from: string; to: string } {
  const today = todayIn(timeZone, now)
  switch (preset) {
    case 'today': return { from: today, to: today }
    case '7d': return { from: addDays(today, -6), to: today }
    case '30d': return { from: addDays(today, -29), to: today }
    case 'month': return { from: `${today.slice(0, 8)}01`, to: today }
    case 'last-month': { const end = addDays(`${today.slice(0, 8)}01`, -1); return { from: `${end.slice(0, 8)}01`, to: end } }
  }
}

/** The state a URL says, the range resolved in the workspace's zone. */
export function readState(params: URLSearchParams, timeZone: string): ReportState {
  const preset = (Object.keys(PRESETS) as Preset[]).find((p) => p === params.get('preset')) ?? (params.get('from') ? 'custom' : '7d')
  const valid = (d: string | null) => (d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : null)
  const range = preset === 'custom'
    ? { from: valid(params.get('from')) ?? rangeOf('7d', timeZone).from, to: valid(params.get('to')) ?? todayIn(timeZone) }
    : rangeOf(preset, timeZone)
  return {
    preset, ...range,
    ...(Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? ''])) as Record<FilterKey, string>),
    compare: params.get('compare') !== '0',
  }
}

/** The page's URL for a state (only what differs from the defaults). */
export function stateHref(state: ReportState): string {
  const p = new URLSearchParams()
  if (state.preset !== '7d') p.set('preset', state.preset)
  if (state.preset === 'custom') { p.set('from', state.from); p.set('to', state.to) }
  for (const key of FILTER_KEYS) if (state[key]) p.set(key, state[key])
  if (!state.compare) p.set('compare', '0')
  const q = p.toString()
  return q ? `/reports?${q}` : '/reports'
}

/** The API query for a state's range and filters. */
export function apiQuery(state: ReportState, timeZone: string, range = { from: state.from, to: state.to }): string {
  const p = new URLSearchParams({ from: range.from, to: range.to, tz: timeZone })
  for (const key of FILTER_KEYS) if (state[key]) p.set(key, state[key])
  return p.toString()
}

/** The period of the same length just before. */
export function previousRange(from: string, to: string): { from: string; to: string } {
  const n = daysBetween(from, to)
  return { from: addDays(from, -n), to: addDays(from, -1) }
}
