import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { api, startTestServer, startVisitorConversation } from '../test-kit.ts'

const NASTY = `Robert'); DROP TABLE agents;-- <script>alert(1)</script><img src=x onerror=alert(2)> "quotes" & ünïcödé`

test('every endpoint answers a bad body with 400 and an error naming the field, and changes nothing', async () => {
  const t = await startTestServer()
  try {
    const owner = t.ownerToken
    const { visitorToken, conversationId, contactId } = await startVisitorConversation(t, 'Vera', { id: 'first-msg-0001', text: 'hello' })
    const agent = (await api(t.url, 'POST', '/api/agents', { email: 'al@example.com', name: 'Al', role: 'agent', password: 'al-password-1' }, owner)).body
    const widget = (await api(t.url, 'POST', '/api/widgets', { name: 'Docs site' }, owner)).body
    const article = (await api(t.url, 'POST', '/api/articles', { title: 'Reset password', body: 'Use the link.' }, owner)).body
    const snapshot = async () => JSON.stringify(await Promise.all(['/api/agents', '/api/widgets', '/api/articles', '/api/canned-responses', '/api/settings/ai', `/api/conversations/${conversationId}/transcript`, `/api/contacts/${contactId}`]
      .map(async (p) => { const body = (await api(t.url, 'GET', p, undefined, owner)).body; delete body.exportedAt; return body })))
    const before = await snapshot()

    const cases: [string, string, unknown, string, string?][] = [
      ['POST', '/api/auth/sign-in', { password: 'x' }, 'email'],
      ['POST', '/api/auth/sign-in', { email: 'not-an-email', password: 'x' }, 'email'],
      ['POST', '/api/auth/sign-in', { email: 'a@b.example', password: 'x', admin: true }, 'admin'],
      ['POST', '/api/agents', { email: 'b@example.com', name: 'B', role: 'emperor', password: 'long-enough-1' }, 'role', owner],
      ['POST', '/api/agents', { email: 'b@example.com', name: 'B', role: 'agent', password: 'short' }, 'password', owner],
      ['PATCH', `/api/agents/${agent.id}`, { active: 'no' }, 'active', owner],
      ['POST', '/api/widgets', { name: '' }, 'name', owner],
      ['POST', '/api/widgets', { name: 'W', primaryColor: 'red' }, 'primaryColor', owner],
      ['PATCH', `/api/widgets/${widget.id}`, { position: 'top' }, 'position', owner],
      ['POST', '/api/widget/session', { siteKey: 'no spaces allowed' }, 'siteKey'],
      ['POST', '/api/widget/session', { siteKey: t.siteKey, email: 'nope' }, 'email'],
      ['POST', '/api/widget/conversations', { message: { id: 'x', text: 'hi' } }, 'message.id', visitorToken],
      ['POST', `/api/widget/conversations/${conversationId}/messages`, { id: 'msg-00000009', text: 'x'.repeat(10_001) }, 'text', visitorToken],
      ['POST', `/api/widget/conversations/${conversationId}/messages`, { id: 'msg-00000009', text: 'hi', attachments: [{ id: 'a1', name: 'f', contentType: 'nonsense', size: 1 }] }, 'attachments.0.contentType', visitorToken],
      ['POST', `/api/widget/conversations/${conversationId}/messages`, { text: 'no id' }, 'id', visitorToken],
      ['POST', `/api/widget/conversations/${conversationId}/messages`, { id: 'msg-00000010', text: 'see file', attachments: [{ id: 'att-never-uploaded', name: 'f.png', contentType: 'image/png', size: 1 }] }, 'attachments.0.id', visitorToken],
      ['POST', `/api/widget/conversations/${conversationId}/messages`, { id: 'msg-00000011', text: 'see file', attachments: [{ id: 'a1', name: 'f.png', contentType: 'image/png', size: 1, url: 'javascript:alert(1)' }] }, 'attachments.0.url', visitorToken],
      ['PATCH', `/api/contacts/${contactId}`, { email: 'nope' }, 'email', owner],
      ['POST', '/api/articles', { title: '', body: 'b' }, 'title', owner],
      ['PATCH', `/api/articles/${article.id}`, { title: 5 }, 'title', owner],
      ['POST', '/api/canned-responses', { shortcut: 'Has Space', title: 't', body: 'b' }, 'shortcut', owner],
      ['PUT', '/api/settings/ai', { enabled: 'yes', persona: '', greeting: '', confidenceThreshold: 0.5, businessHours: null }, 'enabled', owner],
      ['PUT', '/api/settings/ai', { enabled: true, persona: '', greeting: '', confidenceThreshold: 2, businessHours: null }, 'confidenceThreshold', owner],
      ['PUT', '/api/settings/ai', { enabled: true, persona: '', greeting: '', confidenceThreshold: 0.5, businessHours: { timezone: 'Mars/Olympus', days: {} } }, 'businessHours.timezone', owner],
      ['PUT', '/api/settings/ai', { enabled: true, persona: '', greeting: '', confidenceThreshold: 0.5, businessHours: { timezone: 'Europe/Berlin', days: { mon: { open: '18:00', close: '09:00' } } } }, 'businessHours.days.mon', owner],
      ['PUT', '/api/settings/ai', { enabled: true, persona: '', greeting: '', confidenceThreshold: 0.5, businessHours: { timezone: 'Europe/Berlin', days: { mon: { open: '9:00', close: '17:00' } } } }, 'businessHours.days.mon.open', owner],
      ['PUT', '/api/settings/ai', { enabled: true, persona: '', greeting: '', confidenceThreshold: 0.5, businessHours: { timezone: 'Europe/Berlin', days: { fri: { open: '09:00', close: '17:00' } }, holidays: [{ date: '2026-13-01' }] } }, 'businessHours.holidays.0.date', owner],
      ['PUT', '/api/settings/ai', { enabled: true, persona: '', greeting: '', confidenceThreshold: 0.5, businessHours: { timezone: 'Europe/Berlin', days: {}, holidays: [{ date: '2026-12-25' }, { date: '2026-12-25', name: 'again' }] } }, 'businessHours.holidays.1.date', owner],
      ['PATCH', `/api/widgets/${widget.id}`, { prechat: { enabled: true, fields: [{ name: 'phone', label: 'Phone', type: 'tel', required: false }] } }, 'prechat.fields.0.type', owner],
      ['PATCH', `/api/widgets/${widget.id}`, { prechat: { enabled: true, fields: [{ name: 'Order No', label: 'Order', type: 'text', required: false }] } }, 'prechat.fields.0.name', owner],
      ['PATCH', `/api/widgets/${widget.id}`, { prechat: { enabled: true, fields: [{ name: 'email', label: 'Email', type: 'email', required: true }, { name: 'email', label: 'Work email', type: 'email', required: false }] } }, 'prechat.fields.1.name', owner],
      ['PATCH', `/api/widgets/${widget.id}`, { language: 'klingon' }, 'language', owner],
      ['GET', '/api/conversations?status=bogus', undefined, 'status', owner],
      ['GET', '/api/conversations?limit=lots', undefined, 'limit', owner],
      ['GET', '/api/conversations?cursor=garbage', undefined, 'cursor', owner],
      ['POST', '/api/articles', '{"title": "unterminated', '(body)', owner],
      ['POST', '/api/articles', '[1, 2]', '(body)', owner],
      ['POST', '/api/widgets', '', '(body)', owner],
    ]
    for (const [method, path, body, field, token] of cases) {
      const response = await api(t.url, method, path, body, token)
      const label = `${method} ${path} ${typeof body === 'string' ? body : JSON.stringify(body)?.slice(0, 80)}`
      assert.is(response.status, 400, label)
      assert.is(response.body.error.code, 'bad-request', label)
      assert.is(response.body.error.field, field, label)
      assert.ok(response.body.error.message.length > 0, label)
    }
    assert.is(await snapshot(), before, 'nothing changed')
  } finally { await t.close() }
})

test('strings with SQL and HTML in them are stored and returned unchanged', async () => {
  const t = await startTestServer()
  try {
    const owner = t.ownerToken
    const agent = await api(t.url, 'POST', '/api/agents', { email: 'nasty@example.com', name: NASTY, role: 'agent', password: 'nasty-password' }, owner)
    assert.is(agent.body.name, NASTY)
    assert.ok((await api(t.url, 'GET', '/api/agents', undefined, owner)).body.items.some((a: { name: string }) => a.name === NASTY))
    const widget = await api(t.url, 'POST', '/api/widgets', { name: NASTY, welcomeMessage: NASTY }, owner)
    assert.is((await api(t.url, 'GET', `/api/public/widgets/${widget.body.siteKey}`)).body.welcomeMessage, NASTY)
    const article = await api(t.url, 'POST', '/api/articles', { title: NASTY, body: NASTY }, owner)
    assert.equal([(await api(t.url, 'GET', `/api/articles/${article.body.id}`, undefined, owner)).body.title], [NASTY])
    const canned = await api(t.url, 'POST', '/api/canned-responses', { shortcut: 'nasty', title: NASTY, body: NASTY }, owner)
    assert.is(canned.body.body, NASTY)

    const { visitorToken, conversationId, contactId } = await startVisitorConversation(t, NASTY, { id: 'nasty-msg-0001', text: NASTY })
    const sent = await api(t.url, 'POST', `/api/widget/conversations/${conversationId}/messages`, { id: 'nasty-msg-0002', text: `again ${NASTY}` }, visitorToken)
    assert.is(sent.body.message.text, `again ${NASTY}`)
    const transcript = await api(t.url, 'GET', `/api/conversations/${conversationId}/transcript`, undefined, owner)
    assert.equal(transcript.body.messages.map((m: { text: string }) => m.text), [NASTY, `again ${NASTY}`])
    assert.is(transcript.body.contact.name, NASTY)
    assert.is((await api(t.url, 'GET', `/api/contacts/${contactId}`, undefined, owner)).body.name, NASTY)
    assert.is((await api(t.url, 'GET', '/api/agents', undefined, owner)).status, 200, 'the agents table is still there')
  } finally { await t.close() }
})

test.run()
