/**
 * How long integration rows are kept (housekeeping runs this): API-key request logs and REST
 * action ids a week (a client retries within minutes), finished webhook deliveries and their
 * attempts 30 days (the log's filter goes back that far), alerts 90 days. Pending deliveries are
 * never deleted: they are the outbox.
 */
import { deleteApiActionsBefore } from '../../db/api-action.repository.ts'
import { deleteApiKeyRequestsBefore } from '../../db/api-key.repository.ts'
import type { Db } from '../../db/database.ts'

const DAY = 86_400_000

export async function pruneIntegrationRows(db: Db, now = Date.now()): Promise<number> {
  let deleted = 0
  const count = (r: { numDeletedRows: bigint }) => { deleted += Number(r.numDeletedRows) }
  await deleteApiKeyRequestsBefore(db, now - 7 * DAY)
  await deleteApiActionsBefore(db, now - 7 * DAY)
  count(await db.kysely.deleteFrom('webhook_attempts').where('at', '<', now - 30 * DAY).executeTakeFirst())
  count(await db.kysely.deleteFrom('webhook_deliveries').where('status', '!=', 'pending').where('created_at', '<', now - 30 * DAY).executeTakeFirst())
  count(await db.kysely.deleteFrom('integration_alerts').where('created_at', '<', now - 90 * DAY).executeTakeFirst())
  return deleted
}
