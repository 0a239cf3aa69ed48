/** The GDPR export: a zip with the profile, every conversation (messages and notes), and the files; admins only, audited. */
import { unzipSync } from 'fflate'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { appendNote, createId, formatInternalName } from '../../protocol/index.ts'
import { api, connectPeer, startTestServer, startVisitorConversation, waitFor } from '../test-kit.ts'

test('an export holds the profile, every conversation with messages and notes, and the attachments', async () => {
  const t = await startTestServer()
  try {
    const me = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent.id as string
    const { visitorToken, contactId, conversationId } = await startVisitorConversation(t, 'Edda Export', { id: 'export-first', text: 'Where is my parcel?' })
    await api(t.url, 'POST', `/api/widget/conversations/${conversationId}/contact`, { email: 'edda@example.org' }, visitorToken)
    const uploaded = await fetch(`${t.url}/api/widget/conversations/${conversationId}/attachments?name=receipt.txt`, { method: 'POST', headers: { authorization: `Bearer ${visitorToken}`, 'content-type': 'text/plain' }, body: 'receipt bytes 42' })
    const file = await uploaded.json()
    await api(t.url, 'POST', `/api/widget/conversations/${conversationId}/messages`, { id: 'export-second', text: 'here is the receipt', attachments: [file] }, visitorToken)
    const second = await api(t.url, 'POST', '/api/widget/conversations', { siteKey: t.siteKey, message: { id: 'export-third', text: 'another question' } }, visitorToken)
    const notes = connectPeer(t.wsUrl, formatInternalName(conversationId), t.ownerToken)
    await notes.ready
    appendNote(notes.doc, { id: createId('n'), author: { role: 'agent', id: me, name: 'Owner' }, kind: 'note', text: 'called her back', attachments: [], createdAt: Date.now() })
    await waitFor(() => notes.provider.unsyncedChanges === 0, 15000, 'the note stored')
    // Someone else's conversation must not come along.
    await startVisitorConversation(t, 'Other Person', { id: 'other-first', text: 'not hers' })

    // Owners and admins only.
    await api(t.url, 'POST', '/api/agents', { email: 'x@example.com', name: 'Agent X', role: 'agent', password: 'agent password 1' }, t.ownerToken)
    const agentToken = (await api(t.url, 'POST', '/api/auth/sign-in', { email: 'x@example.com', password: 'agent password 1' })).body.token as string
    assert.is((await fetch(`${t.url}/api/contacts/${contactId}/export`, { headers: { authorization: `Bearer ${agentToken}` } })).status, 403)
    assert.is((await fetch(`${t.url}/api/contacts/nobody-here/export`, { headers: { authorization: `Bearer ${t.ownerToken}` } })).status, 404)

    const response = await fetch(`${t.url}/api/contacts/${contactId}/export`, { headers: { authorization: `Bearer ${t.ownerToken}` } })
    assert.is(response.status, 200)
    assert.is(response.headers.get('content-type'), 'application/zip')
    assert.match(response.headers.get('content-disposition') ?? '', /attachment; filename="contact-.*\.zip"/)
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()))
    const read = (name: string) => JSON.parse(new TextDecoder().decode(files[name]))
    const names = Object.keys(files)
    assert.ok(names.includes('contact.json') && names.includes('manifest.json') && names.includes('README.txt'))
    const profile = read('contact.json')
    assert.is(profile.name, 'Edda Export')
    assert.is(profile.email, 'edda@example.org')
    const conversations = names.filter((n) => n.startsWith('conversations/'))
    assert.equal(conversations.sort(), [`conversations/${conversationId}.json`, `conversations/${second.body.id}.json`].sort())
    const first = read(`conversations/${conversationId}.json`)
    assert.equal(first.messages.filter((m: { author: { role: string } }) => m.author.role === 'customer').map((m: { text: string }) => m.text), ['Where is my parcel?', 'here is the receipt'])
    assert.equal(first.notes.map((n: { text: string }) => n.text), ['called her back'])
    assert.ok(first.events.some((e: { kind: string }) => e.kind === 'created'))
    const attachment = names.find((n) => n.startsWith(`attachments/${conversationId}/`))
    assert.ok(attachment?.endsWith('receipt.txt'))
    assert.is(new TextDecoder().decode(files[attachment as string]), 'receipt bytes 42')
    assert.not.ok(JSON.stringify(names.map((n) => new TextDecoder().decode(files[n]))).includes('not hers'))
    const manifest = read('manifest.json')
    assert.is(manifest.contactId, contactId)
    assert.is(manifest.conversations.length, 2)

    const log = (await api(t.url, 'GET', `/api/contacts/${contactId}/privacy-log`, undefined, t.ownerToken)).body.items
    assert.equal(log.map((e: { action: string; actorId: string }) => [e.action, e.actorId]), [['contact-exported', me]])
  } finally {
    await t.close()
  }
})

test.run()
