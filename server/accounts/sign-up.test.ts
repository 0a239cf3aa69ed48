/**
 * Open sign-up with email: one answer for new and known addresses, a verification link (single
 * use) that alone makes the workspace and its owner, "you already have an account" for a known
 * one, in the asker's language; and without email, the documented immediate sign-up.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { testDialects } from '../../db/test-databases.ts'
import { api, startTestServer } from '../test-kit.ts'
import { waitFor } from '../test-kit.ts'
import { startTestSmtp } from '../email/test-smtp.ts'

const linkIn = (text: string): string => {
  const match = /https?:\/\/\S+\/verify-sign-up\?token=([A-Za-z0-9_%-]+)/.exec(text)
  if (!match) throw new Error(`no sign-up link in: ${text}`)
  return decodeURIComponent(match[1] as string)
}

for (const dialect of testDialects()) {
  test(`${dialect}: sign-up answers the same for new and known emails; the emailed link alone makes the workspace, once`, async () => {
    const smtp = await startTestSmtp()
    const t = await startTestServer({ dialect, env: { PARLEY_SIGNUP: 'open', SMTP_URL: smtp.url, EMAIL_FROM: 'Parley <parley@example.com>' } })
    try {
      assert.equal((await api(t.url, 'GET', '/api/auth/options')).body, { signUp: true, signUpVerifiesEmail: true, passwordReset: true })
      const signUp = (email: string, language = 'en-GB') => fetch(`${t.url}/api/auth/sign-up`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': language }, body: JSON.stringify({ email, name: 'Nora New', workspaceName: 'Nora Ltd' }),
      }).then(async (r) => ({ status: r.status, body: await r.json() }))
      const fresh = await signUp('nora@example.com')
      const known = await signUp('owner@example.com')
      assert.equal(fresh, known, 'one answer whether or not the email has an account')
      assert.is(fresh.status, 202)
      assert.is((await api(t.url, 'POST', '/api/auth/sign-up', { email: 'x@example.com', name: 'X', workspaceName: 'X', password: 'a long password' })).body.error.field, 'password', 'the password is chosen with the link')
      assert.is((await api(t.url, 'POST', '/api/auth/sign-up', { email: 'not-an-email', name: 'X', workspaceName: 'X' })).body.error.field, 'email')

      const toOwner = await waitFor(() => smtp.received.find((m) => JSON.stringify(m.to).includes('owner@example.com')), 15000, 'the known address\'s email')
      assert.is(toOwner.subject, 'You already have a Parley account')
      assert.not.match(toOwner.text ?? '', /verify-sign-up/, 'no link that would make anything')
      const toNora = await waitFor(() => smtp.received.find((m) => JSON.stringify(m.to).includes('nora@example.com')), 15000, 'the verification email')
      assert.is(toNora.subject, 'Confirm your email to create Nora Ltd on Parley')
      const token = linkIn(toNora.text ?? '')
      // Nothing is made before the link is used.
      const db = t.server.services.db.kysely
      assert.is(await db.selectFrom('agents').select('id').where('email', '=', 'nora@example.com').executeTakeFirst(), undefined)
      assert.is(await db.selectFrom('workspaces').select('id').where('name', '=', 'Nora Ltd').executeTakeFirst(), undefined)

      const shown = await api(t.url, 'GET', `/api/auth/sign-up/verify?token=${encodeURIComponent(token)}`)
      assert.equal([shown.status, shown.body.email, shown.body.workspaceName], [200, 'nora@example.com', 'Nora Ltd'])
      assert.is((await api(t.url, 'POST', '/api/auth/sign-up/verify', { token, password: 'short' })).body.error.field, 'password')
      const [first, second] = await Promise.all([0, 1].map(() => api(t.url, 'POST', '/api/auth/sign-up/verify', { token, password: 'noras long password' })))
      assert.equal([first!.status, second!.status].sort(), [201, 403], 'the link works once, even raced')
      const made = (first!.status === 201 ? first : second)!.body
      assert.equal([made.workspace.name, made.agent.role, made.agent.email], ['Nora Ltd', 'owner', 'nora@example.com'])
      assert.is((await api(t.url, 'GET', '/api/widgets', undefined, made.token)).body.items.length, 1, 'a working desk at once')
      assert.is((await api(t.url, 'POST', '/api/auth/sign-in', { email: 'nora@example.com', password: 'noras long password' })).status, 200)
      assert.is((await api(t.url, 'GET', `/api/auth/sign-up/verify?token=${encodeURIComponent(token)}`)).status, 403, 'a spent link shows nothing')

      // Signing up again with the now-known address: the same 202, and an "already" email, in the asker's language.
      const again = await signUp('nora@example.com', 'de-DE,de;q=0.9')
      assert.equal(again, fresh)
      const german = await waitFor(() => smtp.received.filter((m) => JSON.stringify(m.to).includes('nora@example.com'))[1], 15000, 'the second email to Nora')
      assert.is(german.subject, 'Sie haben bereits ein Parley-Konto')
    } finally { await t.close(); await smtp.close() }
  })
}

test('without email: sign-up makes the workspace at once, and (documented) tells a known email so', async () => {
  const t = await startTestServer({ env: { PARLEY_SIGNUP: 'open' } })
  try {
    assert.equal((await api(t.url, 'GET', '/api/auth/options')).body, { signUp: true, signUpVerifiesEmail: false, passwordReset: false })
    const made = await api(t.url, 'POST', '/api/auth/sign-up', { email: 'nora@example.com', name: 'Nora', workspaceName: 'Nora Ltd', password: 'noras long password' })
    assert.equal([made.status, made.body.workspace.name], [201, 'Nora Ltd'])
    assert.is((await api(t.url, 'POST', '/api/auth/sign-up', { email: 'nora@example.com', name: 'Nora', workspaceName: 'Again', password: 'noras long password' })).status, 409)
    assert.is((await api(t.url, 'POST', '/api/auth/sign-up', { email: 'sam@example.com', name: 'Sam', workspaceName: 'Sam Ltd' })).body.error.field, 'password')
  } finally { await t.close() }
})

test.run()
