/**
 * /api/openapi.json, generated from the router's table (issue 16): each route's pattern, its
 * valibot schemas (the ones its handler validates with) converted by @valibot/to-json-schema, and
 * who may call it. Nothing here is written by hand per route, so the description cannot drift
 * from what the server accepts.
 */
import { toJsonSchema } from '@valibot/to-json-schema'
import type { GenericSchema } from 'valibot'
import { PROTOCOL_VERSION } from '../../protocol/index.ts'
import type { RouteInfo, RouteSpec } from '../http/router.ts'

type Json = Record<string, unknown>

/**
 * Request schemas are described as what a client sends (the input, before trims and
 * transforms); checks JSON Schema cannot say (a custom check, a transform) are left out of the
 * description and still enforced by the server.
 */
export function schemaOf(schema: GenericSchema, typeMode: 'input' | 'output' = 'input'): Json {
  const { $schema: _drop, ...json } = toJsonSchema(schema, { target: 'draft-2020-12', typeMode, errorMode: 'ignore' }) as Json
  return json
}

const AUTH_TEXT: Record<RouteSpec['auth'], string> = {
  public: 'No token.',
  visitor: 'A visitor token (from POST /api/widget/session).',
  'agent-or-visitor': 'A visitor token of the conversation\'s contact, or an agent session / API key of its workspace.',
  service: 'The service token.',
  inbound: 'The workspace\'s inbound email token (Settings → Email; POST /api/settings/email/inbound-token).',
  viewer: 'An agent session (any role), or an API key of any scope.',
  agent: 'An agent session with the agent role or higher, or an API key of scope write or admin.',
  admin: 'An owner or admin session, or an API key of scope admin.',
  owner: 'The owner\'s session.',
}

const ERROR_RESPONSES: Record<string, string> = {
  400: 'Bad input: `error.field` names the first bad field; nothing was changed.',
  401: 'No token, an unknown one, or one that expired or was revoked.',
  403: 'The token may not do this.',
  404: 'No such thing in your workspace.',
  429: 'Rate-limited: `Retry-After` says when to try again.',
}

function operationOf(route: RouteInfo & { spec: RouteSpec }): Json {
  const { spec, method, pattern } = route
  const pathParams = pattern.split('/').filter((p) => p.startsWith(':')).map((p) => ({ name: p.slice(1), in: 'path', required: true, schema: { type: 'string' } }))
  const queryParams: Json[] = []
  if (spec.query) {
    const q = schemaOf(spec.query)
    const required = new Set((q.required as string[] | undefined) ?? [])
    for (const [name, schema] of Object.entries((q.properties as Record<string, Json> | undefined) ?? {})) queryParams.push({ name, in: 'query', required: required.has(name), schema })
  }
  const status = String(spec.status ?? 200)
  const success: Json = { description: spec.summary }
  if (spec.produces) success.content = { [spec.produces]: { schema: { type: 'string', ...(spec.produces.startsWith('text/') ? {} : { format: 'binary' }) } } }
  else success.content = { 'application/json': { schema: spec.response ? schemaOf(spec.response, 'output') : { type: 'object' } } }
  const errors = Object.fromEntries(Object.entries(ERROR_RESPONSES)
    .filter(([code]) => spec.auth !== 'public' || (code !== '401' && code !== '403'))
    .map(([code, description]) => [code, { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }]))
  const body = spec.consumes
    ? { required: true, content: { [spec.consumes]: { schema: { type: 'string', format: 'binary' } } } }
    : spec.body ? { required: true, content: { 'application/json': { schema: schemaOf(spec.body) } } } : undefined
  return {
    operationId: `${method.toLowerCase()}${pattern.replace(/\/:?([a-zA-Z-]+)/g, (_m, part: string) => part[0]!.toUpperCase() + part.slice(1).replace(/-(\w)/g, (_x, c: string) => c.toUpperCase()))}`,
    summary: spec.summary,
    description: `Who may call it: ${AUTH_TEXT[spec.auth]}`,
    tags: [spec.tag],
    ...(spec.auth === 'public' ? { security: [] } : {}),
    ...(pathParams.length + queryParams.length > 0 ? { parameters: [...pathParams, ...queryParams] } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: { [status]: success, ...errors },
  }
}

export function buildOpenApiDocument(routes: RouteInfo[], serverUrl?: string): Json {
  const paths: Record<string, Json> = {}
  for (const route of routes) {
    if (!route.spec) continue
    const path = route.pattern.replace(/:([A-Za-z]+)/g, '{$1}')
    paths[path] = { ...(paths[path] ?? {}), [route.method.toLowerCase()]: operationOf(route as RouteInfo & { spec: RouteSpec }) }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parley API',
      version: String(PROTOCOL_VERSION),
      description: 'The HTTP API of Parley. Send `Authorization: Bearer <token>`: an agent session token (POST /api/auth/sign-in), '
        + 'an API key (`pk_…`, Settings → Integrations), or a visitor token for the widget routes. Errors are `{"error":{"code","message","field"?}}`. '
        + 'Writes are idempotent by the `id` the client gives. Conversation documents sync over the WebSocket at /sync (Yjs); webhooks are described in the README.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A session token, an API key (pk_…) or a visitor token' } },
      schemas: {
        Error: {
          type: 'object', required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' }, retryAfterSeconds: { type: 'integer' } } } },
        },
      },
    },
  }
}
