import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { UI_LOCALES, createTranslator, formatMessage, negotiateLocale } from './i18n.ts'

test('placeholders are filled; a missing value stays visible', () => {
  assert.is(formatMessage('Hello {name}, you are {n}.', { name: 'Ana', n: 3 }), 'Hello Ana, you are 3.')
  assert.is(formatMessage('Hello {name}'), 'Hello {name}')
})

test('plurals follow the language: English one/other, exact =0, French 0 and 1 are singular', () => {
  const changes = '{n, plural, =0 {nothing waits} one {# change} other {# changes}}'
  assert.is(formatMessage(changes, { n: 0 }, 'en'), 'nothing waits')
  assert.is(formatMessage(changes, { n: 1 }, 'en'), '1 change')
  assert.is(formatMessage(changes, { n: 1200 }, 'en'), '1,200 changes')
  assert.is(formatMessage('{n, plural, one {# modification} other {# modifications}}', { n: 1 }, 'fr'), '1 modification')
  assert.is(formatMessage('Syncing {n, plural, one {# change for {who}} other {# changes for {who}}}.', { n: 2, who: 'Bo' }, 'de'), 'Syncing 2 changes for Bo.')
  assert.is(formatMessage('{n, plural, one {# Änderung} other {# Änderungen}}', { n: 1200 }, 'de'), '1.200 Änderungen')
})

test('the browser decides: region tags match their language, the first supported one wins', () => {
  assert.is(negotiateLocale(['de-AT', 'en'], UI_LOCALES, 'en'), 'de')
  assert.is(negotiateLocale(['nl-NL', 'pt-BR'], UI_LOCALES, 'en'), 'pt')
  assert.is(negotiateLocale(['ja'], UI_LOCALES, 'en'), 'en')
  assert.is(negotiateLocale([undefined, 'es_ES'], UI_LOCALES, 'en'), 'es')
})

test('a translator falls back to the source language, then to the key itself', () => {
  const t = createTranslator<'a' | 'b' | 'c'>({ a: 'Eins' }, 'de', { a: 'One', b: 'Two' })
  assert.is(t('a'), 'Eins')
  assert.is(t('b'), 'Two')
  assert.is(t('c'), 'c')
})

test.run()
