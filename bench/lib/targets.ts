/**
 * The servers a benchmark measures, each started as its own process on the server core:
 * Parley (durable update log), stock Hocuspocus with its SQLite extension, and y-websocket's
 * reference server. All three serve the same documents: a Y.Array `messages` of plain objects.
 */
import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { formatConversationName, type Author } from '../../protocol/index.ts'
import { LIMIT_VARIABLES } from '../../server/rate-limits/limit-config.ts'
import { ROOT, freePort, makeTempDir, readRss, startNode, stopProcess, waitForPort } from './proc.ts'

export type TargetKind = 'parley' | 'hocuspocus' | 'y-websocket'
export const TARGET_KINDS: TargetKind[] = ['parley', 'hocuspocus', 'y-websocket']
export const TARGET_LABELS: Record<TargetKind, string> = {
  parley: 'Parley (durable log)',
  hocuspocus: 'Hocuspocus + SQLite (debounced)',
  'y-websocket': 'y-websocket server (memory)',
}

/** Wire protocol a client speaks: Hocuspocus (document name on every message, auth first) or plain y-protocols. */
export type WireProtocol = 'hocuspocus' | 'y-websocket'
export type PeerRole = 'customer' | 'agent' | 'bot'

/** One conversation document and the tokens of its three peers (ignored by servers without auth). */
export interface ConversationSpec { name: string; tokens: Record<PeerRole, string> }

export interface Memory { rss: number; heapUsed: number; external: number; arrayBuffers: number }
export interface Lag { p50Ms: number; p99Ms: number; maxMs: number; samples: number }

export interface Target {
  kind: TargetKind
  protocol: WireProtocol
  /** Base WebSocket URL: Hocuspocus-protocol servers take every document on it; y-websocket appends the name. */
  wsUrl: string
  httpUrl: string
  pid: number
  dataDir: string
  /** Authors writers use: Parley's update guard checks them. */
  authors: { agent: Author; bot: Author }
  createConversations(count: number, onProgress?: (done: number) => void): Promise<ConversationSpec[]>
  /** Memory after a full collection, read inside the server process. */
  memory(): Promise<Memory>
  /** Event-loop delay inside the server since the previous call (which resets it). */
  lag(): Promise<Lag>
  rss(): number
  /** Stops the process; `kill` sends SIGKILL (a crash). A graceful stop removes the data unless `keepData`. */
  stop(kill?: boolean, keepData?: boolean): Promise<void>
  /** Starts the server again on the same port and data directory. */
  restart(): Promise<void>
}

export const resultsDir = path.join(ROOT, 'bench', 'results')
const OWNER = { email: 'bench@parley.local', password: 'bench-password-123' }
const SERVICE_TOKEN = 'bench-service-token-0123456789abcdefghij'

const startScript = (): string => (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start

/** The environment the start script sets before `node` (`MALLOC_ARENA_MAX=2 node …`). */
function parleyStartEnv(): Record<string, string> {
  const match = /((?:[A-Z_][A-Z0-9_]*=\S+\s+)+)node\b/.exec(startScript())
  return Object.fromEntries((match?.[1] ?? '').trim().split(/\s+/).filter(Boolean).map((pair) => pair.split('=', 2) as [string, string]))
}

/** The node flags of package.json's start script (`node <flags> dist/server/main.mjs`). */
function parleyStartFlags(): string[] {
  const start = startScript()
  const match = /\bnode((?:\s+--\S+)*)\s+dist\/server\/main\.mjs/.exec(start)
  if (!match) throw new Error(`package.json's start script does not run dist/server/main.mjs: ${start}`)
  return match[1]!.trim().split(/\s+/).filter(Boolean)
}

export async function startTarget(kind: TargetKind, options: { cpuProf?: string; env?: Record<string, string> } = {}): Promise<Target> {
  const port = await freePort()
  const dataDir = makeTempDir(`parley-bench-${kind}-`)
  const env: Record<string, string> = {
    PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn',
    PARLEY_OWNER_EMAIL: OWNER.email, PARLEY_OWNER_PASSWORD: OWNER.password, PARLEY_IN_PROCESS_BOT: '0',
    PARLEY_SERVICE_TOKEN: SERVICE_TOKEN, RATE_LIMIT_PER_SECOND: '100000',
    // The load comes from one address and a few visitors: the widget's limits would measure themselves.
    ...Object.fromEntries(LIMIT_VARIABLES.map((name) => [name, 'off'])), ...(kind === 'parley' ? parleyStartEnv() : {}), ...options.env,
  }
  // Parley runs as `npm start` runs it: the compiled server (bench/run.ts builds it first), with
  // the start script's node flags.
  const script = kind === 'parley' ? 'dist/server/main.mjs' : kind === 'hocuspocus' ? 'bench/servers/hocuspocus.mjs' : 'node_modules/y-websocket/bin/server.cjs'
  const startFlags = kind === 'parley' ? parleyStartFlags() : []
  let child!: ChildProcess
  let nextProbe = 0
  const launch = async () => {
    const nodeArgs = ['--expose-gc', '--import', './bench/servers/probe.mjs', ...startFlags, ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])]
    // --profile on any benchmark: a CPU profile per server process in bench/results/profiles/<benchmark>-<server>/.
    const profileDir = options.cpuProf ?? (process.argv.includes('--profile') ? path.join(resultsDir, 'profiles', `${path.basename(process.argv[1] ?? 'bench', '.ts')}-${kind}`) : null)
    if (profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`)
    child = startNode({ script, env, role: 'server', nodeArgs, ipc: true, quiet: !process.env.BENCH_SERVER_LOGS, tsx: false })
    await waitForPort(port, child)
  }
  await launch()

  /** One question to the probe (bench/servers/probe.mjs) on the IPC channel. */
  const ask = <T>(type: 'memory' | 'lag'): Promise<T> => {
    const id = ++nextProbe
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${type} probe timed out`)), 30_000)
      const onMessage = (message: { type?: string; id?: number } & T) => {
        if (message?.type !== type || message.id !== id) return
        clearTimeout(timer)
        child.off('message', onMessage)
        resolve(message)
      }
      child.on('message', onMessage)
      child.send({ type, id })
    })
  }
  const httpUrl = `http://127.0.0.1:${port}`
  const target: Target = {
    kind,
    protocol: kind === 'y-websocket' ? 'y-websocket' : 'hocuspocus',
    wsUrl: kind === 'parley' ? `ws://127.0.0.1:${port}/sync` : `ws://127.0.0.1:${port}`,
    httpUrl,
    get pid() { return child.pid! },
    dataDir,
    authors: { agent: { role: 'agent', id: 'agent-1', name: 'Agent' }, bot: { role: 'bot', id: 'bot', name: 'Bot' } },
    async createConversations(count) {
      return Array.from({ length: count }, (_, i) => {
        const name = formatConversationName(`bench-${i}`)
        return { name, tokens: { customer: '', agent: '', bot: '' } }
      })
    },
    async memory() {
      const m = await ask<Memory>('memory')
      return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers }
    },
    async lag() {
      const l = await ask<Lag>('lag')
      return { p50Ms: l.p50Ms, p99Ms: l.p99Ms, maxMs: l.maxMs, samples: l.samples }
    },
    rss: () => readRss(child.pid!),
    async stop(kill = false) {
      await stopProcess(child, kill ? 'SIGKILL' : 'SIGTERM')
    },
    restart: launch,
  }
  const cleanup = target.stop
  target.stop = async (kill = false, keepData = false) => {
    await cleanup(kill)
    if (!kill && !keepData) fs.rmSync(dataDir, { recursive: true, force: true })
  }
  if (kind === 'parley') await setUpParley(target)
  return target
}

async function api(url: string, method: string, pathname: string, body?: unknown, token?: string): Promise<any> {
  const response = await fetch(url + pathname, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${text.slice(0, 300)}`)
  return text ? JSON.parse(text) : null
}

/** Signs in as the owner, finds the widget, and creates conversations through the widget API. */
async function setUpParley(target: Target): Promise<void> {
  // main.ts listens first and creates the owner right after: retry until the owner exists.
  let signIn: { token: string } | null = null
  for (let attempt = 0; !signIn; attempt++) {
    signIn = await api(target.httpUrl, 'POST', '/api/auth/sign-in', { email: OWNER.email, password: OWNER.password }).catch((error) => {
      if (attempt > 100) throw error
      return null
    })
    if (!signIn) await new Promise((r) => setTimeout(r, 100))
  }
  const ownerToken: string = signIn.token
  const me = await api(target.httpUrl, 'GET', '/api/auth/me', undefined, ownerToken)
  target.authors.agent = { role: 'agent', id: me.agent.id, name: me.agent.name ?? 'Owner' }
  const widgets = await api(target.httpUrl, 'GET', '/api/widgets', undefined, ownerToken)
  const siteKey: string = widgets.items[0].siteKey
  // AI stays enabled so conversations start in status 'bot' and the bot peer may write; the
  // in-process bot is off (PARLEY_IN_PROCESS_BOT=0), so nothing answers during load.
  const visitors: string[] = []
  const visitorFor = async (i: number): Promise<string> => {
    const slot = Math.floor(i / 50)
    visitors[slot] ??= (await api(target.httpUrl, 'POST', '/api/widget/session', { siteKey, name: `Visitor ${slot}` })).token
    return visitors[slot]!
  }
  target.createConversations = async (count, onProgress) => {
    const specs: ConversationSpec[] = new Array(count)
    let next = 0
    let done = 0
    const work = async () => {
      for (;;) {
        const i = next++
        if (i >= count) return
        const customer = await visitorFor(i)
        const created = await api(target.httpUrl, 'POST', '/api/widget/conversations', {}, customer)
        specs[i] = { name: created.document, tokens: { customer, agent: ownerToken, bot: SERVICE_TOKEN } }
        done += 1
        if (onProgress && done % 500 === 0) onProgress(done)
      }
    }
    // Visitor sessions first (sequentially, so no two workers create the same one).
    for (let i = 0; i < count; i += 50) await visitorFor(i)
    await Promise.all(Array.from({ length: 8 }, work))
    return specs
  }
}

