/**
 * Builds one Parley server: HTTP API, static files and the Hocuspocus WebSocket at /sync on
 * one port. Tests and main.ts both start servers through `startServer`.
 */
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Hocuspocus, type Extension } from '@hocuspocus/server'
import { WebSocketServer, type WebSocket } from 'ws'
import { openDatabase, type Db } from '../db/database.ts'
import { countLoggedUpdates } from '../db/doc-log.repository.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { CloseCode } from '../protocol/index.ts'
import { createToken, hashToken } from './auth/tokens.ts'
import type { Config } from './config.ts'
import { ConversationService } from './conversation-service.ts'
import { AuthExtension } from './extensions/auth.ts'
import { DurabilityExtension } from './extensions/durability.ts'
import { ProjectionExtension } from './extensions/projection.ts'
import { RateLimitExtension } from './extensions/rate-limit.ts'
import { StatelessExtension } from './extensions/stateless.ts'
import { UpdateGuardExtension } from './extensions/update-guard.ts'
import { addAgentRoutes } from './http/agents.routes.ts'
import { addAuthRoutes } from './http/auth.routes.ts'
import { addBotRoutes } from './http/bot.routes.ts'
import { addConversationRoutes } from './http/conversations.routes.ts'
import { addKnowledgeRoutes } from './http/knowledge.routes.ts'
import { Router, send, type RouteInfo } from './http/router.ts'
import { addSettingsRoutes, readAiSettings } from './http/settings.routes.ts'
import { addSystemRoutes } from './http/system.routes.ts'
import { addVisitorRoutes } from './http/visitor.routes.ts'
import { addWidgetRoutes } from './http/widgets.routes.ts'
import { addWidgetSupportRoutes } from './http/widget-support.routes.ts'
import { addReportRoutes } from './reports/reports.routes.ts'
import { ConversationMerge } from './conversation-merge/conversation-merge.ts'
import { MergeForwarderExtension } from './conversation-merge/merge-forwarder.ts'
import { addMergeRoutes } from './conversation-merge/merge.routes.ts'
import { addPrivacyRoutes } from './privacy/privacy.routes.ts'
import { addKnowledgeBaseRoutes } from './knowledge-base/knowledge-base.routes.ts'
import { addContactRoutes } from './contacts/contacts.routes.ts'
import { addAuditRoutes } from './audit/audit.routes.ts'
import { addApiKeyRoutes } from './api-keys/api-key.routes.ts'
import { addConversationWriteRoutes } from './rest-api/conversation-writes.routes.ts'
import { ConversationWriter } from './rest-api/conversation-writer.ts'
import { addWebhookRoutes } from './webhooks/webhook.routes.ts'
import { addOpenApiRoutes } from './openapi/openapi.routes.ts'
import { WebhookDispatcher, type Clock as WebhookClock } from './webhooks/webhook-dispatcher.ts'
import { BullMqWebhookQueue, InProcessWebhookQueue, type WebhookQueue } from './webhooks/webhook-queue.ts'
import { WebhookTargets } from './webhooks/webhook-target.ts'
import { summarySyncsSettled } from './contacts/contact-service.ts'
import { VisitorStatusExtension } from './extensions/visitor-status.ts'
import { InboxWriter } from './inbox-writer.ts'
import { advanceInboxGeneration, getInboxGeneration } from '../db/workspace.repository.ts'
import { InProcessQueue, type JobQueue } from './job-queue.ts'
import { createLogger, type Logger } from './log.ts'
import { Metrics } from './metrics.ts'
import { LimiterFactory } from './rate-limits/limiter-factory.ts'
import { clientIp, type ClientRequest } from './rate-limits/client-ip.ts'
import { connectLimitStore } from './rate-limits/limit-store.ts'
import { SignInGuard } from './rate-limits/sign-in-guard.ts'
import { WidgetLimits } from './rate-limits/widget-limits.ts'
import type { Services } from './services.ts'
import { UpdateLog } from './update-log.ts'
import { AvailabilityService, systemClock, type Clock } from './routing/availability.ts'
import { connectDeviceCounts } from './routing/device-counts.ts'
import { RoutingService } from './routing/routing-service.ts'
import { addRoutingRoutes } from './routing/routing.routes.ts'
import { addTeamRoutes } from './routing/teams.routes.ts'
import { startSnoozeWaker } from './snooze-waker.ts'
import { startLostJobSweep } from './job-recovery/lost-job-sweep.ts'
import { startHousekeeping } from './housekeeping/housekeeping.ts'
import { serveStatic } from './static-files.ts'
import { DiskAttachmentStore } from './storage/disk-attachment-store.ts'
import { Revocations, type RevocationChannel } from './revocation/revocations.ts'
import { SessionSocket, SessionSockets } from './revocation/session-sockets.ts'
import type { RedisHealth } from './scale-out/redis-health.ts'
import { LinkNoticeExtension } from './scale-out/link-notice.ts'
import { startEmail } from './email/email-wiring.ts'
import { AgentNotifier } from './email/notifications.ts'
import { SlaWarnings } from './email/sla-warnings.ts'
import { AccountLimits } from './accounts/account-limits.ts'
import { addAccountRoutes } from './accounts/accounts.routes.ts'
import { addEmailRoutes } from './email/email.routes.ts'

export interface ParleyServer {
  url: string
  port: number
  services: Services
  serviceToken: string
  durability: DurabilityExtension
  projection: ProjectionExtension
  updateLog: UpdateLog
  /** The HTTP routes, for tests that must cover every one. */
  routes(): RouteInfo[]
  webhooks: WebhookDispatcher
  /** The route table: the OpenAPI test lists it. */
  router: Router
  close(): Promise<void>
}

export interface StartOptions {
  log?: Logger
  jobs?: JobQueue
  /** Extra Hocuspocus extensions (the Redis extension when scaled out). */
  extensions?: Extension[]
  /** Called with the services before the port opens (the in-process bot hooks in here). */
  beforeListen?: (services: Services, server: { serviceToken: string; url: () => string }) => Promise<void> | void
  redisStatus?: () => Promise<'ok' | 'down'>
  /** How instances tell each other about ended sessions (Redis when scaled out); none: this instance only. */
  revocationChannel?: RevocationChannel
  /** The Redis connections' state when scaled out: /health and /metrics read it. */
  redisHealth?: RedisHealth
  /** The webhook queue (default: BullMQ with REDIS_URL, else in-process) and the clock its retries are timed by (tests). */
  webhookQueue?: WebhookQueue
  webhookClock?: WebhookClock
  /** Routing's clock (SLA due times, idle agents): tests pass one they move. */
  clock?: Clock
  /** How often routing's periodic pass runs (availability, assignment, SLA); default 2 s. */
  routingIntervalMs?: number
}

/**
 * What Hocuspocus keeps of an upgrade request for the connection's lifetime: it reads only `url`
 * and `headers`, no extension here reads a header, and a full Fetch Request with every header was
 * a large part of an idle connection's memory (bench/connections.ts). So: the URL, and one shared
 * empty, read-only set of headers.
 */
const NO_HEADERS = new Headers()
function connectionRequest(req: http.IncomingMessage, trustProxy: number): ClientRequest {
  // The client's address, for the rate limits of the send path over the socket (a short string, not the headers).
  return { url: `http://${req.headers.host ?? 'localhost'}${req.url}`, headers: NO_HEADERS, clientIp: clientIp(req, trustProxy) } as unknown as ClientRequest
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<ParleyServer> {
  const log = options.log ?? createLogger(config.logLevel)
  const db: Db = openDatabase(config.databaseUrl)
  // A database this build refuses (newer than it) or cannot migrate is closed again, untouched.
  await migrateToLatest(db).catch(async (error) => { await db.close(); throw error })
  const metrics = new Metrics()
  const updateLog = new UpdateLog(db)
  const serviceToken = config.serviceToken ?? createToken('ps')
  const serviceTokenHash = hashToken(serviceToken)
  const jobs = options.jobs ?? new InProcessQueue({ onFailed: (job, error) => log.error('bot job failed for good', { job, error }) })

  let hocuspocus!: Hocuspocus
  let merges: ConversationMerge | undefined
  const inbox = new InboxWriter(() => hocuspocus, {
    resolvedWindowMs: config.inboxResolvedWindowMs,
    generations: { current: (id) => getInboxGeneration(db, id), advance: (id, from) => advanceInboxGeneration(db, id, from) },
  })
  const durability = new DurabilityExtension(db, updateLog, config.compactEvery, log, metrics)
  const projection = new ProjectionExtension(db, inbox, metrics, log)
  const clock = options.clock ?? systemClock
  const presence = new AvailabilityService(db, await connectDeviceCounts(config.redisUrl ?? undefined, `${config.rateLimitPrefix}-presence`), clock)
  const visitorStatus = new VisitorStatusExtension(() => hocuspocus, inbox, presence, log)
  const guard = new UpdateGuardExtension(config.maxFrameBytes, log, config.refusedUpdates, metrics)
  const sessionSockets = new SessionSockets()
  const revocations = new Revocations(sessionSockets, options.revocationChannel ?? null, log)
  await revocations.start()
  const botEnabled = async (workspaceId: string) => (await readAiSettings(db, workspaceId)).enabled
  const statelessRef: { ext?: StatelessExtension } = {}
  const routingRef: { service?: RoutingService } = {}
  const limitStore = await connectLimitStore(config, log)
  const limiters = new LimiterFactory({ ...(limitStore.redis ? { redis: limitStore.redis } : {}), prefix: config.rateLimitPrefix })
  const widgetLimits = new WidgetLimits(limiters, config.limits.widget)
  const rateLimit = new RateLimitExtension(limiters, config.rateLimitPerSecond)
  hocuspocus = new Hocuspocus({
    name: 'parley',
    quiet: true,
    // Storage is the durability extension's (update log); this only paces Hocuspocus' unload.
    debounce: 1000,
    maxDebounce: 5000,
    extensions: [
      rateLimit,
      new AuthExtension(db, serviceTokenHash, sessionSockets),
      guard,
      durability,
      projection,
      { priority: 400, onStateless: (payload) => statelessRef.ext!.onStateless(payload) } satisfies Extension,
      presence,
      { priority: 140, afterLoadDocument: (p) => routingRef.service!.afterLoadDocument(p), beforeUnloadDocument: (p) => routingRef.service!.beforeUnloadDocument(p) } satisfies Extension,
      visitorStatus,
      ...(options.redisHealth ? [new LinkNoticeExtension(options.redisHealth, () => hocuspocus)] : []),
      new MergeForwarderExtension(() => merges),
      ...(options.extensions ?? []),
    ],
  })
  const attachments = new DiskAttachmentStore(path.join(config.dataDir, 'attachments'))
  const conversations = new ConversationService(db, hocuspocus, durability, jobs, botEnabled, attachments)
  statelessRef.ext = new StatelessExtension(db, conversations, widgetLimits, log)
  merges = new ConversationMerge(db, hocuspocus, durability, log)
  const routing = new RoutingService(db, () => hocuspocus, durability, conversations, inbox, presence, clock, log)
  routingRef.service = routing
  projection.onProjected = (workspaceId, entries, events) => routing.projected(workspaceId, entries, events)
  conversations.onCustomerReopened = (conversationId, message) => routing.customerReopened(conversationId, message)

  const email = startEmail(config, db, log)
  // Set once the port is open; links in emails are made from it (never from a request's Host header).
  let url = config.publicUrl ?? ''
  const services: Services = {
    email: email.service,
    config, db, log, metrics, hocuspocus, presence, routing, conversations, inbox, jobs, serviceTokenHash, attachments,
    widgetLimits,
    signInGuard: new SignInGuard(limiters, config.limits.signIn),
    redisStatus: async () => (options.redisStatus ? options.redisStatus() : options.redisHealth ? options.redisHealth.status() : 'not-configured'),
    revocations,
    publicUrl: () => url,
    accountLimits: new AccountLimits(limiters, config.accountLimits),
  }
  const notifier = new AgentNotifier(db, email.service, presence, log, () => url)
  projection.afterWrite = (projections) => notifier.afterProjection(projections)
  const slaWarnings = new SlaWarnings(db, notifier, log, () => email.service.configured)
  routing.afterPass = (now) => slaWarnings.sweep(now)
  metrics.gauge('parley_connections', 'Open document connections', () => hocuspocus.getConnectionsCount())
  metrics.gauge('parley_sockets_ended_total', 'Sockets closed because their session was revoked or expired, since start', () => sessionSockets.ended)
  metrics.gauge('parley_documents_loaded', 'Documents in memory', () => hocuspocus.getDocumentsCount())
  metrics.gauge('parley_messages_per_second', 'Messages appended per second, averaged over the last minute', () => metrics.messagesPerSecond())
  metrics.gauge('parley_update_log_rows', 'Rows in the update log not yet compacted into snapshots', () => countLoggedUpdates(db))
  metrics.gauge('parley_update_log_appended_total', 'Updates appended to the log since start', () => updateLog.appended)
  metrics.gauge('parley_update_log_commits_total', 'Group commits of the update log since start', () => updateLog.commits)
  metrics.gauge('parley_wal_syncs_total', 'fsyncs of the SQLite WAL since start (each makes every commit before it durable)', () => db.syncs())
  const countRefusal = (limit: string) => metrics.rateLimited.inc({ limit })
  widgetLimits.onRefused = countRefusal
  services.signInGuard.onRefused = countRefusal
  rateLimit.onRefused = countRefusal
  metrics.gauge('parley_job_queue_depth', 'Bot jobs waiting or running', () => jobs.depth())
  const redisHealth = options.redisHealth
  if (redisHealth) {
    metrics.gauge('parley_redis_up', '1 while every Redis connection of this instance is ready; 0 during an outage (documents are not shared with other instances)', () => (redisHealth.isDown() ? 0 : 1))
    metrics.gauge('parley_redis_errors_total', 'Errors and rejected commands from Redis clients since start', () => redisHealth.errors)
    metrics.gauge('parley_redis_outages_total', 'Redis outages since start', () => redisHealth.outages)
  }
  // Event-loop delay: how long a message can wait behind other work (stalls show here first).
  const loopDelay = monitorEventLoopDelay({ resolution: 10 })
  loopDelay.enable()
  metrics.gauge('parley_event_loop_delay_p99_ms', 'Event-loop delay p99 since the previous scrape, in milliseconds', () => {
    const p99 = loopDelay.count > 0 ? loopDelay.percentile(99) / 1e6 : 0
    loopDelay.reset()
    return Math.round(p99 * 10) / 10
  })

  const router = new Router(log, undefined, () => db.sync(), (method, route, status, seconds) => metrics.httpDuration.observe({ method, route, status }, seconds))
  for (const add of [addAuthRoutes, addAgentRoutes, addWidgetRoutes, addVisitorRoutes, addConversationRoutes, addKnowledgeRoutes, addSettingsRoutes, addSystemRoutes, addBotRoutes, addReportRoutes, addKnowledgeBaseRoutes, addContactRoutes, addAccountRoutes, addEmailRoutes, addAuditRoutes]) add(router, services)
  addWidgetSupportRoutes(router, services, visitorStatus)
  addMergeRoutes(router, services, merges)
  addPrivacyRoutes(router, services, { durability, projection })
  addApiKeyRoutes(router, services)
  addConversationWriteRoutes(router, services, new ConversationWriter(services, durability))
  const webhookTargets = new WebhookTargets(config.webhooks.targets)
  addWebhookRoutes(router, services, webhookTargets)
  addOpenApiRoutes(router, services)
  const webhookQueue = options.webhookQueue ?? (config.redisUrl
    ? new BullMqWebhookQueue({ redisUrl: config.redisUrl, prefix: process.env.PARLEY_QUEUE_PREFIX || 'parley', onError: (error) => log.warn('webhook queue', { error: error.message }) })
    : new InProcessWebhookQueue(8, (error) => log.error('webhook job failed', { error })))
  const webhooks = new WebhookDispatcher(db, webhookQueue, config.webhooks, webhookTargets, log, options.webhookClock)
  metrics.gauge('parley_webhook_queue_depth', 'Webhook streams waiting or being sent by this queue', () => webhookQueue.depth())
  addTeamRoutes(router, services)
  addRoutingRoutes(router, services)

  const httpServer = http.createServer((req, res) => {
    if (req.url?.startsWith('/api/widget') || req.url?.startsWith('/api/public')) {
      // The widget calls these from customers' sites; they use bearer tokens, never cookies.
      res.setHeader('access-control-allow-origin', '*')
      res.setHeader('access-control-allow-headers', 'authorization, content-type')
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS')
      if (req.method === 'OPTIONS') { res.writeHead(204); res.end(); return }
    }
    router.handle(req, res)
      .then(async (handled) => {
        if (handled) return
        const started = performance.now()
        await serveStatic(req, res, config)
        // One route label for every static file: raw paths would make a series per URL.
        metrics.httpDuration.observe({ method: req.method ?? '', route: '(static)', status: res.statusCode }, (performance.now() - started) / 1000)
      })
      .catch((error) => {
        log.error('unhandled request error', { error })
        if (!res.headersSent) send(res, 500, { error: { code: 'internal', message: 'internal error' } })
      })
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxFrameBytes })
  httpServer.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/sync') { socket.destroy(); return }
    wss.handleUpgrade(req, socket, head, (ws) => attachSocket(ws, connectionRequest(req, config.trustProxy)))
  })
  /** Wires one socket to Hocuspocus. Its own scope: the handlers must not keep the upgrade request alive. */
  const attachSocket = (ws: WebSocket, request: Request) => {
    // The sessions that open documents on this socket are tracked on it: when one ends, the
    // socket closes, and what it still sends while closing is dropped here.
    const session = new SessionSocket(ws)
    const client = hocuspocus.handleConnection(ws, request, { socket: session })
    ws.on('message', (data: Buffer) => { if (!session.ended) client.handleMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) })
    ws.on('close', (code, reason) => { sessionSockets.release(session); client.handleClose({ code, reason: reason.toString() }) })
    ws.on('error', (error) => {
      // ws closes an over-limit frame with 1009 itself; the other sockets are unaffected.
      log.warn('websocket error', { error: error.message, close: (error as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? CloseCode.messageTooBig.reason : undefined })
    })
  }

  const stopSnoozeWaker = startSnoozeWaker(services)
  const stopLostJobSweep = startLostJobSweep(services, { afterMs: config.botRecoveryMs })
  const stopHousekeeping = startHousekeeping({ ...services, erase: { durability, projection } })
  webhooks.start()
  routing.start(options.routingIntervalMs)
  await options.beforeListen?.(services, { serviceToken, url: () => url })
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject)
    httpServer.listen(config.port, config.host, () => resolve())
  })
  const port = (httpServer.address() as AddressInfo).port
  url = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`
  log.info('parley listening', { url, database: db.dialect })

  let closed = false
  return {
    url, port, services, serviceToken, durability, projection, updateLog, webhooks, router,
    routes: () => router.list(),
    async close() {
      if (closed) return
      closed = true
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((resolve) => httpServer.close(() => resolve()))
      httpServer.closeAllConnections()
      await webhooks.close()
      // A rename's background writes to older conversations finish before the documents close.
      await summarySyncsSettled()
      await stopLostJobSweep()
      await jobs.close()
      hocuspocus.closeConnections()
      visitorStatus.close()
      await routing.close()
      stopSnoozeWaker()
      await stopHousekeeping()
      // Run pending stores now and unload every document, so compaction and the last projection
      // finish before the database closes (and no debounce timer fires after it). Conversations
      // first: unloading one projects it into its inbox, so the inbox documents go last.
      const unloadAll = async () => {
        for (const document of [...hocuspocus.documents.values()]) {
          await hocuspocus.debouncer.executeNow(`onStoreDocument-${document.name}`)
          await hocuspocus.unloadDocument(document)
        }
      }
      await unloadAll()
      await projection.flush()
      await inbox.close()
      await unloadAll()
      await updateLog.drain()
      // Extensions release what they hold (the Redis extension its connections).
      await hocuspocus.hooks('onDestroy', { instance: hocuspocus })
      await revocations.close()
      // After the last projection: its notifications are queued (or logged for the sweep) first.
      await email.close()
      loopDelay.disable()
      await limitStore.close()
      await db.close()
    },
  }
}

export const dataPath = (config: Config, ...parts: string[]): string => {
  const full = path.join(config.dataDir, ...parts)
  fs.mkdirSync(path.dirname(full), { recursive: true })
  return full
}
