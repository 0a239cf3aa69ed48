import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { businessTimeBetween, isWithinBusinessHours, nextOpening, type BusinessHours } from './business-hours.ts'

const weekdays: BusinessHours = {
  timezone: 'Europe/Berlin',
  days: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, { open: '09:00', close: '17:00' }])) as BusinessHours['days'],
}

test('open on a weekday afternoon in Berlin, closed in the evening and at the weekend', () => {
  assert.ok(isWithinBusinessHours(weekdays, Date.parse('2026-12-01T13:00:00Z'))) // Tue 14:00 Berlin
  assert.not.ok(isWithinBusinessHours(weekdays, Date.parse('2026-12-01T16:30:00Z'))) // Tue 17:30
  assert.not.ok(isWithinBusinessHours(weekdays, Date.parse('2026-12-05T12:00:00Z'))) // Sat
  assert.ok(isWithinBusinessHours(null))
})

test('the next opening: Monday 9:00 from the weekend, tomorrow 9:00 from an evening, today from the early morning', () => {
  assert.is(new Date(nextOpening(weekdays, Date.parse('2026-12-05T12:00:00Z'))!).toISOString(), '2026-12-07T08:00:00.000Z') // Sat → Mon 09:00 CET
  assert.is(new Date(nextOpening(weekdays, Date.parse('2026-12-01T16:30:00Z'))!).toISOString(), '2026-12-02T08:00:00.000Z') // Tue 17:30 → Wed
  assert.is(new Date(nextOpening(weekdays, Date.parse('2026-12-01T05:00:00Z'))!).toISOString(), '2026-12-01T08:00:00.000Z') // Tue 06:00 → today
  assert.is(nextOpening(weekdays, Date.parse('2026-12-01T13:00:00Z')), null, 'open now')
  assert.is(nextOpening(null), null)
  assert.is(nextOpening({ timezone: 'UTC', days: {} }), null, 'never opens')
})

test('across a daylight-saving change: Friday evening before the clocks go forward, Monday opens at 9:00 summer time', () => {
  // 2027-03-28 is the last Sunday of March: Berlin moves to CEST (UTC+2).
  assert.is(new Date(nextOpening(weekdays, Date.parse('2027-03-26T18:00:00Z'))!).toISOString(), '2027-03-29T07:00:00.000Z')
  // New York, a zone behind UTC.
  const ny: BusinessHours = { timezone: 'America/New_York', days: { sat: { open: '10:00', close: '14:00' } } }
  assert.is(new Date(nextOpening(ny, Date.parse('2026-12-01T12:00:00Z'))!).toISOString(), '2026-12-05T15:00:00.000Z')
})

test('holidays close the whole day: not open on one, and the next opening skips it (Christmas Friday → Monday)', () => {
  const christmas: BusinessHours = { ...weekdays, holidays: [{ date: '2026-12-25', name: 'Christmas' }, { date: '2026-12-28' }] }
  assert.not.ok(isWithinBusinessHours(christmas, Date.parse('2026-12-25T10:00:00Z'))) // Fri 11:00 Berlin, a holiday
  assert.ok(isWithinBusinessHours(christmas, Date.parse('2026-12-24T10:00:00Z'))) // Thu, a working day
  // Thu evening → Fri is a holiday, Mon 28 too → Tue 29 09:00 CET.
  assert.is(new Date(nextOpening(christmas, Date.parse('2026-12-24T18:00:00Z'))!).toISOString(), '2026-12-29T08:00:00.000Z')
  // A holiday is a date in the workspace's zone: 23:30 UTC on the 24th is already the 25th in Berlin.
  assert.not.ok(isWithinBusinessHours({ timezone: 'Europe/Berlin', days: { thu: { open: '00:00', close: '23:59' }, fri: { open: '00:00', close: '23:59' } }, holidays: [{ date: '2026-12-25' }] }, Date.parse('2026-12-24T23:30:00Z')))
})

test('business time between two instants: only open hours count, weekends, holidays and DST included', () => {
  const MIN = 60_000
  const H = 60 * MIN
  // Friday 16:50 Berlin to Monday 09:05: 10 minutes on Friday, 5 on Monday.
  assert.is(businessTimeBetween(weekdays, Date.parse('2026-12-04T15:50:00Z'), Date.parse('2026-12-07T08:05:00Z')), 15 * MIN)
  // Inside one open stretch: all of it.
  assert.is(businessTimeBetween(weekdays, Date.parse('2026-12-01T09:00:00Z'), Date.parse('2026-12-01T09:20:00Z')), 20 * MIN)
  // A whole week: five days of eight hours.
  assert.is(businessTimeBetween(weekdays, Date.parse('2026-11-30T00:00:00Z'), Date.parse('2026-12-07T00:00:00Z')), 40 * H)
  // A holiday on the Monday: the answer on Tuesday 09:05 took 15 minutes of business time.
  const withHoliday: BusinessHours = { ...weekdays, holidays: [{ date: '2026-12-07', name: 'Team day' }] }
  assert.is(businessTimeBetween(withHoliday, Date.parse('2026-12-04T15:50:00Z'), Date.parse('2026-12-08T08:05:00Z')), 15 * MIN)
  // Across the change to summer time (Monday 2027-03-29 opens 07:00 UTC).
  assert.is(businessTimeBetween(weekdays, Date.parse('2027-03-26T15:50:00Z'), Date.parse('2027-03-29T07:05:00Z')), 15 * MIN)
  // Entirely outside hours: nothing; no hours set: the plain difference; reversed: nothing.
  assert.is(businessTimeBetween(weekdays, Date.parse('2026-12-05T10:00:00Z'), Date.parse('2026-12-06T10:00:00Z')), 0)
  assert.is(businessTimeBetween(null, 1000, 61_000), 60_000)
  assert.is(businessTimeBetween(weekdays, 2000, 1000), 0)
})

test.run()
