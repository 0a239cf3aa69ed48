/**
 * Business hours, read in the workspace's time zone: whether it is open now and when it opens
 * next, so the widget can say "We're back Monday 9:00" instead of promising a queue nobody works
 * (issue 17). Pure functions over Intl; shared by the server's availability answer and the bot.
 */
import type { AiSettings } from './wire.ts'

export type BusinessHours = NonNullable<AiSettings['businessHours']>
type Day = keyof BusinessHours['days']

const DAYS: readonly Day[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
const DAY_MS = 86_400_000

interface Wall { year: number; month: number; day: number; weekday: number; hour: number; minute: number }

const isoDate = (w: Pick<Wall, 'year' | 'month' | 'day'>) => `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`
const isHoliday = (hours: BusinessHours, w: Wall) => (hours.holidays ?? []).some((h) => h.date === isoDate(w))

const formats = new Map<string, Intl.DateTimeFormat>()
function wallClock(timeZone: string, at: number): Wall {
  let format = formats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    formats.set(timeZone, format)
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]))
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    weekday: DAYS.indexOf(String(parts.weekday).toLowerCase().slice(0, 3) as Day),
    hour: Number(parts.hour) % 24, minute: Number(parts.minute),
  }
}

/** The instant a wall-clock time (in `timeZone`) happens: the zone's offset, found and checked once more across a DST change. */
function instantOf(timeZone: string, year: number, month: number, day: number, hour: number, minute: number): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute)
  let guess = asUtc
  for (let i = 0; i < 2; i++) {
    const w = wallClock(timeZone, guess)
    const offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(guess / 60_000) * 60_000
    guess = asUtc - offset
  }
  return guess
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

/** Inside the workspace's business hours (always, when none are set). */
export function isWithinBusinessHours(hours: AiSettings['businessHours'], now: Date | number = Date.now()): boolean {
  if (!hours) return true
  const wall = wallClock(hours.timezone, +now)
  const today = hours.days[DAYS[wall.weekday]!]
  if (!today || isHoliday(hours, wall)) return false
  const time = wall.hour * 60 + wall.minute
  return time >= minutes(today.open) && time < minutes(today.close)
}

/** When the business next opens (epoch ms), or null when it is open now, has no hours, or never opens. */
export function nextOpening(hours: AiSettings['businessHours'], now: Date | number = Date.now()): number | null {
  if (!hours || isWithinBusinessHours(hours, now)) return null
  const wall = wallClock(hours.timezone, +now)
  const time = wall.hour * 60 + wall.minute
  // A year ahead at most: holidays can close many days in a row, a week of them is common.
  for (let k = 0; k <= 370; k++) {
    const day = hours.days[DAYS[(wall.weekday + k) % 7]!]
    if (!day || minutes(day.open) >= minutes(day.close)) continue
    if (k === 0 && time >= minutes(day.open)) continue
    // The calendar date k days on, in the zone (noon avoids a DST edge moving the date).
    const date = wallClock(hours.timezone, instantOf(hours.timezone, wall.year, wall.month, wall.day, 12, 0) + k * DAY_MS)
    if (isHoliday(hours, date)) continue
    const open = minutes(day.open)
    return instantOf(hours.timezone, date.year, date.month, date.day, Math.floor(open / 60), open % 60)
  }
  return null
}

/** One day's opening, [open, close) in epoch ms, or null when closed (keyed by the zone's date). */
export type OpeningCache = Map<string, [number, number] | null>

/**
 * How much of [from, to) falls inside business hours (all of it when none are set): the
 * business-hours-aware first-response and resolution times of the reports (issue 14), so a
 * question asked on Friday evening and answered Monday at 9:05 took 5 minutes, not 63 hours.
 * Walks the zone's calendar days; `cache` keeps each day's opening across many calls.
 */
export function businessTimeBetween(hours: AiSettings['businessHours'], from: number, to: number, cache: OpeningCache = new Map()): number {
  if (to <= from) return 0
  if (!hours) return to - from
  const tz = hours.timezone
  const start = wallClock(tz, from)
  const firstNoon = instantOf(tz, start.year, start.month, start.day, 12, 0)
  let total = 0
  // Noon of each day on (a DST change moves it by an hour, never to another date); ten years at most.
  for (let k = 0; k < 3660; k++) {
    const noon = firstNoon + k * DAY_MS
    if (noon - DAY_MS / 2 - 3 * 3600_000 > to) break
    const date = wallClock(tz, noon)
    const key = isoDate(date)
    let opening = cache.get(key)
    if (opening === undefined) {
      const day = hours.days[DAYS[date.weekday]!]
      opening = !day || isHoliday(hours, date) || minutes(day.open) >= minutes(day.close) ? null : [
        instantOf(tz, date.year, date.month, date.day, Math.floor(minutes(day.open) / 60), minutes(day.open) % 60),
        instantOf(tz, date.year, date.month, date.day, Math.floor(minutes(day.close) / 60), minutes(day.close) % 60),
      ]
      cache.set(key, opening)
    }
    if (opening) total += Math.max(0, Math.min(to, opening[1]) - Math.max(from, opening[0]))
  }
  return total
}
