import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { localDate, offsetAt, offsetStretches, startOfLocalDay } from './time-zone.ts'

test('a local day starts at local midnight, also on the day DST begins', () => {
  assert.is(new Date(startOfLocalDay('2026-03-29', 'Europe/Berlin')).toISOString(), '2026-03-28T23:00:00.000Z')
  assert.is(new Date(startOfLocalDay('2026-03-30', 'Europe/Berlin')).toISOString(), '2026-03-29T22:00:00.000Z')
  assert.is(new Date(startOfLocalDay('2026-07-01', 'UTC')).toISOString(), '2026-07-01T00:00:00.000Z')
  assert.is(localDate(Date.parse('2026-03-29T22:30:00Z'), 'Europe/Berlin'), '2026-03-30')
})

test('a range is cut where the offset changes, at the hour it changes', () => {
  const from = Date.parse('2026-03-27T00:00:00Z')
  const to = Date.parse('2026-04-02T00:00:00Z')
  const stretches = offsetStretches('Europe/Berlin', from, to)
  assert.equal(stretches.map((s) => [new Date(s.from).toISOString(), new Date(s.to).toISOString(), s.offset / 3_600_000]), [
    ['2026-03-27T00:00:00.000Z', '2026-03-29T01:00:00.000Z', 1],
    ['2026-03-29T01:00:00.000Z', '2026-04-02T00:00:00.000Z', 2],
  ])
  assert.equal(offsetStretches('UTC', from, to), [{ from, to, offset: 0 }])
  assert.is(offsetAt('Asia/Kolkata', from), 5.5 * 3_600_000)
})

test.run()
