/**
 * Time-zone arithmetic for reports: a calendar day in the workspace's zone as milliseconds, and
 * a range cut into stretches of one UTC offset, so SQL can bucket timestamps by local hour with
 * plain integer arithmetic (the same on SQLite and PostgreSQL) and DST still lands right.
 */

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    formatters.set(timeZone, f)
  }
  return f
}

export function isTimeZone(timeZone: string): boolean {
  try { formatter(timeZone); return true } catch { return false }
}

/** The zone's offset from UTC at an instant, in milliseconds (local = utc + offset). */
export function offsetAt(timeZone: string, at: number): number {
  const p = Object.fromEntries(formatter(timeZone).formatToParts(new Date(at)).map((x) => [x.type, x.value]))
  const local = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second))
  return local - Math.floor(at / 1000) * 1000
}

/** Midnight starting a local date (`YYYY-MM-DD`) in the zone, as an instant. */
export function startOfLocalDay(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const guess = Date.UTC(y, m - 1, d)
  // Twice: the offset at the guess can differ from the offset at the answer across a DST change.
  const first = guess - offsetAt(timeZone, guess)
  return guess - offsetAt(timeZone, first)
}

/** The local date (`YYYY-MM-DD`) of an instant. */
export function localDate(at: number, timeZone: string): string {
  return new Date(at + offsetAt(timeZone, at)).toISOString().slice(0, 10)
}

export interface OffsetStretch { from: number; to: number; offset: number }

const HOUR = 3_600_000

/** [from, to) cut where the zone's offset changes (found to the hour: zones change on the hour or half hour). */
export function offsetStretches(timeZone: string, from: number, to: number): OffsetStretch[] {
  const out: OffsetStretch[] = []
  let start = from
  let offset = offsetAt(timeZone, from)
  const DAY = 24 * HOUR
  for (let probe = from + DAY; start < to; probe += DAY) {
    const end = Math.min(probe, to)
    const next = offsetAt(timeZone, end)
    if (next !== offset || end === to) {
      // Narrow the change down to the hour within the last day.
      let change = end
      if (next !== offset) { change = end - DAY; while (change < end && offsetAt(timeZone, change + HOUR) === offset) change += HOUR; change = Math.min(change + HOUR, end) }
      // Half-hour changes: check the half hour before the found hour.
      if (next !== offset && offsetAt(timeZone, change - HOUR / 2) !== offset) change -= HOUR / 2
      out.push({ from: start, to: end === to && next === offset ? to : change, offset })
      start = end === to && next === offset ? to : change
      offset = offsetAt(timeZone, start)
      if (start >= to) break
      probe = start
    }
  }
  return out.filter((s) => s.to > s.from)
}
