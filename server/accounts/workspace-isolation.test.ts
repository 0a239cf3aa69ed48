/**
 * Two workspaces made by sign-up, through the product: B's agent and B's visitor try every HTTP
 * route (listed from the router, so a new route is swept too, or this test fails naming it) with
 * A's ids, and every document of A. Nothing of A shows in any answer, search or report, and
 * nothing of A changes.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { appendMessage, formatAgentName, formatConversationName, formatInboxName, formatInternalName, parseCloseReason, REPORT_NAMES } from '../../protocol/index.ts'
import { api, connectPeer, startTestServer, waitFor, type TestServer } from '../test-kit.ts'
import { startTestSmtp, type TestSmtp } from '../email/test-smtp.ts'

const SECRETS = ['Alpha team', 'Alpha inbox', 'Alpha hook', 'alpha-hook', 'Alpha key', 'zebra-alpha-secret', 'alpha-customer@a.test', 'alice@a.test', 'Alpha article about quokkas', 'alpha-canned-body', 'alpha-invitee@a.test', 'alpha-upload.txt', 'Alice Alpha']

/** Signing up as a person does with email on: the form, then the emailed link. */
async function signUp(t: TestServer, smtp: TestSmtp, who: string, workspaceName: string) {
  const asked = await api(t.url, 'POST', '/api/auth/sign-up', { email: `${who}`, name: who.startsWith('alice') ? 'Alice Alpha' : 'Bob Beta', workspaceName })
  assert.is(asked.status, 202, JSON.stringify(asked.body))
  const mail = await waitFor(() => smtp.received.find((m) => JSON.stringify(m.to).includes(who) && /verify-sign-up/.test(m.text ?? '')), 15000, `${who}'s sign-up email`)
  const token = decodeURIComponent(/verify-sign-up\?token=(\S+)/.exec(mail.text ?? '')![1]!)
  const made = await api(t.url, 'POST', '/api/auth/sign-up/verify', { token, password: 'a long password 1' })
  assert.is(made.status, 201, JSON.stringify(made.body))
  return made.body as { token: string; agent: { id: string }; workspace: { id: string } }
}

async function populate(t: TestServer, a: { token: string; agent: { id: string }; workspace: { id: string } }) {
  const widget = (await api(t.url, 'GET', '/api/widgets', undefined, a.token)).body.items[0]
  // A webhook first, so the conversation below makes deliveries (to a port nobody listens on).
  const webhook = (await api(t.url, 'POST', '/api/webhooks', { name: 'Alpha hook', url: 'http://127.0.0.1:9/alpha-hook', events: ['conversation.created', 'message.created'] }, a.token)).body
  const apiKey = (await api(t.url, 'POST', '/api/api-keys', { name: 'Alpha key', scope: 'read' }, a.token)).body
  const team = (await api(t.url, 'POST', '/api/teams', { name: 'Alpha team', members: [a.agent.id] }, a.token)).body
  const inbox = (await api(t.url, 'POST', '/api/inboxes', { name: 'Alpha inbox', teamId: team.id }, a.token)).body
  if (!team.id || !inbox.id) throw new Error(`team ${JSON.stringify(team)} / inbox ${JSON.stringify(inbox)}`)
  if (!webhook.id || !apiKey.id) throw new Error(`webhook ${JSON.stringify(webhook)} / key ${JSON.stringify(apiKey)}`)
  const session = (await api(t.url, 'POST', '/api/widget/session', { siteKey: widget.siteKey, name: 'Carla' })).body
  const conversation = (await api(t.url, 'POST', '/api/widget/conversations', { siteKey: widget.siteKey, message: { id: 'alpha-message-1', text: 'my zebra-alpha-secret question' } }, session.token)).body
  await api(t.url, 'POST', `/api/widget/conversations/${conversation.id}/contact`, { email: 'alpha-customer@a.test' }, session.token)
  const upload = await fetch(`${t.url}/api/widget/conversations/${conversation.id}/attachments?name=alpha-upload.txt`, { method: 'POST', headers: { authorization: `Bearer ${session.token}`, 'content-type': 'text/plain' }, body: 'zebra-alpha-secret file' })
  const attachment = await upload.json() as { id: string }
  const peer = connectPeer(t.wsUrl, formatConversationName(conversation.id), a.token)
  await peer.ready
  appendMessage(peer.doc, { id: 'alpha-reply-1', author: { role: 'agent', id: a.agent.id, name: 'Alice Alpha' }, kind: 'message', text: 'zebra-alpha-secret answer', attachments: [], createdAt: Date.now() })
  await waitFor(() => peer.provider.unsyncedChanges === 0, 10000, 'A\'s reply stored')
  peer.destroy()
  const article = (await api(t.url, 'POST', '/api/articles', { title: 'Alpha article about quokkas', body: 'zebra-alpha-secret article' }, a.token)).body
  const canned = (await api(t.url, 'POST', '/api/canned-responses', { shortcut: 'alpha', title: 'Alpha', body: 'alpha-canned-body' }, a.token)).body
  const invitation = (await api(t.url, 'POST', '/api/invitations', { email: 'alpha-invitee@a.test', role: 'agent' }, a.token)).body.invitation
  const delivery = (await api(t.url, 'POST', `/api/conversations/${conversation.id}/email-reply`, { messageId: 'alpha-reply-1' }, a.token)).body
  await api(t.url, 'POST', '/api/settings/email/inbound-token', {}, a.token)
  const sessions = (await api(t.url, 'GET', '/api/auth/sessions', undefined, a.token)).body.items
  const contactId = (await api(t.url, 'GET', '/api/contacts', undefined, a.token)).body.items[0].id
  const attribute = await api(t.url, 'POST', '/api/contact-attributes', { key: 'alpha_plan', label: 'Alpha plan', type: 'text' }, a.token)
  if (attribute.status >= 300) throw new Error(`attribute: ${JSON.stringify(attribute.body)}`)
  await waitFor(async () => (await api(t.url, 'GET', '/api/search?q=zebra', undefined, a.token)).body.items?.length > 0, 20000, 'A\'s search finds its conversation')
  const hookDelivery = await waitFor(async () => (await api(t.url, 'GET', '/api/webhook-deliveries', undefined, a.token)).body.items?.[0], 20000, 'a webhook delivery of A')
  return { widget, conversation, attachment, article, canned, invitation, delivery, sessionId: sessions[0].id as string, contactId: contactId as string, webhook, apiKey, hookDelivery, team, inbox }
}

test('two workspaces made by sign-up cannot see or change each other through any route, document, search, report or file', async () => {
  const smtp = await startTestSmtp()
  const t = await startTestServer({ env: { PARLEY_SIGNUP: 'open', SMTP_URL: smtp.url, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } })
  try {
    const a = await signUp(t, smtp, 'alice@a.test', 'Alpha Co')
    const b = await signUp(t, smtp, 'bob@b.test', 'Beta Co')
    const ids = await populate(t, a)
    const bWidget = (await api(t.url, 'GET', '/api/widgets', undefined, b.token)).body.items[0]
    const bVisitor = (await api(t.url, 'POST', '/api/widget/session', { siteKey: bWidget.siteKey, name: 'Bea' })).body.token as string

    const params: Record<string, (pattern: string) => string> = {
      id: (p) => p.startsWith('/api/agents') ? a.agent.id : p.startsWith('/api/widgets') ? ids.widget.id : p.startsWith('/api/articles') ? ids.article.id
        : p.startsWith('/api/canned') ? ids.canned.id : p.includes('conversations') ? ids.conversation.id : p.startsWith('/api/contacts') ? ids.contactId
          : p.startsWith('/api/invitations') ? ids.invitation.id : p.startsWith('/api/api-keys') ? ids.apiKey.id : p.startsWith('/api/webhooks') ? ids.webhook.id
          : p.startsWith('/api/webhook-deliveries') ? ids.hookDelivery.id : p.startsWith('/api/teams') ? ids.team.id : p.startsWith('/api/inboxes') ? ids.inbox.id : p.startsWith('/api/email/deliveries') ? ids.delivery.id : p.startsWith('/api/auth/sessions') ? ids.sessionId : '(unknown)',
      attachmentId: () => ids.attachment.id, key: () => 'alpha_plan', file: () => 'swagger-ui.css', siteKey: () => ids.widget.siteKey, name: () => 'overview', workspaceId: () => a.workspace.id,
    }
    const bodies: Record<string, unknown> = {
      'POST /api/agents': { email: 'new-agent@b.test', name: 'New', role: 'agent', password: 'a long password 2' },
      'PATCH /api/agents/:id': { name: 'Hacked' }, 'PATCH /api/widgets/:id': { name: 'Hacked' }, 'PATCH /api/articles/:id': { title: 'Hacked' },
      'PATCH /api/contacts/:id': { name: 'Hacked' }, 'POST /api/conversations/:id/email-reply': { messageId: 'alpha-reply-1' },
      'POST /api/widget/conversations/:id/messages': { id: 'beta-message-1', text: 'hi' }, 'POST /api/widget/conversations/:id/contact': { email: 'x@b.test' },
      'POST /api/widget/conversations/:id/csat': { rating: 1 }, 'POST /api/auth/switch': { workspaceId: a.workspace.id },
      'POST /api/widget/conversations': { siteKey: ids.widget.siteKey }, 'POST /api/widget/session': { siteKey: ids.widget.siteKey },
      'POST /api/widget/conversations/:id/attachments': 'beta file',
      // The destructive ones with a body that would do it, were B allowed.
      'POST /api/contacts/:id/erase': { confirm: 'erase' }, 'POST /api/conversations/:id/merge': { into: ids.conversation.id },
      'PATCH /api/contact-attributes/:key': { label: 'Hacked' }, 'PATCH /api/webhooks/:id': { name: 'Hacked' }, 'PATCH /api/teams/:id': { name: 'Hacked' }, 'PATCH /api/inboxes/:id': { name: 'Hacked' },
      'POST /api/conversations/:id/transfer': { agentId: b.agent.id }, 'PUT /api/agents/:id/capacity': { capacity: 9 },
      'POST /api/email/inbound/:workspaceId': `From: alpha-customer@a.test\r\nMessage-ID: <x@b.test>\r\nIn-Reply-To: ${ids.delivery.messageId}\r\n\r\nforged`,
    }
    // Public by design (no workspace data, or keyed by a site key that sits on the customer's site).
    const PUBLIC = new Set(['GET /docs', 'GET /docs/:file', 'GET /api/openapi.json', 'POST /api/widget/session', 'GET /health', 'GET /ready', 'GET /metrics', 'GET /demo', 'GET /api/public/widgets/:siteKey', 'GET /api/public/widgets/:siteKey/availability'])
    // Signing out ends B's own session: swept last, so every other route is tried with a live token.
    const ENDS_B = 'POST /api/auth/sign-out'
    const routes = t.server.routes().sort((x, y) => Number(`${x.method} ${x.pattern}` === ENDS_B) - Number(`${y.method} ${y.pattern}` === ENDS_B))
    assert.ok(routes.length > 50, `${routes.length} routes`)
    const swept: string[] = []
    for (const { method, pattern } of routes) {
      const key = `${method} ${pattern}`
      const path = pattern.replace(/:(\w+)/g, (_, name: string) => {
        const fill = params[name]
        if (!fill) throw new Error(`${key}: no A value for :${name}; add it to this test`)
        const value = fill(pattern)
        if (value === '(unknown)') throw new Error(`${key}: which of A's ids goes in :${name}? add it to this test`)
        return encodeURIComponent(value)
      }) + (pattern === '/api/search' ? '?q=zebra' : pattern === '/api/email/deliveries' ? `?conversation=${ids.conversation.id}` : '')
      for (const [who, token] of [['agent', b.token], ['visitor', bVisitor]] as const) {
        const body = bodies[key] ?? (method === 'GET' || method === 'DELETE' ? undefined : {})
        const response = await fetch(t.url + path, {
          method, headers: { authorization: `Bearer ${token}`, ...(typeof body === 'string' ? { 'content-type': 'text/plain' } : body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
        })
        const text = await response.text()
        assert.ok(response.status < 500, `${key} as B's ${who}: ${response.status} ${text}`)
        if (!PUBLIC.has(key)) for (const secret of SECRETS) assert.not.ok(text.includes(secret), `${key} as B's ${who} shows A's "${secret}": ${text.slice(0, 300)}`)
        assert.not.ok(text.includes(ids.widget.secret ?? '(none)'), `${key} shows A's widget secret`)
      }
      swept.push(key)
      if (key !== ENDS_B) assert.is((await api(t.url, 'GET', '/api/auth/me', undefined, b.token)).status, 200, `B's session still works after ${key}`)
    }
    b.token = (await api(t.url, 'POST', '/api/auth/sign-in', { email: 'bob@b.test', password: 'a long password 1' })).body.token
    assert.is(swept.length, routes.length)

    // Nothing of A changed.
    assert.is((await api(t.url, 'GET', `/api/articles/${ids.article.id}`, undefined, a.token)).body.title, 'Alpha article about quokkas')
    assert.is((await api(t.url, 'GET', `/api/widgets/${ids.widget.id}`, undefined, a.token)).body.name, 'Website')
    assert.equal((await api(t.url, 'GET', '/api/agents', undefined, a.token)).body.items.map((x: { name: string; active: boolean }) => `${x.name}:${x.active}`), ['Alice Alpha:true'])
    assert.is((await api(t.url, 'GET', '/api/invitations', undefined, a.token)).body.items.length, 1)
    assert.is((await api(t.url, 'GET', '/api/auth/me', undefined, a.token)).status, 200, 'A\'s session was not ended by B')
    assert.is((await api(t.url, 'GET', '/api/canned-responses', undefined, a.token)).body.items.length, 1)
    assert.equal((await api(t.url, 'GET', '/api/teams', undefined, a.token)).body.items.map((x: { name: string }) => x.name), ['Alpha team'], 'A\'s team unchanged')
    assert.ok((await api(t.url, 'GET', '/api/inboxes', undefined, a.token)).body.items.some((x: { name: string }) => x.name === 'Alpha inbox'), 'A\'s inbox unchanged')
    const hooks = (await api(t.url, 'GET', '/api/webhooks', undefined, a.token)).body.items as { name: string }[]
    assert.equal(hooks.map((h) => h.name), ['Alpha hook'], 'A\'s webhook unchanged')
    const keys = (await api(t.url, 'GET', '/api/api-keys', undefined, a.token)).body.items as { name: string; revokedAt: number | null }[]
    assert.equal(keys.map((k) => `${k.name}:${k.revokedAt ?? 'live'}`), ['Alpha key:live'], 'A\'s key not revoked')
    assert.equal((await api(t.url, 'GET', '/api/contact-attributes', undefined, a.token)).body.items.map((x: { key: string; label: string }) => `${x.key}:${x.label}`), ['alpha_plan:Alpha plan'])
    await t.server.projection.flush()
    assert.equal((await api(t.url, 'GET', '/api/conversations', undefined, a.token)).body.items.map((c: { id: string }) => c.id), [ids.conversation.id], 'no conversation was added to A')
    // (POST /api/widget/session with A's site key makes anonymous visitors of A: that is what a site key is for.)
    const contacts = (await api(t.url, 'GET', '/api/contacts', undefined, a.token)).body.items as { name: string | null; email: string | null }[]
    assert.equal(contacts.filter((c) => c.name !== null).map((c) => `${c.name}:${c.email}`), ['Carla:alpha-customer@a.test'], 'A\'s contact unchanged')
    const conversation = (await api(t.url, 'GET', `/api/conversations/${ids.conversation.id}`, undefined, a.token)).body
    assert.is(conversation.contact?.email ?? conversation.contactEmail ?? 'alpha-customer@a.test', 'alpha-customer@a.test')
    const transcript = await api(t.url, 'GET', `/api/conversations/${ids.conversation.id}/transcript`, undefined, a.token)
    assert.not.ok(JSON.stringify(transcript.body).includes('forged'), 'no forged inbound email')
    assert.not.ok(JSON.stringify(transcript.body).includes('beta-message-1'))

    // Search and reports: B sees none of A; A sees its own.
    assert.equal((await api(t.url, 'GET', '/api/search?q=zebra', undefined, b.token)).body.items, [])
    for (const name of REPORT_NAMES) {
      const report = await api(t.url, 'GET', `/api/reports/${name}`, undefined, b.token)
      assert.is(report.status, 200)
      for (const secret of [...SECRETS, ids.conversation.id, a.agent.id]) assert.not.ok(JSON.stringify(report.body).includes(secret), `report ${name} shows ${secret}`)
    }
    // A's inbox, team, widget and agent are no filter for B (400, the field named); A's own are.
    for (const [field, id] of [['inbox', ids.inbox.id], ['team', ids.team.id], ['widget', ids.widget.id], ['agent', a.agent.id]] as const) {
      const refused = await api(t.url, 'GET', `/api/reports/sla?${field}=${id}`, undefined, b.token)
      assert.equal([refused.status, refused.body.error?.field], [400, field], `B filters reports by A's ${field}`)
      assert.is((await api(t.url, 'GET', `/api/reports/sla?${field}=${id}`, undefined, a.token)).status, 200, `A filters reports by its ${field}`)
    }
    await waitFor(async () => (await api(t.url, 'GET', '/api/reports/overview', undefined, a.token)).body.new >= 1, 20000, 'A\'s overview counts its conversation')
    assert.is((await api(t.url, 'GET', '/api/reports/overview', undefined, b.token)).body.new, 0)

    // Documents: every one of A is refused to B's agent.
    for (const name of [formatConversationName(ids.conversation.id), formatInternalName(ids.conversation.id), formatInboxName(a.workspace.id), formatAgentName(a.agent.id)]) {
      const peer = connectPeer(t.wsUrl, name, b.token)
      const error = await peer.ready.then(() => null, (e: Error) => e)
      peer.destroy()
      assert.is(parseCloseReason(error?.message ?? '')?.code, 4403, `${name} opened for B`)
    }
  } finally { await t.close(); await smtp.close() }
})

test.run()
