import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createId, formatConversationName, readMessages } from '../../protocol/index.ts'
import { startServer } from '../app.ts'
import { loadConfig } from '../config.ts'
import { api, connectPeer, startTestServer, startVisitorConversation, waitFor } from '../test-kit.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')

/** Runs `npm run <script> -- file` as an operator would, with the server's environment. */
function npmRun(script: 'backup' | 'restore', file: string, dataDir: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'error' }
    delete env.DATABASE_URL
    const child = spawn('npm', ['run', '--silent', script, '--', file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.on('close', (code) => resolve({ code: code ?? -1, output }))
  })
}

test('a backup made while messages are being sent restores into a new folder, and a server on it has every acknowledged message', async () => {
  const t = await startTestServer()
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-backup-test-'))
  const archive = path.join(scratch, 'parley-backup.tar.gz')
  const restored = path.join(scratch, 'restored')
  let stop = false
  try {
    const conversations = await Promise.all([0, 1, 2].map((i) => startVisitorConversation(t, `Visitor ${i}`, { id: `first-message-${i}`, text: `hello ${i}` })))
    const upload = await fetch(`${t.url}/api/widget/conversations/${conversations[0]!.conversationId}/attachments?name=invoice.txt`, {
      method: 'POST', headers: { authorization: `Bearer ${conversations[0]!.visitorToken}`, 'content-type': 'text/plain' }, body: 'invoice 42',
    })
    const attachment = await upload.json()
    assert.is((await api(t.url, 'POST', `/api/widget/conversations/${conversations[0]!.conversationId}/messages`, { id: 'message-with-invoice', text: 'see attached', attachments: [attachment] }, conversations[0]!.visitorToken)).status, 201)

    // Write load: every conversation sends messages one after another until told to stop.
    const acked: { id: string; conversationId: string; at: number }[] = conversations.map((c, i) => ({ id: `first-message-${i}`, conversationId: c.conversationId, at: 0 }))
    acked.push({ id: 'message-with-invoice', conversationId: conversations[0]!.conversationId, at: 0 })
    const senders = conversations.map(async ({ conversationId, visitorToken }) => {
      while (!stop) {
        const id = createId('m')
        const sent = await api(t.url, 'POST', `/api/widget/conversations/${conversationId}/messages`, { id, text: `load ${id}` }, visitorToken)
        if (sent.status === 201) acked.push({ id, conversationId, at: performance.now() })
      }
    })
    await waitFor(() => acked.length >= 40, 20_000, 'some messages under load')
    const started = performance.now()
    const backup = await npmRun('backup', archive, t.dataDir)
    const ended = performance.now()
    assert.is(backup.code, 0, backup.output)
    assert.match(backup.output, /backup written to/)
    assert.ok(acked.some((m) => m.at > started && m.at < ended), 'messages were acknowledged while the backup ran')
    const before = acked.filter((m) => m.at < started)
    stop = true
    await Promise.all(senders)

    // Never into a folder that has data: the live folder is refused and left as it was.
    const liveFiles = fs.readdirSync(t.dataDir).sort()
    const refused = await npmRun('restore', archive, t.dataDir)
    assert.is(refused.code, 1)
    assert.match(refused.output, /is not empty/)
    assert.equal(fs.readdirSync(t.dataDir).sort(), liveFiles)

    const restore = await npmRun('restore', archive, restored)
    assert.is(restore.code, 0, restore.output)
    assert.equal(fs.readdirSync(restored).sort(), ['attachments', 'parley.sqlite'])

    const server = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: restored, LOG_LEVEL: 'error' }))
    try {
      assert.is((await fetch(server.url + '/ready')).status, 200)
      const token = (await api(server.url, 'POST', '/api/auth/sign-in', { email: 'owner@example.com', password: 'correct horse battery' })).body.token as string
      const wsUrl = server.url.replace('http', 'ws') + '/sync'
      for (const { conversationId } of conversations) {
        const peer = connectPeer(wsUrl, formatConversationName(conversationId), token)
        await peer.ready
        const ids = new Set(readMessages(peer.doc).map((m) => m.id))
        const missing = before.filter((m) => m.conversationId === conversationId && !ids.has(m.id))
        assert.equal(missing, [], `acknowledged before the backup began, missing from ${conversationId}`)
        peer.destroy()
      }
      const file = await fetch(`${server.url}/api/widget/conversations/${conversations[0]!.conversationId}/attachments/${attachment.id}`, { headers: { authorization: `Bearer ${token}` } })
      assert.is(file.status, 200)
      assert.is(await file.text(), 'invoice 42')
    } finally { await server.close() }
  } finally {
    stop = true
    await t.close()
    fs.rmSync(scratch, { recursive: true, force: true })
  }
})

test('restore refuses what is not a Parley backup and leaves the folder empty', async () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-restore-test-'))
  try {
    const bogus = path.join(scratch, 'bogus.tar.gz')
    fs.writeFileSync(bogus, 'not an archive')
    const target = path.join(scratch, 'data')
    const result = await npmRun('restore', bogus, target)
    assert.is(result.code, 1, result.output)
    assert.match(result.output, /is not a readable backup archive/)
    assert.equal(fs.existsSync(target) ? fs.readdirSync(target) : [], [])
    const missing = await npmRun('backup', path.join(scratch, 'out.tar.gz'), path.join(scratch, 'no-such-data'))
    assert.is(missing.code, 1)
    assert.match(missing.output, /no database at/)
  } finally { fs.rmSync(scratch, { recursive: true, force: true }) }
})

test.run()
