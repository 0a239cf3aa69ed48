/**
 * `npm run bench -- routing`: time from escalation to assignment (issue 12). 50 agents online
 * in one least-loaded inbox, 1,000 conversations already waiting when they come online (the
 * backlog: how long until all are placed), then new conversations escalating one by one at a
 * steady pace while the desk is busy (each one's escalation → assignment, p50/p99). Single
 * instance on SQLite, and two instances on one PostgreSQL linked by Redis (escalations split
 * between them). Servers run in this process (server/routing/routing-kit.ts), not compiled.
 * `--size N` changes the backlog (default 1000).
 */
import { api, waitFor } from '../server/test-kit.ts'
import { startDesk } from '../server/routing/routing-kit.ts'
import { fmtMs, percentile, printTable, writeResults } from './lib/report.ts'

const args = process.argv.slice(2)
const size = Number(args[args.indexOf('--size') + 1] ?? 0) || 1000
const AGENTS = 50
const FRESH = 100

async function run(instances: 1 | 2) {
  const desk = await startDesk({ instances, start: { routingIntervalMs: 2000 } })
  try {
    const url = desk.urls[0]!
    const inbox = (await api(url, 'POST', '/api/inboxes', { name: 'Bench', isDefault: true, policy: 'least-loaded', widgetIds: [desk.widgetId] }, desk.owner.token)).body
    const agents = []
    for (let i = 0; i < AGENTS; i++) {
      const agent = await desk.addAgent(`Agent ${i}`)
      await api(url, 'PUT', `/api/agents/${agent.id}/capacity`, { capacity: Math.ceil((size + FRESH) / AGENTS) + 1 }, desk.owner.token)
      agents.push(agent)
    }
    const db = desk.servers[0]!.services.db
    const backlog: string[] = []
    for (let i = 0; i < size; i++) backlog.push(await desk.escalate(`Backlog ${i}`, i % instances))
    await waitFor(async () => Number((await db.kysely.selectFrom('conversations').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'waiting').executeTakeFirstOrThrow()).n) >= size, 120_000, 'the backlog projected')
    const online = performance.now()
    for (const [i, agent] of agents.entries()) await desk.connect(agent, i % instances)
    await waitFor(async () => Number((await db.kysely.selectFrom('conversation_routing').select((eb) => eb.fn.countAll<number>().as('n')).where('assignee_id', 'is not', null).executeTakeFirstOrThrow()).n) >= size, 300_000, 'the backlog placed')
    const drainMs = performance.now() - online
    // Fresh escalations while every agent is busy, one every 50 ms.
    const fresh: string[] = []
    for (let i = 0; i < FRESH; i++) { fresh.push(await desk.escalate(`Fresh ${i}`, i % instances)); await new Promise((r) => setTimeout(r, 50)) }
    await waitFor(async () => Number((await db.kysely.selectFrom('conversation_routing').select((eb) => eb.fn.countAll<number>().as('n')).where('conversation_id', 'in', fresh).where('assignee_id', 'is not', null).executeTakeFirstOrThrow()).n) >= FRESH, 120_000, 'the fresh ones placed')
    const rows = await db.kysely.selectFrom('conversation_routing as r').innerJoin('conversations as c', 'c.id', 'r.conversation_id').select(['r.assigned_at', 'c.created_at']).where('r.conversation_id', 'in', fresh).execute()
    const latencies = rows.map((r) => Number(r.assigned_at) - Number(r.created_at))
    const assignees = await db.kysely.selectFrom('conversation_routing').select(['assignee_id', (eb) => eb.fn.countAll<number>().as('n')]).where('assignee_id', 'is not', null).groupBy('assignee_id').execute()
    const counts = assignees.map((a) => Number(a.n))
    return { instances, backlog: size, agents: AGENTS, drainMs, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), spread: `${Math.min(...counts)}–${Math.max(...counts)}`, inbox: inbox.id }
  } finally {
    await desk.close()
  }
}

const results = []
for (const instances of [1, 2] as const) results.push(await run(instances))
printTable(`Escalation → assignment, ${size} waiting, ${AGENTS} agents, least-loaded`, results.map((r) => ({
  setup: r.instances === 1 ? 'one instance (SQLite)' : 'two instances (PostgreSQL + Redis)', 'backlog placed in': `${fmtMs(r.drainMs)} ms`,
  'fresh p50': `${fmtMs(r.p50)} ms`, 'fresh p99': `${fmtMs(r.p99)} ms`, 'fresh max': `${fmtMs(r.max)} ms`, 'per agent': r.spread,
})))
writeResults('routing', { size, agents: AGENTS, fresh: FRESH, results })
process.exit(0)
