/** Each agent chooses, per workspace, which notification emails they get (both on by default). */
import { DEFAULT_NOTIFICATIONS, type NotificationPrefs } from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import { getMember, updateMember } from '../../db/agent.repository.ts'

export async function readNotificationPrefs(db: Db, workspaceId: string, agentId: string): Promise<NotificationPrefs> {
  const member = await getMember(db, workspaceId, agentId)
  let stored: Partial<NotificationPrefs> = {}
  try { stored = JSON.parse(member?.notify ?? '{}') as Partial<NotificationPrefs> } catch {}
  return { ...DEFAULT_NOTIFICATIONS, ...stored }
}

export async function writeNotificationPrefs(db: Db, workspaceId: string, agentId: string, patch: Partial<NotificationPrefs>): Promise<NotificationPrefs> {
  const next = { ...(await readNotificationPrefs(db, workspaceId, agentId)), ...patch }
  await updateMember(db, workspaceId, agentId, { notify: JSON.stringify(next) })
  return next
}
