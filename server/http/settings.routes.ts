import * as v from 'valibot'
import { AiSettingsBody, DEFAULT_AI_SETTINGS, ParleyError, parseInput, type AiSettings } from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import { getWorkspace, updateAiSettings } from '../../db/workspace.repository.ts'
import type { Services } from '../services.ts'
import { agentOf } from './principal.ts'
import type { Router } from './router.ts'

/** The workspace's AI settings, with defaults for what was never set. */
export async function readAiSettings(db: Db, workspaceId: string): Promise<AiSettings> {
  const workspace = await getWorkspace(db, workspaceId)
  const stored = workspace ? (JSON.parse(workspace.ai_settings) as Partial<AiSettings>) : {}
  const merged = { ...DEFAULT_AI_SETTINGS, ...stored }
  return v.is(AiSettingsBody, merged) ? merged : DEFAULT_AI_SETTINGS
}

/** What the schema cannot say alone: each day closes after it opens, a holiday is listed once. */
function checkBusinessHours(hours: AiSettings['businessHours']): void {
  if (!hours) return
  for (const [day, { open, close }] of Object.entries(hours.days)) {
    if (open >= close) throw new ParleyError('bad-request', `businessHours.days.${day}: must close after it opens (${open}–${close})`, `businessHours.days.${day}`)
  }
  const seen = new Set<string>()
  for (const [i, holiday] of (hours.holidays ?? []).entries()) {
    if (seen.has(holiday.date)) throw new ParleyError('bad-request', `businessHours.holidays.${i}.date: ${holiday.date} is listed twice`, `businessHours.holidays.${i}.date`)
    seen.add(holiday.date)
  }
}

export function addSettingsRoutes(router: Router, services: Services): void {
  router.add('GET', '/api/settings/ai', async (ctx) => {
    const me = await agentOf(services, ctx)
    return readAiSettings(services.db, me.workspaceId)
  }, { summary: 'The workspace\'s AI settings', tag: 'Settings', auth: 'viewer', response: AiSettingsBody })
  router.add('PUT', '/api/settings/ai', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(AiSettingsBody, await ctx.body())
    checkBusinessHours(body.businessHours)
    await updateAiSettings(services.db, me.workspaceId, body)
    return body
  }, { summary: 'Change the AI settings', tag: 'Settings', auth: 'admin', body: AiSettingsBody, response: AiSettingsBody })
}
