/**
 * contact.created / contact.updated reach a receiver from every path that writes a contact: the
 * API's create (idempotent by id: asked twice, one event) and edit, and the widget's session
 * (a first visit creates, a returning visitor who tells their name updates; a bare visit does not).
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { WebhookPayload } from '../../protocol/index.ts'
import { testDialects } from '../../db/test-databases.ts'
import { api, startTestServer, waitFor } from '../test-kit.ts'

interface ContactData { id: string; name: string | null; email: string | null; externalId: string | null; attributes: Record<string, unknown> }

async function startReceiver() {
  const got: WebhookPayload[] = []
  const server = http.createServer((req, res) => {
    let raw = ''
    req.on('data', (c) => { raw += c })
    req.on('end', () => { got.push(JSON.parse(raw)); res.writeHead(200); res.end('{}') })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, close: () => new Promise<void>((r) => server.close(() => r())) }
}

const of = (got: WebhookPayload[], type: string, id: string) => got.filter((p) => p.type === type && (p.data.contact as ContactData).id === id).map((p) => p.data.contact as ContactData)

for (const dialect of testDialects()) test(`${dialect}: contact events from the API and the widget, once each`, async () => {
  const receiver = await startReceiver()
  const t = await startTestServer({ dialect, env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: '50' } })
  try {
    const hook = await api(t.url, 'POST', '/api/webhooks', { name: 'CRM', url: receiver.url, events: ['contact.created', 'contact.updated'] }, t.ownerToken)
    assert.is(hook.status, 201, JSON.stringify(hook.body))
    const key = (await api(t.url, 'POST', '/api/api-keys', { name: 'CRM', scope: 'write' }, t.ownerToken)).body.token
    assert.is((await api(t.url, 'POST', '/api/contact-attributes', { key: 'plan', label: 'Plan', type: 'list', options: ['free', 'pro'] }, t.ownerToken)).status, 201)

    // API create, by the caller's id, with an attribute checked against its definition.
    const bad = await api(t.url, 'POST', '/api/contacts', { id: 'crm-contact-0001', name: 'Grace', attributes: { plan: 'gold' } }, key)
    assert.is(bad.status, 400)
    assert.is(bad.body.error.field, 'attributes.plan')
    const body = { id: 'crm-contact-0001', name: 'Grace Hopper', email: 'Grace@Navy.example', externalId: 'crm-42', attributes: { plan: 'pro' } }
    const created = await api(t.url, 'POST', '/api/contacts', body, key)
    assert.is(created.status, 201, JSON.stringify(created.body))
    assert.is(created.body.id, 'crm-contact-0001')
    assert.is(created.body.email, 'grace@navy.example')
    assert.equal(created.body.attributes, { plan: 'pro' })
    const again = await api(t.url, 'POST', '/api/contacts', body, key)
    assert.is(again.status, 200)
    assert.is(again.body.id, 'crm-contact-0001')
    const sameExternal = await api(t.url, 'POST', '/api/contacts', { id: 'crm-contact-0002', externalId: 'crm-42' }, key)
    assert.is(sameExternal.status, 409)
    assert.is(sameExternal.body.error.field, 'externalId')
    const [event] = await waitFor(() => { const e = of(receiver.got, 'contact.created', 'crm-contact-0001'); return e.length ? e : null }, 20_000, 'contact.created from the API')
    assert.is(event!.name, 'Grace Hopper')
    assert.is(event!.externalId, 'crm-42')
    assert.equal(event!.attributes, { plan: 'pro' })

    // API edit: an edit that changes nothing is no event; the next real one is the second.
    assert.is((await api(t.url, 'PATCH', '/api/contacts/crm-contact-0001', { attributes: { plan: 'free' } }, key)).status, 200)
    await waitFor(() => of(receiver.got, 'contact.updated', 'crm-contact-0001').length >= 1, 20_000, 'contact.updated from the API')
    assert.is((await api(t.url, 'PATCH', '/api/contacts/crm-contact-0001', { attributes: { plan: 'free' } }, key)).status, 200)
    assert.is((await api(t.url, 'PATCH', '/api/contacts/crm-contact-0001', { name: 'Rear Admiral Hopper' }, key)).status, 200)
    const updates = await waitFor(() => { const e = of(receiver.got, 'contact.updated', 'crm-contact-0001'); return e.length >= 2 ? e : null }, 20_000, 'the second contact.updated')
    assert.equal(updates.map((u) => [u.name, u.attributes.plan]), [['Grace Hopper', 'free'], ['Rear Admiral Hopper', 'free']])

    // The widget: a first visit creates the contact (with what it said), a bare return visit is
    // no event, a return visit that gives an email updates it.
    const first = await api(t.url, 'POST', '/api/widget/session', { siteKey: t.siteKey, name: 'Vera' })
    assert.is(first.status, 200, JSON.stringify(first.body))
    const visitorId = first.body.contact.id as string
    const [made] = await waitFor(() => { const e = of(receiver.got, 'contact.created', visitorId); return e.length ? e : null }, 20_000, 'contact.created from the widget')
    assert.is(made!.name, 'Vera')
    assert.is((await api(t.url, 'POST', '/api/widget/session', { siteKey: t.siteKey, resumeToken: first.body.token })).body.contact.id, visitorId)
    assert.is((await api(t.url, 'POST', '/api/widget/session', { siteKey: t.siteKey, resumeToken: first.body.token, email: 'vera@example.com' })).body.contact.id, visitorId)
    const [changed] = await waitFor(() => { const e = of(receiver.got, 'contact.updated', visitorId); return e.length ? e : null }, 20_000, 'contact.updated from the widget')
    assert.is(changed!.email, 'vera@example.com')
    // A last event after all the others: once it is in, nothing else for these two contacts is on its way.
    assert.is((await api(t.url, 'PATCH', '/api/contacts/crm-contact-0001', { name: 'Grace' }, key)).status, 200)
    await waitFor(() => of(receiver.got, 'contact.updated', 'crm-contact-0001').length >= 3, 20_000, 'the last contact.updated')
    assert.is(of(receiver.got, 'contact.created', 'crm-contact-0001').length, 1, 'one created though asked twice')
    assert.is(of(receiver.got, 'contact.created', visitorId).length, 1)
    assert.is(of(receiver.got, 'contact.updated', visitorId).length, 1, 'the bare return visit was no event')
  } finally {
    await t.close()
    await receiver.close()
  }
})

test.run()
