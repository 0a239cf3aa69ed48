import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { checkPrechat, type PrechatField } from './prechat.ts'

const fields: PrechatField[] = [
  { name: 'name', label: 'Name', type: 'text', required: true },
  { name: 'email', label: 'Email', type: 'email', required: true },
  { name: 'order', label: 'Order number', type: 'text', required: false },
]

test('complete values pass; the optional field may be left empty', () => {
  assert.equal(checkPrechat(fields, { name: 'Vera', email: 'vera@example.com' }), {})
})

test('each bad field is named with a readable message', () => {
  assert.equal(checkPrechat(fields, { name: '  ', email: 'not-an-email', colour: 'red' }), {
    name: 'Name is required', email: 'Email must be an email address', colour: 'is not a field of this form',
  })
  assert.equal(checkPrechat(fields, { name: 'x'.repeat(1001), email: 'a@b.co' }), { name: 'Name must be at most 1000 characters' })
})

test.run()
