#!/usr/bin/env node
// Smoke test of the built image: `node deploy/container-smoke.mjs [image]` (default parley:local).
// ENGINE picks the container CLI ("docker", "podman", or a command with flags, e.g.
// "podman --runtime runc --cgroup-manager=cgroupfs"); RUN_ARGS adds `run` flags (e.g. ulimits).
// It starts the image on a fresh volume, waits for /ready, signs in, sends a customer message,
// checks the server runs as a non-root user and refuses /metrics from outside, makes a backup
// inside the container, restarts it and finds the message again; then removes what it made.
import { execFileSync } from 'node:child_process'

const image = process.argv[2] ?? 'parley:local'
const [engine, ...engineArgs] = (process.env.ENGINE ?? 'docker').split(' ').filter(Boolean)
const runArgs = (process.env.RUN_ARGS ?? '').split(' ').filter(Boolean)
const id = `parley-smoke-${process.pid}`
const port = Number(process.env.SMOKE_PORT ?? 18080)
const base = `http://127.0.0.1:${port}`
const password = 'smoke-test-password-1'
const cli = (...args) => execFileSync(engine, [...engineArgs, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
const step = (what) => console.log(`smoke: ${what}`)

async function waitFor(what, check, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try { const value = await check(); if (value) return value } catch {}
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}
const json = async (method, path, body, token) => {
  const response = await fetch(base + path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) })
  return { status: response.status, body: await response.json().catch(() => null) }
}

let failed = false
try {
  cli('volume', 'create', id)
  cli('run', '-d', '--name', id, ...runArgs, '-p', `127.0.0.1:${port}:8080`, '-v', `${id}:/data`, '-e', `PARLEY_OWNER_PASSWORD=${password}`, '-e', 'PARLEY_OWNER_EMAIL=owner@example.com', image)
  step('container started')
  await waitFor('/ready', async () => (await fetch(base + '/ready')).status === 200)
  step('/ready is 200')
  if ((await fetch(base + '/health')).status !== 200) throw new Error('/health is not 200')
  const uid = cli('exec', id, 'id', '-u')
  if (uid === '0') throw new Error('the server runs as root')
  step(`runs as uid ${uid}`)
  if ((await fetch(base + '/metrics')).status !== 403) throw new Error('/metrics answered a client outside the container without a token')
  step('/metrics refused from outside')
  const signIn = await json('POST', '/api/auth/sign-in', { email: 'owner@example.com', password })
  if (signIn.status !== 200) throw new Error(`sign-in: ${signIn.status}`)
  const widgets = await json('GET', '/api/widgets', undefined, signIn.body.token)
  const siteKey = widgets.body?.items?.[0]?.siteKey
  const session = await json('POST', '/api/widget/session', { siteKey, name: 'Smoke' })
  const conversation = await json('POST', '/api/widget/conversations', { siteKey, message: { id: 'smoke-message-1', text: 'hello from the smoke test' } }, session.body.token)
  if (conversation.status !== 201) throw new Error(`conversation: ${conversation.status} ${JSON.stringify(conversation.body)}`)
  step('customer message acknowledged (201)')
  const backup = cli('exec', id, 'npm', 'run', '--silent', 'backup', '--', '/data/smoke-backup.tar.gz')
  step(backup)
  cli('restart', id)
  await waitFor('/ready after the restart', async () => (await fetch(base + '/ready')).status === 200)
  const again = await json('POST', '/api/auth/sign-in', { email: 'owner@example.com', password })
  const transcript = await json('GET', `/api/conversations/${conversation.body.id}/transcript`, undefined, again.body.token)
  if (!JSON.stringify(transcript.body).includes('hello from the smoke test')) throw new Error(`the message is gone after a restart: ${JSON.stringify(transcript.body).slice(0, 300)}`)
  step('the message is there after a restart')
  // Docker runs the image's HEALTHCHECK by itself; podman runs it from systemd timers, which a
  // host without systemd lacks, so there it is run on demand (the same command, from the image).
  if (engine === 'podman') {
    await waitFor('the HEALTHCHECK to pass', () => { cli('healthcheck', 'run', id); return true })
    step('HEALTHCHECK (podman healthcheck run): healthy')
  } else {
    await waitFor('a healthy container', () => cli('inspect', '--format', '{{.State.Health.Status}}', id) === 'healthy')
    step('HEALTHCHECK: healthy')
  }
  step('passed')
} catch (error) {
  failed = true
  console.error(`smoke: FAILED: ${error.message}`)
  try { console.error(cli('logs', '--tail', '40', id)) } catch {}
} finally {
  try { cli('rm', '-f', id) } catch {}
  try { cli('volume', 'rm', '-f', id) } catch {}
}
process.exit(failed ? 1 : 0)
