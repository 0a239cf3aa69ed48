import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { CUSTOMER_EMAIL_LANGUAGES, EMAIL_MESSAGES, emailMessage } from './email-messages.ts'

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

test('every email sentence, in every language, has the placeholders of its English', () => {
  for (const [key, table] of Object.entries(EMAIL_MESSAGES) as [string, Record<string, string>][]) {
    for (const language of CUSTOMER_EMAIL_LANGUAGES) {
      assert.ok(table[language], `${key} has ${language}`)
      assert.equal(placeholders(table[language]!), placeholders(table.en!), `${key} in ${language}`)
    }
  }
})

test('agent sentences are translated; a language we lack falls back to English', () => {
  assert.is(emailMessage('slaSubject', 'de', { workspace: 'Acme', subject: 'Rechnung' }), '[Acme] SLA läuft bald ab: Rechnung')
  assert.is(emailMessage('resetSubject', 'ja'), 'Reset your Parley password')
})

test.run()
