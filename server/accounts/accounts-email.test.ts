/** Invitations and password resets, received from a real SMTP server the test starts. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { api, connectPeer, startTestServer, waitFor, type TestServer } from '../test-kit.ts'
import { formatInboxName } from '../../protocol/index.ts'
import { startTestSmtp, type TestSmtp } from '../email/test-smtp.ts'
import { requestPasswordReset } from './password-reset.ts'

async function withServer(run: (t: TestServer, smtp: TestSmtp) => Promise<void>, env: Record<string, string> = {}) {
  const smtp = await startTestSmtp()
  const t = await startTestServer({ env: { SMTP_URL: smtp.url, EMAIL_FROM: 'Acme Support <support@acme.test>', EMAIL_BACKOFF_MS: '50', ...env } })
  try { await run(t, smtp) } finally { await t.close(); await smtp.close() }
}

const linkIn = (text: string, path: string): string => {
  const match = new RegExp(`https?://[^\\s]+${path}\\?token=([A-Za-z0-9_%-]+)`).exec(text)
  if (!match) throw new Error(`no ${path} link in: ${text}`)
  return decodeURIComponent(match[1] as string)
}

test('an invitation arrives by email; its link sets the password once, a second use is refused', async () => {
  await withServer(async (t, smtp) => {
    const invited = await api(t.url, 'POST', '/api/invitations', { email: 'Nina@Example.com', role: 'agent' }, t.ownerToken)
    assert.is(invited.status, 201)
    assert.is(invited.body.emailed, true)
    assert.is(invited.body.link, undefined, 'the link goes only to the invitee when email works')
    const mail = await waitFor(() => smtp.received.find((m) => m.to && JSON.stringify(m.to).includes('nina@example.com')), 15000, 'the invitation email')
    assert.match(mail.subject ?? '', /invited you to My workspace/)
    assert.match(String(mail.html), /Accept the invitation<\/a>/)
    const token = linkIn(mail.text ?? '', '/accept-invitation')
    assert.is(linkIn(String(mail.html).replace(/&amp;/g, '&'), '/accept-invitation'), token, 'HTML and text carry the same link')

    const shown = await api(t.url, 'GET', `/api/auth/invitation?token=${encodeURIComponent(token)}`)
    assert.equal([shown.status, shown.body.email, shown.body.role, shown.body.hasAccount, shown.body.workspace.name], [200, 'nina@example.com', 'agent', false, 'My workspace'])
    const short = await api(t.url, 'POST', '/api/auth/invitation/accept', { token, name: 'Nina', password: 'short' })
    assert.equal([short.status, short.body.error.field], [400, 'password'])
    const accepted = await api(t.url, 'POST', '/api/auth/invitation/accept', { token, name: 'Nina', password: 'ninas long password' })
    assert.is(accepted.status, 201)
    assert.equal([accepted.body.agent.email, accepted.body.agent.role, accepted.body.workspace.id], ['nina@example.com', 'agent', t.workspaceId])
    const again = await api(t.url, 'POST', '/api/auth/invitation/accept', { token, name: 'Mallory', password: 'mallorys password' })
    assert.equal([again.status, again.body.error.code], [403, 'forbidden'])
    assert.is((await api(t.url, 'GET', `/api/auth/invitation?token=${encodeURIComponent(token)}`)).status, 403)

    const signIn = await api(t.url, 'POST', '/api/auth/sign-in', { email: 'nina@example.com', password: 'ninas long password' })
    assert.is(signIn.status, 200)
    const agents = await api(t.url, 'GET', '/api/agents', undefined, t.ownerToken)
    assert.equal(agents.body.items.map((a: { email: string; role: string }) => `${a.email}:${a.role}`), ['owner@example.com:owner', 'nina@example.com:agent'])
    const delivery = await api(t.url, 'GET', '/api/email/deliveries', undefined, t.ownerToken)
    assert.equal(delivery.body.items.map((d: { kind: string; status: string }) => `${d.kind}:${d.status}`), ['invite:sent'])
    assert.is(delivery.body.items[0].html, undefined, 'the log never shows a live link')
  })
})

test('resend replaces the link, revoke ends it, and an agent cannot invite', async () => {
  await withServer(async (t, smtp) => {
    const first = await api(t.url, 'POST', '/api/invitations', { email: 'omar@example.com', role: 'viewer' }, t.ownerToken)
    await waitFor(() => smtp.received.length === 1, 15000, 'the first invitation')
    const resent = await api(t.url, 'POST', `/api/invitations/${first.body.invitation.id}/resend`, {}, t.ownerToken)
    assert.is(resent.status, 200)
    await waitFor(() => smtp.received.length === 2, 15000, 'the resent invitation')
    const [oldToken, newToken] = smtp.received.map((m) => linkIn(m.text ?? '', '/accept-invitation'))
    assert.is.not(oldToken, newToken)
    assert.is((await api(t.url, 'GET', `/api/auth/invitation?token=${encodeURIComponent(oldToken!)}`)).status, 403, 'the old link is spent')
    const list = await api(t.url, 'GET', '/api/invitations', undefined, t.ownerToken)
    assert.equal(list.body.items.map((i: { email: string; status: string }) => `${i.email}:${i.status}`), ['omar@example.com:pending'])
    assert.is((await api(t.url, 'DELETE', `/api/invitations/${resent.body.invitation.id}`, undefined, t.ownerToken)).status, 200)
    assert.is((await api(t.url, 'POST', '/api/auth/invitation/accept', { token: newToken, name: 'Omar', password: 'omars long password' })).status, 403)
    assert.equal((await api(t.url, 'GET', '/api/invitations', undefined, t.ownerToken)).body.items, [])

    // An agent may not invite; an admin may not make admins.
    const agentInvite = await api(t.url, 'POST', '/api/agents', { email: 'ann@example.com', name: 'Ann', role: 'agent', password: 'anns long password' }, t.ownerToken)
    assert.is(agentInvite.status, 201)
    const ann = (await api(t.url, 'POST', '/api/auth/sign-in', { email: 'ann@example.com', password: 'anns long password' })).body.token
    assert.is((await api(t.url, 'POST', '/api/invitations', { email: 'x@example.com', role: 'agent' }, ann)).status, 403)
    const bad = await api(t.url, 'POST', '/api/invitations', { email: 'not an email', role: 'agent' }, t.ownerToken)
    assert.equal([bad.status, bad.body.error.field], [400, 'email'])
  })
})

test('password reset: the same answer for unknown emails, a single-use link, every session ended', async () => {
  await withServer(async (t, smtp) => {
    const peer = connectPeer(t.wsUrl, formatInboxName(t.workspaceId), t.ownerToken)
    await peer.ready
    const unknown = await api(t.url, 'POST', '/api/auth/password-reset', { email: 'nobody@example.com' })
    const known = await api(t.url, 'POST', '/api/auth/password-reset', { email: 'owner@example.com' })
    assert.equal([unknown.status, unknown.body], [known.status, known.body])
    assert.is(known.status, 202)
    const mail = await waitFor(() => smtp.received.find((m) => m.subject === 'Reset your Parley password'), 15000, 'the reset email')
    assert.match(JSON.stringify(mail.to), /owner@example.com/)
    // Timing: the answer is sent before the account is looked up, for both.
    const times: Record<string, number[]> = { known: [], unknown: [] }
    for (let i = 0; i < 6; i++) {
      for (const [label, email] of [['known', 'owner@example.com'], ['unknown', `nobody${i}@example.com`]] as const) {
        const started = performance.now()
        await api(t.url, 'POST', '/api/auth/password-reset', { email })
        times[label]!.push(performance.now() - started)
      }
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
    assert.ok(Math.abs(median(times.known!) - median(times.unknown!)) < 40, `medians ${median(times.known!)} vs ${median(times.unknown!)} ms`)
    await requestPasswordReset(t.server.services, 'owner@example.com').done
    await waitFor(() => smtp.received.filter((m) => m.subject === 'Reset your Parley password').length === 8, 20000, 'every reset email')
    const tokens = smtp.received.filter((m) => m.subject === 'Reset your Parley password').map((m) => linkIn(m.text ?? '', '/reset-password'))
    const latest = tokens.at(-1) as string
    const older = await api(t.url, 'POST', '/api/auth/password-reset/complete', { token: tokens[0], password: 'a brand new password' })
    assert.is(older.status, 403, 'a newer link replaces the older ones')
    assert.is((await api(t.url, 'POST', '/api/auth/password-reset/complete', { token: latest, password: 'a brand new password' })).status, 200)
    assert.is((await api(t.url, 'POST', '/api/auth/password-reset/complete', { token: latest, password: 'another new password' })).status, 403, 'used once only')
    assert.is((await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).status, 401, 'the old session ended')
    await waitFor(() => peer.closes.some((c) => c.code === 4405), 10000, 'the open socket closed')
    assert.is((await api(t.url, 'POST', '/api/auth/sign-in', { email: 'owner@example.com', password: 'correct horse battery' })).status, 401)
    assert.is((await api(t.url, 'POST', '/api/auth/sign-in', { email: 'owner@example.com', password: 'a brand new password' })).status, 200)
    peer.destroy()
  }, { PASSWORD_RESET_LIMIT_PER_IP: 'off', PASSWORD_RESET_LIMIT_PER_EMAIL: 'off' })
})

test('resets are limited per email, known or not, so nobody floods a mailbox', async () => {
  await withServer(async (t) => {
    for (const email of ['owner@example.com', 'nobody@example.com']) {
      const statuses: number[] = []
      for (let i = 0; i < 4; i++) statuses.push((await api(t.url, 'POST', '/api/auth/password-reset', { email })).status)
      assert.equal(statuses, [202, 202, 202, 429], email)
    }
  })
})

test('without SMTP_URL: no reset by email, invitations hand the link to the inviter, the widget promises no email', async () => {
  const t = await startTestServer()
  try {
    assert.equal((await api(t.url, 'GET', '/api/auth/options')).body, { signUp: false, signUpVerifiesEmail: false, passwordReset: false })
    assert.is((await api(t.url, 'POST', '/api/auth/password-reset', { email: 'owner@example.com' })).status, 400)
    const invited = await api(t.url, 'POST', '/api/invitations', { email: 'zoe@example.com', role: 'agent' }, t.ownerToken)
    assert.equal([invited.status, invited.body.emailed], [201, false])
    assert.match(invited.body.link, /\/accept-invitation\?token=pi_/)
    assert.is((await api(t.url, 'GET', `/api/public/widgets/${t.siteKey}`)).body.email, false)
  } finally { await t.close() }
})

test.run()
