/**
 * GDPR routes of a contact (issue 13): export and erase, owners and admins only, each audited
 * (privacy_audit). The erase asks for the typed confirmation in its body as well as in the app,
 * so no script or stray click erases a person by accident.
 */
import { EraseContactBody, RetentionBody, parseInput } from '../../protocol/index.ts'
import { insertAudit, listAudit } from '../../db/privacy.repository.ts'
import { getRetentionDays, setRetentionDays } from '../../db/retention.repository.ts'
import { agentOf } from '../http/principal.ts'
import type { Router } from '../http/router.ts'
import type { Services } from '../services.ts'
import { eraseContact, type EraseDeps } from './contact-erase.ts'
import { exportContact } from './contact-export.ts'

export function addPrivacyRoutes(router: Router, services: Services, deps: Pick<EraseDeps, 'durability' | 'projection'>): void {
  const erasing = new Map<string, Promise<unknown>>()

  router.add('GET', '/api/contacts/:id/export', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const { fileName, zip } = await exportContact(services, { agentId: me.agentId, workspaceId: me.workspaceId }, ctx.params.id as string)
    ctx.res.writeHead(200, {
      'content-type': 'application/zip',
      'content-length': zip.length,
      'content-disposition': `attachment; filename="${fileName}"`,
      'cache-control': 'no-store',
    })
    ctx.res.end(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength))
  }, { summary: 'Export everything Parley holds about a contact (a zip; audited)', tag: 'Privacy', auth: 'admin', produces: 'application/zip' })

  router.add('POST', '/api/contacts/:id/erase', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    parseInput(EraseContactBody, await ctx.body())
    const contactId = ctx.params.id as string
    // Two erases of one person at once would compact the same documents twice; the second waits.
    const previous = erasing.get(contactId) ?? Promise.resolve()
    const run = previous.catch(() => {}).then(() => eraseContact({ ...services, ...deps }, { agentId: me.agentId, workspaceId: me.workspaceId }, contactId))
    erasing.set(contactId, run)
    try {
      return await run
    } finally {
      if (erasing.get(contactId) === run) erasing.delete(contactId)
    }
  }, { summary: 'Erase a contact and everything about them (the typed confirmation in the body; audited)', tag: 'Privacy', auth: 'admin', body: EraseContactBody })

  /** The workspace's retention policy (server/housekeeping/retention.ts): off (null) by default. */
  router.add('GET', '/api/settings/retention', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    return { days: await getRetentionDays(services.db, me.workspaceId) }
  }, { summary: 'The retention policy: resolved conversations erased this many days after their last activity (null: kept)', tag: 'Privacy', auth: 'admin', response: RetentionBody })

  router.add('PUT', '/api/settings/retention', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const body = parseInput(RetentionBody, await ctx.body())
    const before = await getRetentionDays(services.db, me.workspaceId)
    if (before !== body.days) {
      await setRetentionDays(services.db, me.workspaceId, body.days)
      await insertAudit(services.db, { workspace_id: me.workspaceId, action: 'retention-changed', actor_id: me.agentId, contact_id: null, conversation_id: null, detail: { from: before, to: body.days } })
      services.log.info('retention policy changed', { workspaceId: me.workspaceId, from: before, to: body.days })
    }
    return body
  }, { summary: 'Set the retention policy (days 1–3650, or null to keep conversations); housekeeping erases what is due', tag: 'Privacy', auth: 'admin', body: RetentionBody, response: RetentionBody })

  /** Who exported, erased or merged what of this contact, and when. */
  router.add('GET', '/api/contacts/:id/privacy-log', async (ctx) => {
    const me = await agentOf(services, ctx, 'admin')
    const rows = await listAudit(services.db, me.workspaceId, ctx.params.id as string)
    return { items: rows.map((r) => ({ action: r.action, actorId: r.actor_id, conversationId: r.conversation_id, detail: JSON.parse(r.detail) as unknown, at: r.at })) }
  }, { summary: 'Who exported, erased or merged what of this contact, and when', tag: 'Privacy', auth: 'admin' })
}
