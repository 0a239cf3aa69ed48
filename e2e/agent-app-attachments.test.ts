/**
 * Attachments both ways (issue 17): a customer's image previews inline (with a lightbox) and a
 * file shows as a card for the agent; the agent attaches by button, paste and drop through the
 * widget's upload path and limits, and the customer receives them.
 */
import zlib from 'node:zlib'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { readMessages, type Attachment } from '../protocol/index.ts'
import { api, connectPeer, startTestServer, waitFor, type TestServer } from '../server/test-kit.ts'
import { buildBrowserParts, launchBrowser } from './browser.ts'
import { conversationDoc, customerWrites, disableAi, openApp, serverConversation, shot } from './agent-app-kit.ts'

let t: TestServer
let browser: Browser

/** A real PNG of `width`×`height` (a colour gradient), so previews show something a person can see. */
function makePng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const out = Buffer.alloc(body.length + 8)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(zlib.crc32(body), body.length + 4)
    return out
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0); header.writeUInt32BE(height, 4)
  header[8] = 8; header[9] = 2 // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const at = y * (width * 3 + 1) + 1 + x * 3
    rows[at] = Math.round((255 * x) / width); rows[at + 1] = Math.round((255 * y) / height); rows[at + 2] = 160
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))])
}
const PNG = makePng(160, 100)

test.before(async () => {
  buildBrowserParts()
  t = await startTestServer()
  await disableAi(t)
  browser = await launchBrowser()
})

test.after(async () => {
  await browser?.close()
  await t?.close()
})

async function upload(conversationId: string, token: string, name: string, type: string, data: Buffer): Promise<{ status: number; body: any }> {
  const response = await fetch(`${t.url}/api/widget/conversations/${conversationId}/attachments?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${token}` }, body: new Uint8Array(data) })
  return { status: response.status, body: await response.json() }
}

test('a customer\'s image previews inline and opens in a lightbox, a PDF shows as a card; the agent attaches by button, paste and drop, and the customer gets them', async () => {
  const customer = await customerWrites(t, 'Ada Attach', 'Here is a photo of the damage')
  const image = await upload(customer.conversationId, customer.visitorToken, 'damage.png', 'image/png', PNG)
  const pdf = await upload(customer.conversationId, customer.visitorToken, 'receipt.pdf', 'application/pdf', Buffer.from('%PDF-1.4 receipt 8812\n'.repeat(40)))
  assert.is(image.status, 200, JSON.stringify(image.body))
  const sent = await api(t.url, 'POST', `/api/widget/conversations/${customer.conversationId}/messages`, { id: 'customer-files-1', text: '', attachments: [image.body, pdf.body] }, customer.visitorToken)
  assert.is(sent.status, 201, JSON.stringify(sent.body))

  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  try {
    await page.goto(`${t.url}/inbox/waiting/${customer.conversationId}`)
    const thumb = page.locator('[data-testid=attachment-image] img[alt="damage.png"]')
    await thumb.waitFor()
    await waitFor(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 160), 5000, 'the preview loaded')
    const card = page.locator('[data-testid=attachment-file]', { hasText: 'receipt.pdf' })
    await card.waitFor()
    assert.match(await card.innerText(), /880 B · application\/pdf/)
    await shot(page, 'attachments-from-customer.png')
    await page.click('[data-testid=attachment-image]')
    await page.locator('[data-testid=lightbox] img[alt="damage.png"]').waitFor()
    await shot(page, 'attachments-lightbox.png')
    await page.keyboard.press('Escape')
    await page.locator('[data-testid=lightbox]').waitFor({ state: 'detached' })

    // The agent attaches: the button…
    await page.locator('#reply-box:not([readonly])').waitFor()
    await page.setInputFiles('[data-testid=attach-input]', { name: 'label.png', mimeType: 'image/png', buffer: PNG })
    // …a paste into the reply box…
    await page.evaluate(() => {
      const data = new DataTransfer()
      data.items.add(new File(['return address: 1 Main St'], 'address.txt', { type: 'text/plain' }))
      document.querySelector('#reply-box')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    })
    // …and a drop on the composer.
    await page.evaluate(() => {
      const data = new DataTransfer()
      data.items.add(new File(['%PDF-1.4 return label'], 'return-label.pdf', { type: 'application/pdf' }))
      const target = document.querySelector('[data-testid=composer]')!
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }))
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }))
    })
    for (const name of ['label.png', 'address.txt', 'return-label.pdf']) await page.locator('[data-testid=pending-files] li', { hasText: name }).waitFor()
    await page.fill('#reply-box', 'Print this label, please')
    await page.keyboard.press('Enter')
    await page.locator('[data-testid=pending-files]').waitFor({ state: 'detached' })
    await page.locator('[data-testid=attachment-image] img[alt="label.png"]').waitFor()
    await page.locator('[data-testid=attachment-file]', { hasText: 'return-label.pdf' }).waitFor()
    await shot(page, 'attachments-from-agent.png')

    // The customer receives them and may fetch them with their own token.
    const peer = connectPeer(t.wsUrl, conversationDoc(customer.conversationId), customer.visitorToken)
    try {
      await peer.ready
      const reply = await waitFor(() => readMessages(peer.doc).find((m) => m.text === 'Print this label, please'), 5000, 'the reply at the customer')
      assert.equal(reply.attachments.map((a: Attachment) => a.name).sort(), ['address.txt', 'label.png', 'return-label.pdf'])
      const label = reply.attachments.find((a: Attachment) => a.name === 'label.png')!
      const bytes = await fetch(t.url + label.url, { headers: { authorization: `Bearer ${customer.visitorToken}` } })
      assert.is(bytes.status, 200)
      assert.equal(Buffer.from(await bytes.arrayBuffer()), PNG)
    } finally { peer.destroy() }

    // The widget's size limit holds for agents too, with a clear reason and nothing sent.
    const widgets = await api(t.url, 'GET', '/api/widgets', undefined, t.ownerToken)
    await api(t.url, 'PATCH', `/api/widgets/${widgets.body.items[0].id}`, { maxAttachmentBytes: 1000 }, t.ownerToken)
    await page.setInputFiles('[data-testid=attach-input]', { name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(5000, 1) })
    await page.locator('[data-testid=pending-files] [role=alert]', { hasText: 'Could not attach huge.bin: the file is over the limit of 1000 bytes' }).waitFor()
    assert.is((await serverConversation(t, customer.conversationId)).messages.filter((m) => m.attachments.some((a) => a.name === 'huge.bin')).length, 0)
    await api(t.url, 'PATCH', `/api/widgets/${widgets.body.items[0].id}`, { maxAttachmentBytes: 10 * 1024 * 1024 }, t.ownerToken)
  } finally {
    await context.close()
  }
})

test('offline: a file attached without a connection waits on the device with its reply (through a reload) and goes with it once online, once', async () => {
  const customer = await customerWrites(t, 'Otto Offline', 'Can you send me the manual?')
  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  try {
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    await page.goto(`${t.url}/inbox/waiting/${customer.conversationId}`)
    await page.locator('#reply-box:not([readonly])').waitFor()
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
    await context.setOffline(true)
    await page.locator('[data-testid=connection][data-state=offline]:visible').first().waitFor({ timeout: 2000 })

    await page.setInputFiles('[data-testid=attach-input]', { name: 'manual.png', mimeType: 'image/png', buffer: PNG })
    await page.locator('[data-testid=pending-files] li', { hasText: 'manual.png · ' }).filter({ hasText: 'goes up when online' }).waitFor()
    await page.fill('#reply-box', 'Here is the manual')
    await page.keyboard.press('Enter')
    const queued = page.locator('[data-testid=queued-reply]', { hasText: 'Here is the manual' })
    await queued.waitFor()
    assert.match(await queued.innerText(), /Saved on this device/)
    assert.match(await queued.innerText(), /manual\.png/)
    await shot(page, 'attachments-offline-queued.png')

    // It is kept on the device: a reload while offline still shows it waiting.
    await page.reload()
    await page.locator('[data-testid=queued-reply]', { hasText: 'Here is the manual' }).waitFor()

    await context.setOffline(false)
    await page.locator('[data-testid=attachment-image] img[alt="manual.png"]').waitFor({ timeout: 20000 })
    await page.locator('[data-testid=queued-reply]').waitFor({ state: 'detached' })
    await waitFor(async () => (await serverConversation(t, customer.conversationId)).messages.some((m) => m.text === 'Here is the manual'), 10000, 'the reply on the server')
    const server = await serverConversation(t, customer.conversationId)
    const sent = server.messages.filter((m) => m.text === 'Here is the manual')
    assert.is(sent.length, 1, 'sent once')
    assert.equal(sent[0]!.attachments.map((a) => [a.name, a.contentType, a.size]), [['manual.png', 'image/png', PNG.length]])
    assert.is(server.meta.assignee !== null, true, 'answering took the conversation, as an online reply does')
    await shot(page, 'attachments-offline-sent.png')
  } finally {
    await context.close()
  }
})

test.run()
