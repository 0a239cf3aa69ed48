#!/usr/bin/env node
// Smoke test of the compose file's scaled profile once it runs (deploy/ci-container.sh starts it):
//   NODE_EXTRA_CA_CERTS=caddy-root.crt node deploy/scaled-smoke.mjs https://localhost:18443
// with the containers named in PARLEY_A and PARLEY_B (ENGINE: podman or docker). Everything goes
// through Caddy over TLS (the local CA's root from NODE_EXTRA_CA_CERTS, verified, not skipped):
// /ready, sign-in, a customer conversation, and two agents' WebSocket connections to it on /sync.
// Then messages are written on each instance (a REST reply run inside parley-a, then one inside
// parley-b) and by one agent over its socket: both agents see all three. Wherever the proxy put
// each socket, at least one write crossed from one instance to the other (through Redis), in each
// direction; which instance holds which socket is read from each one's parley_connections gauge.
import { execFileSync } from 'node:child_process'
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import WebSocket from 'ws'
import * as Y from 'yjs'

const base = process.argv[2] ?? 'https://localhost:18443'
const [engine, ...engineArgs] = (process.env.ENGINE ?? 'podman').split(' ').filter(Boolean)
const instances = { a: process.env.PARLEY_A ?? 'parley-a', b: process.env.PARLEY_B ?? 'parley-b' }
const email = process.env.PARLEY_OWNER_EMAIL ?? 'owner@parley.local'
const password = process.env.PARLEY_OWNER_PASSWORD
const cli = (...args) => execFileSync(engine, [...engineArgs, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
const step = (what) => console.log(`scaled: ${what}`)
const peers = []

async function waitFor(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  let last
  for (;;) {
    try { const value = await check(); if (value) return value } catch (error) { last = error }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
const json = async (method, path, body, token) => {
  const response = await fetch(base + path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) })
  return { status: response.status, body: await response.json().catch(() => null), headers: response.headers }
}
/** Runs fetch inside an instance's container, against that instance alone (127.0.0.1:8080). */
const inside = (container, method, path, body, token) => JSON.parse(cli('exec', '-e', `T=${token ?? ''}`, '-e', `B=${body ? JSON.stringify(body) : ''}`, container, 'node', '-e', `
  fetch('http://127.0.0.1:8080${path}', { method: '${method}', headers: { 'content-type': 'application/json', ...(process.env.T ? { authorization: 'Bearer ' + process.env.T } : {}) }, ...(process.env.B ? { body: process.env.B } : {}) })
    .then(async (r) => console.log(JSON.stringify({ status: r.status, body: r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text() })))`))
const connections = (container) => Number(/^parley_connections (\S+)$/m.exec(inside(container, 'GET', '/metrics').body)?.[1])

function connect(name, token) {
  const doc = new Y.Doc()
  const socket = new HocuspocusProviderWebsocket({ url: `${base.replace(/^http/, 'ws')}/sync`, WebSocketPolyfill: WebSocket, maxAttempts: 3 })
  let synced = false
  const provider = new HocuspocusProvider({ websocketProvider: socket, name, token, document: doc, onSynced: () => { synced = true } })
  provider.attach()
  const peer = { doc, provider, socket, synced: () => synced, texts: () => doc.getArray('messages').toArray().map((m) => m.text) }
  peers.push(peer)
  return peer
}

let failed = false
try {
  if (!password) throw new Error('PARLEY_OWNER_PASSWORD must be set')
  await waitFor('/ready through the proxy', async () => (await fetch(`${base}/ready`)).status === 200)
  step(`/ready 200 through Caddy over TLS (${base}, certificate verified against Caddy's local CA)`)
  const signIn = await json('POST', '/api/auth/sign-in', { email, password })
  if (signIn.status !== 200) throw new Error(`sign-in: ${signIn.status} ${JSON.stringify(signIn.body)}`)
  const token = signIn.body.token
  const siteKey = (await json('GET', '/api/widgets', undefined, token)).body?.items?.[0]?.siteKey
  const visitor = await json('POST', '/api/widget/session', { siteKey, name: 'Scaled Smoke' })
  const conversation = await json('POST', '/api/widget/conversations', { siteKey, message: { id: 'scaled-first', text: 'first, from the customer' } }, visitor.body.token)
  if (conversation.status !== 201) throw new Error(`conversation: ${conversation.status} ${JSON.stringify(conversation.body)}`)
  const id = conversation.body.id
  step(`signed in, customer conversation ${id} created`)

  const counts = () => `parley-a ${connections(instances.a)}, parley-b ${connections(instances.b)}`
  const before = counts()
  const one = connect(`conversation:${id}`, token)
  await waitFor('the first agent synced over wss://…/sync', () => one.synced() && one.texts().includes('first, from the customer'))
  const afterOne = counts()
  const two = connect(`conversation:${id}`, token)
  await waitFor('the second agent synced over wss://…/sync', () => two.synced() && two.texts().includes('first, from the customer'))
  step(`two agents synced through the proxy; document connections (sockets and the server's own): ${before}; after the first agent ${afterOne}; after the second ${counts()}`)

  const me = (await json('GET', '/api/auth/me', undefined, token)).body.agent
  const viaA = inside(instances.a, 'POST', `/api/conversations/${id}/messages`, { id: 'scaled-on-a', text: 'written on parley-a' }, token)
  if (viaA.status !== 201) throw new Error(`REST reply on parley-a: ${viaA.status} ${JSON.stringify(viaA.body)}`)
  const viaB = inside(instances.b, 'POST', `/api/conversations/${id}/messages`, { id: 'scaled-on-b', text: 'written on parley-b' }, token)
  if (viaB.status !== 201) throw new Error(`REST reply on parley-b: ${viaB.status} ${JSON.stringify(viaB.body)}`)
  one.doc.transact(() => {
    one.doc.getArray('messages').push([{ id: 'scaled-on-socket', author: { role: 'agent', id: me.id, name: me.name }, kind: 'message', text: 'written over the first socket', attachments: [], createdAt: Date.now() }])
    one.doc.getMap('meta').set('updatedAt', Date.now())
  })
  for (const [who, peer] of [['first', one], ['second', two]]) {
    await waitFor(`the ${who} agent to see all three writes`, () => ['written on parley-a', 'written on parley-b', 'written over the first socket'].every((text) => peer.texts().includes(text)))
  }
  step('both agents see the reply written on parley-a, the one written on parley-b and the first socket\'s message')
  await waitFor('the socket\'s message acknowledged', () => one.provider.unsyncedChanges === 0)
  const transcript = await json('GET', `/api/conversations/${id}/transcript`, undefined, token)
  if (!JSON.stringify(transcript.body).includes('written over the first socket')) throw new Error('the transcript through the proxy lacks the socket\'s message')
  const onA = inside(instances.a, 'GET', `/api/conversations/${id}/transcript`, undefined, token)
  const onB = inside(instances.b, 'GET', `/api/conversations/${id}/transcript`, undefined, token)
  for (const [name, read] of [['parley-a', onA], ['parley-b', onB]]) {
    if (!['written on parley-a', 'written on parley-b', 'written over the first socket'].every((text) => JSON.stringify(read.body).includes(text))) throw new Error(`${name}'s transcript lacks a message: ${JSON.stringify(read.body).slice(0, 300)}`)
  }
  step('each instance\'s transcript has every message')
  step('passed')
} catch (error) {
  failed = true
  console.error(`scaled: FAILED: ${error.message}`)
} finally {
  for (const peer of peers) { peer.provider.destroy(); peer.socket.destroy() }
}
process.exit(failed ? 1 : 0)
