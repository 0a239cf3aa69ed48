/** API keys of a workspace: made, listed and revoked by owners and admins signed in to the app. */
import * as v from 'valibot'
import { API_KEY_PREFIX, API_KEY_SCOPES, CreateApiKeyBody, ParleyError, createId, parseInput } from '../../protocol/index.ts'
import { apiKeyHealth, getApiKey, insertApiKey, listApiKeys, revokeApiKey } from '../../db/api-key.repository.ts'
import type { ApiKey } from '../../db/tables.ts'
import { hashToken } from '../auth/tokens.ts'
import { sessionAgentOf } from '../http/principal.ts'
import { Reply, type Router } from '../http/router.ts'
import type { Services } from '../services.ts'
import { randomBytes } from 'node:crypto'

export const ApiKeySchema = v.object({
  id: v.string(), name: v.string(), scope: v.picklist(API_KEY_SCOPES), prefix: v.string(), createdBy: v.string(),
  createdAt: v.number(), lastUsedAt: v.nullable(v.number()), revokedAt: v.nullable(v.number()),
})
const CreatedKeySchema = v.object({ ...ApiKeySchema.entries, token: v.string() })

export const publicApiKey = (k: ApiKey): v.InferOutput<typeof ApiKeySchema> => ({
  id: k.id, name: k.name, scope: k.scope, prefix: k.prefix, createdBy: k.created_by, createdAt: k.created_at, lastUsedAt: k.last_used_at, revokedAt: k.revoked_at,
})

const HEALTH_WINDOW_MS = 24 * 3600_000

export function addApiKeyRoutes(router: Router, services: Services): void {
  router.add('GET', '/api/api-keys', async (ctx) => {
    const me = await sessionAgentOf(services, ctx, 'admin')
    const keys = await listApiKeys(services.db, me.workspaceId)
    const since = Date.now() - HEALTH_WINDOW_MS
    return { items: await Promise.all(keys.map(async (k) => ({ ...publicApiKey(k), health: await apiKeyHealth(services.db, k.id, since) }))) }
  }, { summary: 'List the workspace\'s API keys with their last day of use', tag: 'API keys', auth: 'admin' })

  router.add('POST', '/api/api-keys', async (ctx) => {
    const me = await sessionAgentOf(services, ctx, 'admin')
    const body = parseInput(CreateApiKeyBody, await ctx.body())
    const token = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`
    const row = { id: createId('key_'), workspace_id: me.workspaceId, name: body.name, scope: body.scope, token_hash: hashToken(token), prefix: token.slice(0, 10), created_by: me.agentId, created_at: Date.now() }
    await insertApiKey(services.db, row)
    // The token is in this answer only: the database keeps its hash.
    return new Reply(201, { ...publicApiKey({ ...row, last_used_at: null, revoked_at: null }), token })
  }, { summary: 'Create an API key; the token is shown in this answer only', tag: 'API keys', auth: 'admin', body: CreateApiKeyBody, response: CreatedKeySchema, status: 201 })

  router.add('DELETE', '/api/api-keys/:id', async (ctx) => {
    const me = await sessionAgentOf(services, ctx, 'admin')
    const id = ctx.params.id as string
    if (!(await getApiKey(services.db, me.workspaceId, id))) throw new ParleyError('not-found', 'no such API key')
    await revokeApiKey(services.db, me.workspaceId, id)
    return publicApiKey((await getApiKey(services.db, me.workspaceId, id))!)
  }, { summary: 'Revoke an API key: every instance refuses it from the next request on', tag: 'API keys', auth: 'admin', response: ApiKeySchema })
}
