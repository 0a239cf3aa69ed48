/**
 * For routing's tests: one instance (SQLite) or two instances on one PostgreSQL schema linked by
 * Redis, a workspace whose bot is off (so conversations wait for a human at once), agents signed
 * in, and conversations started through the widget API.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Redis as RedisExtension } from '@hocuspocus/extension-redis'
import { createTestDatabase } from '../../db/test-databases.ts'
import { updateAiSettings } from '../../db/workspace.repository.ts'
import { formatConversationName, formatInboxName } from '../../protocol/index.ts'
import { startServer, type ParleyServer, type StartOptions } from '../app.ts'
import { bootstrapFirstRun } from '../bootstrap.ts'
import { loadConfig } from '../config.ts'
import { LIMITS_OFF, api, connectPeer, type Peer } from '../test-kit.ts'

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export interface Agent { id: string; token: string; name: string }
export interface Desk {
  servers: ParleyServer[]
  urls: string[]
  owner: Agent
  workspaceId: string
  siteKey: string
  widgetId: string
  addAgent(name: string, role?: 'agent' | 'admin'): Promise<Agent>
  /** A device of the agent: their inbox document open on instance `on` (that makes them connected). */
  connect(agent: Agent, on?: number): Promise<Peer>
  escalate(name?: string, on?: number): Promise<string>
  /** The devices `connect` opened and not yet closed. */
  peers(): Peer[]
  close(): Promise<void>
}

/** Two instances run on PostgreSQL and Redis; one runs on SQLite, or on them too with `postgres`. */
export async function startDesk(options: { instances?: 1 | 2; postgres?: boolean; start?: StartOptions; env?: Record<string, string> } = {}): Promise<Desk> {
  const instances = options.instances ?? 1
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-routing-'))
  const database = instances === 2 || options.postgres ? await createTestDatabase('postgres', false).catch(async () => { process.env.TEST_DATABASE_URL = PG_URL; return createTestDatabase('postgres', false) }) : null
  if (database) await database.db.close()
  const prefix = `parley-routing-test-${process.pid}-${Date.now()}`
  const env = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'error', ...LIMITS_OFF, ...(database ? { DATABASE_URL: database.url, REDIS_URL, RATE_LIMIT_PREFIX: prefix } : {}), ...options.env }
  const servers: ParleyServer[] = []
  for (let i = 0; i < instances; i++) {
    const redisUrl = new URL(REDIS_URL)
    servers.push(await startServer(loadConfig(env), {
      routingIntervalMs: 500,
      ...options.start,
      ...(database ? { extensions: [new RedisExtension({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379), prefix })] } : {}),
    }))
  }
  const a = servers[0]!
  const first = (await bootstrapFirstRun(a.services.db, { email: 'owner@example.com', password: 'correct horse battery' }))!
  await updateAiSettings(a.services.db, first.workspaceId, { enabled: false })
  const ownerToken = (await api(a.url, 'POST', '/api/auth/sign-in', { email: 'owner@example.com', password: 'correct horse battery' })).body.token
  const me = (await api(a.url, 'GET', '/api/auth/me', undefined, ownerToken)).body.agent
  const widget = (await api(a.url, 'GET', '/api/widgets', undefined, ownerToken)).body.items[0]
  const peers: Peer[] = []
  let n = 0
  const desk: Desk = {
    servers, urls: servers.map((s) => s.url), owner: { id: me.id, token: ownerToken, name: me.name }, workspaceId: first.workspaceId, siteKey: first.siteKey, widgetId: widget.id,
    async addAgent(name, role = 'agent') {
      const email = `${name.toLowerCase().replace(/\W/g, '')}${++n}@example.com`
      const created = await api(a.url, 'POST', '/api/agents', { email, name, role, password: 'correct horse battery' }, ownerToken)
      if (created.status !== 201) throw new Error(JSON.stringify(created.body))
      const token = (await api(a.url, 'POST', '/api/auth/sign-in', { email, password: 'correct horse battery' })).body.token
      return { id: created.body.id, token, name }
    },
    async connect(agent, on = 0) {
      const peer = connectPeer(servers[on]!.url.replace('http', 'ws') + '/sync', formatInboxName(first.workspaceId), agent.token)
      await peer.ready
      peers.push(peer)
      return peer
    },
    async escalate(name = 'Vera', on = 0) {
      const url = servers[on]!.url
      const session = await api(url, 'POST', '/api/widget/session', { siteKey: first.siteKey, name })
      const created = await api(url, 'POST', '/api/widget/conversations', { siteKey: first.siteKey, message: { id: `first-${Date.now()}-${Math.random().toString(36).slice(2)}`, text: `Hello, I am ${name}` } }, session.body.token)
      if (created.status !== 201) throw new Error(JSON.stringify(created.body))
      return created.body.id as string
    },
    peers: () => [...peers],
    async close() {
      for (const peer of peers) peer.destroy()
      for (const server of servers) await server.close()
      await database?.dispose()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return desk
}

/** Opens a conversation document as the given agent, for reading what both sides see. */
export async function openConversation(desk: Desk, agent: Agent, conversationId: string, on = 0): Promise<Peer> {
  const peer = connectPeer(desk.servers[on]!.url.replace('http', 'ws') + '/sync', formatConversationName(conversationId), agent.token)
  await peer.ready
  return peer
}
