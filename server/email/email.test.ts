/** Email out and in against a real SMTP server: outages, threading, inbound replies, transcripts. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import nodemailer from 'nodemailer'
import { appendMessage, formatConversationName, readMessages } from '../../protocol/index.ts'
import { api, connectPeer, startTestServer, startVisitorConversation, waitFor, type TestServer } from '../test-kit.ts'
import { startTestSmtp, type TestSmtp } from './test-smtp.ts'

async function withServer(run: (t: TestServer, smtp: TestSmtp) => Promise<void>, env: Record<string, string> = {}) {
  const smtp = await startTestSmtp()
  const t = await startTestServer({ env: { SMTP_URL: smtp.url, EMAIL_FROM: 'Acme Support <support@acme.test>', EMAIL_BACKOFF_MS: '100', ...env } })
  try { await run(t, smtp) } finally { await t.close(); await smtp.close() }
}

const deliveries = async (t: TestServer, query = '') => (await api(t.url, 'GET', `/api/email/deliveries${query}`, undefined, t.ownerToken)).body.items as { id: string; kind: string; status: string; attempts: number; error: string | null; messageId: string }[]

/** A visitor who left their email and went away, and the owner's reply in the conversation. */
async function goneVisitor(t: TestServer, language?: string) {
  const visitor = await startVisitorConversation(t, 'Vera', { id: 'vera-message-1', text: 'My invoice is wrong' })
  assert.is((await api(t.url, 'POST', `/api/widget/conversations/${visitor.conversationId}/contact`, { email: 'vera@customer.test' }, visitor.visitorToken)).status, 200)
  if (language) await t.server.services.db.kysely.updateTable('conversations').set({ language }).where('id', '=', visitor.conversationId).execute()
  const me = (await api(t.url, 'GET', '/api/auth/me', undefined, t.ownerToken)).body.agent
  const peer = connectPeer(t.wsUrl, formatConversationName(visitor.conversationId), t.ownerToken)
  await peer.ready
  const reply = async (id: string, text: string) => {
    appendMessage(peer.doc, { id, author: { role: 'agent', id: me.id, name: 'Olga Owner' }, kind: 'message', text, attachments: [], createdAt: Date.now() })
    await waitFor(() => peer.provider.unsyncedChanges === 0, 10000, 'the reply acknowledged')
  }
  return { ...visitor, peer, reply }
}

test('an SMTP outage: the email is retried and logged, the failure visible, and it arrives once SMTP is back', async () => {
  await withServer(async (t, smtp) => {
    await smtp.stop()
    assert.is((await api(t.url, 'POST', '/api/invitations', { email: 'pat@example.com', role: 'agent' }, t.ownerToken)).status, 201)
    const failing = await waitFor(async () => (await deliveries(t)).find((d) => d.status === 'retrying' && d.attempts >= 2), 20000, 'a retried delivery')
    assert.match(failing.error ?? '', /ECONNREFUSED/)
    await smtp.start()
    await waitFor(async () => (await deliveries(t))[0]?.status === 'sent', 30000, 'the delivery sent')
    assert.is(smtp.received.length, 1, 'sent once')
    assert.match(JSON.stringify(smtp.received[0]!.to), /pat@example.com/)
  })
})

test('a delivery whose job was lost (the process died after logging it) is found by the sweep and sent once', async () => {
  await withServer(async (t, smtp) => {
    const { insertDelivery } = await import('../../db/email-delivery.repository.ts')
    // As a crash leaves it: logged as queued, its in-process job gone with the process.
    await insertDelivery(t.server.services.db, {
      id: 'em_lost_0001', workspace_id: t.workspaceId, kind: 'transcript', recipient: 'lost@customer.test', subject: 'Your conversation', html: '<p>hi</p>', text: 'hi',
      message_id: '<transcript.lost@acme.test>', in_reply_to: null, references: null, conversation_id: null, agent_id: null,
    })
    assert.is(await t.server.services.email.sweep(0), 1)
    await waitFor(() => smtp.received.length === 1, 15000, 'the lost email sent')
    assert.is(smtp.received[0]!.messageId, '<transcript.lost@acme.test>')
    await waitFor(async () => (await deliveries(t))[0]?.status === 'sent', 15000, 'logged as sent')
    assert.is(await t.server.services.email.sweep(0), 0, 'nothing left to sweep')
  })
})

test('attempts run out: the delivery is failed for good, shown to the agent beside the conversation, and sent again on request', async () => {
  await withServer(async (t, smtp) => {
    const gone = await goneVisitor(t)
    await gone.reply('olga-reply-1', 'We refunded the difference.')
    await smtp.stop()
    const sent = await api(t.url, 'POST', `/api/conversations/${gone.conversationId}/email-reply`, { messageId: 'olga-reply-1' }, t.ownerToken)
    assert.is(sent.status, 202)
    const failed = await waitFor(async () => (await deliveries(t, `?conversation=${gone.conversationId}`)).find((d) => d.status === 'failed'), 20000, 'the failed delivery')
    assert.is(failed.attempts, 2)
    assert.match(failed.error ?? '', /ECONNREFUSED/)
    // A second click on "email this reply" is the same email, not another one.
    assert.is((await api(t.url, 'POST', `/api/conversations/${gone.conversationId}/email-reply`, { messageId: 'olga-reply-1' }, t.ownerToken)).status, 200)
    await smtp.start()
    assert.is((await api(t.url, 'POST', `/api/email/deliveries/${failed.id}/retry`, {}, t.ownerToken)).status, 200)
    await waitFor(async () => (await deliveries(t, `?conversation=${gone.conversationId}`))[0]?.status === 'sent', 20000, 'sent after the retry')
    assert.is(smtp.received.length, 1)
    assert.is((await api(t.url, 'POST', `/api/email/deliveries/${failed.id}/retry`, {}, t.ownerToken)).status, 409, 'a sent email is not sent again')
  }, { EMAIL_ATTEMPTS: '2' })
})

test('replies to a gone visitor are threaded; their emailed answer lands in the conversation once, without the quoted history', async () => {
  await withServer(async (t, smtp) => {
    const gone = await goneVisitor(t, 'de')
    await gone.reply('olga-reply-1', 'Wir haben die Differenz erstattet.')
    await gone.reply('olga-reply-2', 'Die Gutschrift kommt morgen.')
    assert.is((await api(t.url, 'POST', `/api/conversations/${gone.conversationId}/email-reply`, { messageId: 'olga-reply-1' }, t.ownerToken)).status, 202)
    const first = await waitFor(() => smtp.received[0], 15000, 'the first reply email')
    assert.is((await api(t.url, 'POST', `/api/conversations/${gone.conversationId}/email-reply`, { messageId: 'olga-reply-2' }, t.ownerToken)).status, 202)
    const second = await waitFor(() => smtp.received[1], 15000, 'the second reply email')
    assert.is(first.messageId, `<reply.${gone.conversationId}.olga-reply-1@acme.test>`)
    assert.is(first.inReplyTo, undefined)
    assert.is(second.inReplyTo, first.messageId)
    assert.equal([second.references].flat(), [first.messageId])
    assert.is(first.subject, 'Re: Ihre Nachricht an My workspace')
    assert.equal(first.from?.value, [{ address: 'support@acme.test', name: 'My workspace' }], 'from the workspace the customer wrote to')
    assert.match(first.text ?? '', /Olga Owner von My workspace hat auf Ihre Nachricht geantwortet/)
    assert.match(first.text ?? '', /> Wir haben die Differenz erstattet\./)
    assert.match(first.text ?? '', /My invoice is wrong/, 'the customer\'s message is quoted for context')
    assert.match(String(first.html), /Wir haben die Differenz erstattet\./)
    assert.is((await api(t.url, 'POST', `/api/conversations/${gone.conversationId}/email-reply`, { messageId: 'vera-message-1' }, t.ownerToken)).status, 400, 'only an agent\'s reply is emailed')

    const token = (await api(t.url, 'POST', '/api/settings/email/inbound-token', {}, t.ownerToken)).body.token as string
    const raw = [
      'From: Vera <vera@customer.test>', 'To: support@acme.test', 'Subject: Re: Ihre Nachricht an My workspace',
      'Message-ID: <answer-1@customer.test>', `In-Reply-To: ${second.messageId}`, `References: ${first.messageId} ${second.messageId}`,
      'Content-Type: text/plain; charset=utf-8', '', 'Danke, alles klar!', '', `Am 01.12.2026 um 14:02 schrieb Acme Support <support@acme.test>:`, '> Die Gutschrift kommt morgen.', '',
    ].join('\r\n')
    const inbound = (tokenUsed: string, body = raw) => fetch(`${t.url}/api/email/inbound/${t.workspaceId}`, { method: 'POST', headers: { authorization: `Bearer ${tokenUsed}`, 'content-type': 'message/rfc822' }, body })
    assert.is((await inbound('pin_wrong')).status, 401)
    assert.is((await inbound(token)).status, 201)
    assert.is((await inbound(token)).status, 200, 'the same email again is a duplicate')
    const forged = raw.replace('From: Vera <vera@customer.test>', 'From: Mallory <mallory@evil.test>').replace('<answer-1@', '<answer-2@')
    assert.is((await inbound(token, forged)).status, 403, 'only the customer\'s address writes as the customer')
    await waitFor(() => readMessages(gone.peer.doc).some((m) => m.text === 'Danke, alles klar!'), 10000, 'the emailed answer in the conversation')
    const fromCustomer = readMessages(gone.peer.doc).filter((m) => m.author.role === 'customer' && m.kind === 'message').map((m) => m.text)
    assert.equal(fromCustomer, ['My invoice is wrong', 'Danke, alles klar!'])

    // A third reply threads under the customer's email too.
    await gone.reply('olga-reply-3', 'Gern geschehen.')
    assert.is((await api(t.url, 'POST', `/api/conversations/${gone.conversationId}/email-reply`, { messageId: 'olga-reply-3' }, t.ownerToken)).status, 202)
    const third = await waitFor(() => smtp.received[2], 15000, 'the third reply email')
    assert.is(third.inReplyTo, '<answer-1@customer.test>')
    assert.match(first.text ?? '', /Um zu antworten, öffnen Sie den Chat/, 'before inbound email is set up, the email says how to answer')
    assert.match(third.text ?? '', /Antworten Sie einfach auf diese E-Mail/, 'with inbound email set up, the email says a reply is read')
    gone.peer.destroy()
  })
})

test('an emailed reply\'s files: the image becomes an attachment (once, however often posted), a too-big file and a program are named as not imported', async () => {
  await withServer(async (t, smtp) => {
    const gone = await goneVisitor(t)
    await gone.reply('olga-reply-1', 'Could you send a photo of the invoice?')
    assert.is((await api(t.url, 'POST', `/api/conversations/${gone.conversationId}/email-reply`, { messageId: 'olga-reply-1' }, t.ownerToken)).status, 202)
    const ours = await waitFor(() => smtp.received[0], 15000, 'the reply email')
    // The widget's limit applies to emailed files too.
    const widget = (await api(t.url, 'GET', '/api/widgets', undefined, t.ownerToken)).body.items[0]
    assert.is((await api(t.url, 'PATCH', `/api/widgets/${widget.id}`, { maxAttachmentBytes: 50_000 }, t.ownerToken)).status, 200)
    const token = (await api(t.url, 'POST', '/api/settings/email/inbound-token', {}, t.ownerToken)).body.token as string
    const photo = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(2000, 7)])
    // A real MIME message, as a mail client writes it (nodemailer's stream transport composes without sending).
    const composed = await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail({
      from: 'Vera <vera@customer.test>', to: 'support@acme.test', subject: 'Re: your message', messageId: '<photo-1@customer.test>', inReplyTo: ours.messageId, references: [ours.messageId!],
      text: 'Here it is.\n\nOn Tue, 1 Dec 2026 at 14:02, Acme <support@acme.test> wrote:\n> Could you send a photo?',
      attachments: [
        { filename: 'invoice.png', content: photo, contentType: 'image/png' },
        { filename: 'scan.tiff', content: Buffer.alloc(80_000, 1), contentType: 'image/tiff' },
        { filename: 'fix.exe', content: Buffer.from('MZ'), contentType: 'application/octet-stream' },
      ],
    })
    const raw = new Uint8Array(composed.message as Buffer)
    const post = () => fetch(`${t.url}/api/email/inbound/${t.workspaceId}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'message/rfc822' }, body: raw })
    assert.is((await post()).status, 201)
    assert.is((await post()).status, 200, 'the same email again is a duplicate')
    const message = await waitFor(() => readMessages(gone.peer.doc).find((m) => m.author.role === 'customer' && m.text.startsWith('Here it is.')), 10000, 'the emailed answer')
    assert.equal(message.attachments.map((a) => [a.name, a.contentType, a.size]), [['invoice.png', 'image/png', photo.length]])
    assert.match(message.text, /\[attachment not imported: scan\.tiff, 78 KB: over the limit of 49 KB\]/)
    assert.match(message.text, /\[attachment not imported: fix\.exe: files of this type \(\.exe\) are not accepted\]/)
    assert.not.match(message.text, /Could you send a photo\?/, 'the quoted history is stripped')
    const stored: string[] = []
    for await (const { key } of t.server.services.attachments.list()) if (key.startsWith(`${gone.conversationId}/`)) stored.push(key)
    assert.is(stored.length, 1, 'stored once')
    // Served like an upload from the widget: to the conversation's own people only.
    const url = message.attachments[0]!.url!
    const asOwner = await fetch(`${t.url}${url}`, { headers: { authorization: `Bearer ${t.ownerToken}` } })
    assert.is(asOwner.status, 200)
    assert.equal(Buffer.from(await asOwner.arrayBuffer()), photo)
    assert.is((await fetch(`${t.url}${url}`, { headers: { authorization: `Bearer ${gone.visitorToken}` } })).status, 200)
    const other = await startVisitorConversation(t, 'Theo')
    assert.ok([403, 404].includes((await fetch(`${t.url}${url}`, { headers: { authorization: `Bearer ${other.visitorToken}` } })).status), 'not another visitor\'s')
    // The same rule for the widget's uploads: a program is refused, naming the field.
    const exe = await fetch(`${t.url}/api/widget/conversations/${gone.conversationId}/attachments?name=fix.exe`, { method: 'POST', headers: { authorization: `Bearer ${gone.visitorToken}`, 'content-type': 'application/octet-stream' }, body: 'MZ' })
    assert.is(exe.status, 400)
    assert.is(((await exe.json()) as { error: { field: string } }).error.field, 'name')
    gone.peer.destroy()
  })
})

test('a customer asks for the transcript: it arrives in their language with everyone\'s messages', async () => {
  await withServer(async (t, smtp) => {
    const gone = await goneVisitor(t, 'fr')
    await gone.reply('olga-reply-1', 'Nous avons remboursé la différence.')
    const asked = await api(t.url, 'POST', `/api/widget/conversations/${gone.conversationId}/transcript`, {}, gone.visitorToken)
    assert.equal([asked.status, asked.body.to], [202, 'vera@customer.test'])
    const mail = await waitFor(() => smtp.received[0], 15000, 'the transcript')
    assert.is(mail.subject, 'Votre conversation avec My workspace')
    assert.match(mail.text ?? '', /Vous:\nMy invoice is wrong/)
    assert.match(mail.text ?? '', /Olga Owner:\nNous avons remboursé la différence\./)
    const other = await startVisitorConversation(t, 'Theo')
    assert.is((await api(t.url, 'POST', `/api/widget/conversations/${gone.conversationId}/transcript`, {}, other.visitorToken)).status, 403, 'not another visitor\'s')
    assert.is((await api(t.url, 'POST', `/api/widget/conversations/${other.conversationId}/transcript`, {}, other.visitorToken)).status, 400, 'no email known, none given')
    assert.is((await api(t.url, 'POST', `/api/widget/conversations/${gone.conversationId}/transcript`, { email: 'victim@elsewhere.test' }, gone.visitorToken)).status, 403, 'not to someone else\'s address')
    // A given address becomes the visitor's; each address gets a few transcripts an hour at most.
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await api(t.url, 'POST', `/api/widget/conversations/${other.conversationId}/transcript`, { email: 'theo@customer.test' }, other.visitorToken)).status)
    assert.equal(statuses, [202, 202, 202, 429])
    gone.peer.destroy()
  })
})

test.run()
