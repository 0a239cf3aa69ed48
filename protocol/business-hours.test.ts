import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { isWithinBusinessHours, nextOpening, type BusinessHours } from './business-hours.ts'

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

test.run()
