import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { formatContactName, visitorNumber } from './contact-name.ts'

test('a contact goes by their name, else their email, else a stable visitor number', () => {
  assert.is(formatContactName({ id: 'v1', name: ' Vera ', email: 'v@example.com' }), 'Vera')
  assert.is(formatContactName({ id: 'v1', email: 'v@example.com' }), 'v@example.com')
  const anonymous = formatContactName({ id: 'visitor-abc' })
  assert.match(anonymous, /^Visitor #\d{4}$/)
  assert.is(formatContactName({ id: 'visitor-abc', name: '  ' }), anonymous, 'the same visitor, the same number')
  assert.is.not(formatContactName({ id: 'visitor-abd' }), anonymous)
  assert.is(formatContactName(undefined), 'Visitor')
})

test('visitor numbers spread over 1000–9999', () => {
  const numbers = new Set(Array.from({ length: 200 }, (_, i) => visitorNumber(`v-${i}`)))
  assert.ok(numbers.size > 190, `only ${numbers.size} distinct numbers for 200 visitors`)
  for (const n of numbers) assert.ok(n >= 1000 && n <= 9999)
})

test.run()
