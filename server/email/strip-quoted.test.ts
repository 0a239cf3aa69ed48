import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { stripQuoted } from './strip-quoted.ts'

test('a Gmail reply keeps only what is new', () => {
  const text = 'Thanks, that worked!\n\nOn Tue, 1 Dec 2026 at 14:02, Ada from Acme <support@acme.test> wrote:\n> Try turning it off and on.\n> Ada\n'
  assert.is(stripQuoted(text), 'Thanks, that worked!')
})

test('a two-line attribution, a German one, Outlook and a signature are cut', () => {
  assert.is(stripQuoted('Yes please.\n\nOn Tue, 1 Dec 2026 at 14:02, Ada <support@acme.test>\nwrote:\n> old'), 'Yes please.')
  assert.is(stripQuoted('Danke!\n\nAm 01.12.2026 um 14:02 schrieb Ada <support@acme.test>:\n> alt'), 'Danke!')
  assert.is(stripQuoted('Merci\r\n\r\n-----Original Message-----\r\nFrom: Ada\r\nSent: today'), 'Merci')
  assert.is(stripQuoted('Sure.\n-- \nBob Builder\nCEO'), 'Sure.')
})

test('inline quotes are dropped, the answers between them kept', () => {
  assert.is(stripQuoted('> Which plan?\nPro.\n> Which month?\nMarch.'), 'Pro.\nMarch.')
})

test.run()
