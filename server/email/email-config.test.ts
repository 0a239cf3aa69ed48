import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { ConfigError, loadConfig } from '../config.ts'

const problems = (env: Record<string, string>): string[] => {
  try { loadConfig(env); return [] } catch (error) { return (error as ConfigError).problems }
}

test('email and sign-up settings: defaults, and one clear message per bad value', () => {
  const config = loadConfig({})
  assert.equal([config.email.smtpUrl, config.email.from, config.signup, config.inviteTtlMs, config.resetTtlMs], [null, 'Parley <parley@localhost>', 'owner', 72 * 3600_000, 3600_000])
  assert.equal(config.accountLimits.resetPerEmail, { points: 3, seconds: 900 })
  assert.is(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.com:465', EMAIL_FROM: 'Acme <help@acme.test>' }).email.smtpUrl, 'smtps://u:p@mail.example.com:465')
  assert.equal(problems({ SMTP_URL: 'http://mail.example.com' }), ['SMTP_URL: must start with smtp: or smtps://'])
  assert.equal(problems({ PARLEY_SIGNUP: 'everyone' }), ['PARLEY_SIGNUP="everyone": must be owner, open, invite-only or disabled'])
  assert.match(problems({ EMAIL_FROM: 'not an address' })[0] ?? '', /^EMAIL_FROM="not an address": must be an email address/)
  assert.match(problems({ PASSWORD_RESET_LIMIT_PER_EMAIL: 'lots' })[0] ?? '', /^PASSWORD_RESET_LIMIT_PER_EMAIL="lots": must be like 20\/10s/)
  assert.equal(problems({ EMAIL_ATTEMPTS: '0' }), ['EMAIL_ATTEMPTS="0": must be a whole number from 1 to 50'])
  assert.is(loadConfig({ PASSWORD_RESET_LIMIT_PER_IP: 'off' }).accountLimits.resetPerIp, null)
})

test.run()
