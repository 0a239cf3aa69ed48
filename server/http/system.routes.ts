import { sql } from 'kysely'
import { checkMetricsAccess } from '../health/metrics-access.ts'
import { Readiness } from '../health/readiness.ts'
import type { Services } from '../services.ts'
import { Reply, type Router } from './router.ts'

export function addSystemRoutes(router: Router, services: Services): void {
  // Liveness: the process answers. 200 even when a dependency is down (restarting would not fix
  // the database); the body still says what is degraded. Whether to send traffic is /ready's question.
  router.add('GET', '/health', async () => {
    const database = await sql`select 1 as ok`.execute(services.db.kysely).then(() => 'ok' as const, () => 'down' as const)
    const redis = await services.redisStatus()
    const healthy = database === 'ok' && redis !== 'down'
    return new Reply(200, { status: healthy ? 'ok' : 'degraded', database, databaseDialect: services.db.dialect, redis })
  }, { summary: 'Liveness (200 while the process serves; says degraded during a Redis outage)', tag: 'System', auth: 'public' })

  const readiness = new Readiness(services)
  router.add('GET', '/ready', async () => {
    const report = await readiness.check()
    return new Reply(report.ready ? 200 : 503, report)
  }, { summary: 'Readiness: 503 while the database or Redis is unreachable', tag: 'System', auth: 'public' })

  router.add('GET', '/metrics', async (ctx) => {
    checkMetricsAccess(ctx.req, ctx.bearer(), services.config.metricsToken)
    ctx.res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
    ctx.res.end(await services.metrics.render())
  }, { summary: 'Prometheus metrics (METRICS_TOKEN as bearer, or a loopback client)', tag: 'System', auth: 'public', produces: 'text/plain' })
}
