import { sql } from 'kysely'
import type { Services } from '../services.ts'
import { Reply, type Router } from './router.ts'

export function addSystemRoutes(router: Router, services: Services): void {
  router.add('GET', '/health', async () => {
    const database = await sql`select 1 as ok`.execute(services.db.kysely).then(() => 'ok' as const, () => 'down' as const)
    const redis = await services.redisStatus()
    const healthy = database === 'ok' && redis !== 'down'
    return new Reply(healthy ? 200 : 503, { status: healthy ? 'ok' : 'degraded', database, databaseDialect: services.db.dialect, redis })
  })

  router.add('GET', '/metrics', async (ctx) => {
    ctx.res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
    ctx.res.end(await services.metrics.render())
  })
}
