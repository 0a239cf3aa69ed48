/**
 * A small router: method + path pattern (`/api/widgets/:id`) to a handler that returns a JSON
 * value (or a `Reply`). Errors are typed ParleyErrors, mapped to HTTP statuses here, at the edge.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ParleyError, RateLimitedError, isParleyError, type ErrorBody, type ErrorCode } from '../../protocol/index.ts'
import { randomUUID } from 'node:crypto'
import { withRequestId, type Logger } from '../log.ts'
import type { GenericSchema } from 'valibot'

export interface RequestContext {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  /** The matched route pattern (`/api/widgets/:id`). */
  route: string
  params: Record<string, string>
  query: Record<string, string>
  /** The parsed JSON body; a bad or oversized body is a 400/413 naming the problem. */
  body(): Promise<unknown>
  bearer(): string | null
  /** Called with the answer's status and duration once it is sent (the API-key request log). */
  onFinish(callback: (status: number, ms: number) => void): void
}

export class Reply {
  constructor(readonly status: number, readonly body: unknown, readonly headers: Record<string, string> = {}) {}
}

export type Handler = (ctx: RequestContext) => unknown | Promise<unknown>

const STATUS: Record<ErrorCode, number> = {
  'bad-request': 400, unauthenticated: 401, 'token-expired': 401, 'token-revoked': 401, forbidden: 403, 'forbidden-workspace': 403,
  'forbidden-conversation': 403, 'read-only': 403, 'not-found': 404, conflict: 409, 'rate-limited': 429, 'payload-too-large': 413,
  'malformed-update': 400, 'schema-violation': 400, 'history-rewrite': 409, 'storage-failed': 503, internal: 500,
}

/**
 * What a route takes and gives, for /api/openapi.json (server/openapi): the very valibot schemas
 * its handler validates with. Every route has one; server/openapi/openapi.test.ts fails otherwise.
 */
export interface RouteSpec {
  summary: string
  tag: string
  /** Who may call it: `agent` with the least role (and API keys of a scope that gives it), `visitor`, `public`, `service`; `inbound`: a workspace's inbound email token. */
  auth: 'public' | 'visitor' | 'service' | 'inbound' | 'agent' | 'viewer' | 'admin' | 'owner' | 'agent-or-visitor'
  body?: GenericSchema
  query?: GenericSchema
  /** The success answer's schema; omitted: a JSON object the summary describes. */
  response?: GenericSchema
  /** The success status when it is not 200. */
  status?: number
  /** A non-JSON answer (a file, a page). */
  produces?: string
  /** The body is not JSON (an upload). */
  consumes?: string
}

export interface RouteInfo { method: string; pattern: string; spec: RouteSpec | null }

interface Route { method: string; pattern: string; parts: string[]; handler: Handler; spec: RouteSpec | null }

/** Told of every answered request, with its route pattern (never the raw URL: one series per route). */
export type RequestObserver = (method: string, route: string, status: number, seconds: number) => void

export class Router {
  private routes: Route[] = []

  /**
   * `durable` is awaited after every successful request that may have written (any method but
   * GET and HEAD) and before its answer: what the client is told was saved is on disk.
   */
  constructor(private readonly log: Logger, private readonly maxBodyBytes = 1024 * 1024, private readonly durable: () => Promise<void> = () => Promise.resolve(), private readonly observe?: RequestObserver) {}

  add(method: string, pattern: string, handler: Handler, spec?: RouteSpec): this {
    // The first match answers: a second route of the same method and shape would never run.
    const shape = (p: string) => p.replace(/:[^/]+/g, ':')
    if (this.routes.some((r) => r.method === method && shape(r.pattern) === shape(pattern))) throw new Error(`route ${method} ${pattern} is registered twice`)
    this.routes.push({ method, pattern, parts: pattern.split('/').filter(Boolean), handler, spec: spec ?? null })
    return this
  }

  /** Every route in the table, in order, with its description: the access tests and the OpenAPI document sweep them all, so a new one cannot be left out. */
  list(): RouteInfo[] {
    return this.routes.map(({ method, pattern, spec }) => ({ method, pattern, spec }))
  }

  /**
   * Returns false when no route matches the path (so the caller can serve static files). Each
   * request gets an id (a proxy's sane `X-Request-Id`, or a new one), answered in `x-request-id`
   * and carried by every line logged while it is handled.
   */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const given = req.headers['x-request-id']
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    if (!res.headersSent) res.setHeader('x-request-id', requestId)
    return withRequestId(requestId, () => this.route(req, res))
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const segments = url.pathname.split('/').filter(Boolean).map(safeDecode)
    let pathMatched = false
    for (const route of this.routes) {
      const params = match(route.parts, segments)
      if (!params) continue
      pathMatched = true
      if (route.method !== req.method) continue
      const finishers: ((status: number, ms: number) => void)[] = []
      await this.run(route, { req, res, url, route: route.pattern, params, query: Object.fromEntries(url.searchParams), body: () => readJson(req, this.maxBodyBytes), bearer: () => bearer(req), onFinish: (f) => { finishers.push(f) } }, finishers)
      return true
    }
    if (pathMatched) {
      send(res, 405, { error: { code: 'bad-request', message: `${req.method} is not allowed here` } } satisfies ErrorBody)
      return true
    }
    return false
  }

  private async run({ handler, pattern }: Route, ctx: RequestContext, finishers: ((status: number, ms: number) => void)[] = []): Promise<void> {
    const started = performance.now()
    let status = 200
    try {
      const result = await handler(ctx)
      if (ctx.req.method !== 'GET' && ctx.req.method !== 'HEAD') await this.durable()
      if (ctx.res.headersSent) return
      if (result instanceof Reply) { status = result.status; send(ctx.res, result.status, result.body, result.headers) }
      else send(ctx.res, 200, result ?? { ok: true })
    } catch (error) {
      const parley = isParleyError(error) ? error : (error as { field?: string }).field ? new ParleyError('bad-request', (error as Error).message, (error as { field: string }).field) : null
      status = parley ? STATUS[parley.code] : 500
      if (!parley) this.log.error('request failed', { method: ctx.req.method, path: ctx.url.pathname, error })
      const retryAfter = parley instanceof RateLimitedError ? parley.retryAfterSeconds : null
      const body: ErrorBody = {
        error: parley
          ? { code: parley.code, message: parley.message, ...(parley.field ? { field: parley.field } : {}), ...(retryAfter !== null ? { retryAfterSeconds: retryAfter } : {}) }
          : { code: 'internal', message: 'internal error' },
      }
      if (!ctx.res.headersSent) send(ctx.res, status, body, retryAfter !== null ? { 'retry-after': String(retryAfter) } : {})
    } finally {
      const ms = performance.now() - started
      this.log.debug('http', { method: ctx.req.method, path: ctx.url.pathname, status, ms: Math.round(ms) })
      this.observe?.(ctx.req.method ?? '', pattern, ctx.res.statusCode || status, ms / 1000)
      for (const finish of finishers) finish(ctx.res.statusCode || status, ms)
    }
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/

function match(parts: string[], segments: string[]): Record<string, string> | null {
  if (parts.length !== segments.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string
    const segment = segments[i] as string
    if (part.startsWith(':')) params[part.slice(1)] = segment
    else if (part !== segment) return null
  }
  return params
}

const safeDecode = (s: string): string => { try { return decodeURIComponent(s) } catch { return s } }

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers })
  res.end(text)
}

function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null
  return null
}

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new ParleyError('payload-too-large', `the body is over ${limit} bytes`)
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') throw new ParleyError('bad-request', '(body): a JSON body is required', '(body)')
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new ParleyError('bad-request', `(body): not valid JSON (${(error as Error).message})`, '(body)')
  }
}
