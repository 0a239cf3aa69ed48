import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { formatConversationName, formatInboxName, readMessages, readMeta, updateMeta } from '../../protocol/index.ts'
import { getContact } from '../../db/contact.repository.ts'
import { api, connectPeer, startTestServer, startVisitorConversation, waitFor, type TestServer } from '../test-kit.ts'

const disableBot = (t: TestServer) =>
  api(t.url, 'PUT', '/api/settings/ai', { enabled: false, persona: 'p', greeting: '', confidenceThreshold: 0.5, businessHours: null }, t.ownerToken)

async function upload(t: TestServer, conversationId: string, token: string, bytes: Uint8Array<ArrayBuffer>, name = 'photo.png', type = 'image/png') {
  const response = await fetch(`${t.url}/api/widget/conversations/${conversationId}/attachments?name=${encodeURIComponent(name)}`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: bytes as Uint8Array<ArrayBuffer>,
  })
  return { status: response.status, body: await response.json() as any }
}

test('the pre-chat form is checked against the widget\'s fields and fills the contact', async () => {
  const t = await startTestServer()
  try {
    const widgets = await api(t.url, 'GET', '/api/widgets', undefined, t.ownerToken)
    await api(t.url, 'PATCH', `/api/widgets/${widgets.body.items[0].id}`, { prechat: { enabled: true, fields: [
      { name: 'name', label: 'Name', type: 'text', required: true }, { name: 'email', label: 'Email', type: 'email', required: true },
      { name: 'order', label: 'Order', type: 'text', required: false },
    ] } }, t.ownerToken)
    const session = await api(t.url, 'POST', '/api/widget/session', { siteKey: t.siteKey })
    const bad = await api(t.url, 'POST', '/api/widget/prechat', { siteKey: t.siteKey, values: { name: 'Vera', email: 'nope' } }, session.body.token)
    assert.is(bad.status, 400)
    assert.is(bad.body.error.field, 'values.email')
    const missing = await api(t.url, 'POST', '/api/widget/prechat', { siteKey: t.siteKey, values: { email: 'vera@example.com' } }, session.body.token)
    assert.is(missing.body.error.field, 'values.name')
    assert.is((await getContact(t.server.services.db, t.workspaceId, session.body.contact.id))!.name, null, 'a refused form changes nothing')
    const good = await api(t.url, 'POST', '/api/widget/prechat', { siteKey: t.siteKey, values: { name: ' Vera ', email: 'Vera@Example.com', order: 'A-17' } }, session.body.token)
    assert.is(good.status, 200)
    const contact = (await getContact(t.server.services.db, t.workspaceId, session.body.contact.id))!
    assert.equal([contact.name, contact.email, JSON.parse(contact.fields).order], ['Vera', 'vera@example.com', 'A-17'])
  } finally { await t.close() }
})

test('availability, queue place and "agents online" reach the visitor live', async () => {
  const t = await startTestServer()
  try {
    await disableBot(t)
    const before = await api(t.url, 'GET', `/api/public/widgets/${t.siteKey}/availability`)
    assert.equal(before.body, { agentsOnline: false, botEnabled: false, withinBusinessHours: true, nextOpenAt: null })
    const first = await startVisitorConversation(t, 'First', { id: 'first-msg-0001', text: 'help 1' })
    const second = await startVisitorConversation(t, 'Second', { id: 'second-msg-001', text: 'help 2' })
    const visitor = connectPeer(t.wsUrl, formatConversationName(second.conversationId), second.visitorToken)
    const statuses: any[] = []
    visitor.provider.on('stateless', ({ payload }: { payload: string }) => { const m = JSON.parse(payload); if (m.type === 'status') statuses.push(m) })
    await visitor.ready
    await waitFor(() => statuses.some((s) => s.queuePosition === 2 && s.agentsOnline === false), 5000, 'second in the queue, nobody online')

    const agent = connectPeer(t.wsUrl, formatInboxName(t.workspaceId), t.ownerToken)
    await agent.ready
    await waitFor(() => statuses.at(-1)?.agentsOnline === true, 5000, 'an agent online')
    assert.is((await api(t.url, 'GET', `/api/public/widgets/${t.siteKey}/availability`)).body.agentsOnline, true)

    // The first conversation is taken: the second moves up to first place.
    const taken = connectPeer(t.wsUrl, formatConversationName(first.conversationId), t.ownerToken)
    await taken.ready
    updateMeta(taken.doc, { status: 'open' })
    await waitFor(() => statuses.at(-1)?.queuePosition === 1, 5000, 'first in the queue')
    const polled = await api(t.url, 'GET', `/api/widget/conversations/${second.conversationId}/status`, undefined, second.visitorToken)
    assert.equal(polled.body, { status: 'waiting', queuePosition: 1, agentsOnline: true })
    const stranger = await api(t.url, 'GET', `/api/widget/conversations/${second.conversationId}/status`, undefined, first.visitorToken)
    assert.is(stranger.status, 403)

    agent.destroy(); taken.destroy()
    await waitFor(() => statuses.at(-1)?.agentsOnline === false, 5000, 'nobody online again')
    visitor.destroy()
  } finally { await t.close() }
})

test('CSAT only after resolution, stored on the conversation and projected; leave-a-message stores the email', async () => {
  const t = await startTestServer()
  try {
    await disableBot(t)
    const { visitorToken, conversationId, contactId } = await startVisitorConversation(t, 'Vera', { id: 'csat-msg-0001', text: 'hi' })
    const early = await api(t.url, 'POST', `/api/widget/conversations/${conversationId}/csat`, { rating: 5 }, visitorToken)
    assert.is(early.status, 409)
    const left = await api(t.url, 'POST', `/api/widget/conversations/${conversationId}/contact`, { email: 'Vera@Example.com' }, visitorToken)
    assert.is(left.status, 200)
    assert.is((await getContact(t.server.services.db, t.workspaceId, contactId))!.email, 'vera@example.com')

    const agent = connectPeer(t.wsUrl, formatConversationName(conversationId), t.ownerToken)
    await agent.ready
    assert.is(readMeta(agent.doc).contact?.email, 'vera@example.com')
    assert.ok(readMessages(agent.doc).some((m) => m.kind === 'event' && m.text.includes('vera@example.com')))
    updateMeta(agent.doc, { status: 'resolved' })
    await waitFor(async () => (await api(t.url, 'GET', `/api/conversations/${conversationId}`, undefined, t.ownerToken)).body.status === 'resolved', 5000, 'resolved')

    const outOfRange = await api(t.url, 'POST', `/api/widget/conversations/${conversationId}/csat`, { rating: 6 }, visitorToken)
    assert.is(outOfRange.body.error.field, 'rating')
    const rated = await api(t.url, 'POST', `/api/widget/conversations/${conversationId}/csat`, { rating: 4, comment: 'quick, thanks' }, visitorToken)
    assert.is(rated.status, 200)
    await waitFor(() => readMeta(agent.doc).csat?.rating === 4, 5000, 'csat in the document')
    const row = await waitFor(async () => {
      const r = await api(t.url, 'GET', `/api/conversations/${conversationId}`, undefined, t.ownerToken)
      return r.body.csat?.rating === 4 ? r.body : null
    }, 5000, 'csat projected')
    assert.equal(row.csat, { rating: 4, comment: 'quick, thanks' })
    agent.destroy()
  } finally { await t.close() }
})

test('attachments: stored on disk, capped by the widget, served only to that conversation\'s principals', async () => {
  const t = await startTestServer()
  try {
    const widgets = await api(t.url, 'GET', '/api/widgets', undefined, t.ownerToken)
    await api(t.url, 'PATCH', `/api/widgets/${widgets.body.items[0].id}`, { maxAttachmentBytes: 1000 }, t.ownerToken)
    const mine = await startVisitorConversation(t, 'Vera')
    const other = await startVisitorConversation(t, 'Otto')
    const bytes = new Uint8Array(600).map((_, i) => i % 251)
    const stored = await upload(t, mine.conversationId, mine.visitorToken, bytes)
    assert.is(stored.status, 200)
    assert.equal([stored.body.name, stored.body.contentType, stored.body.size], ['photo.png', 'image/png', 600])
    const tooBig = await upload(t, mine.conversationId, mine.visitorToken, new Uint8Array(1001))
    assert.is(tooBig.status, 413)
    const intoOthers = await upload(t, other.conversationId, mine.visitorToken, bytes)
    assert.is(intoOthers.status, 403)

    const get = (token?: string) => fetch(t.url + stored.body.url, { headers: token ? { authorization: `Bearer ${token}` } : {} })
    const asOwner = await get(mine.visitorToken)
    assert.is(asOwner.status, 200)
    assert.equal(new Uint8Array(await asOwner.arrayBuffer()), bytes)
    assert.is((await get(t.ownerToken)).status, 200)
    assert.is((await get(t.server.serviceToken)).status, 200)
    assert.is((await get(other.visitorToken)).status, 403)
    assert.is((await get()).status, 401)

    const page = await upload(t, mine.conversationId, mine.visitorToken, new TextEncoder().encode('<script>alert(1)</script>'), 'x.html', 'text/html')
    const served = await get(mine.visitorToken).then(() => fetch(t.url + page.body.url, { headers: { authorization: `Bearer ${mine.visitorToken}` } }))
    assert.is(served.headers.get('content-type'), 'application/octet-stream', 'HTML is never served as a page')
    assert.match(served.headers.get('content-disposition') ?? '', /^attachment/)
  } finally { await t.close() }
})

test('/demo embeds the widget with the first widget\'s site key', async () => {
  const t = await startTestServer()
  try {
    const response = await fetch(`${t.url}/demo`)
    const html = await response.text()
    assert.is(response.status, 200)
    assert.ok(html.includes(`<script src="/widget.js" data-site-key="${t.siteKey}" async></script>`))
  } finally { await t.close() }
})

test.run()
