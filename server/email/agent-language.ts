/**
 * The language of an agent's emails: the one they chose in the app (synced in their
 * `agent:<id>` document, so it is the same on every device), else, when the app follows their
 * browser ('auto'), the browser's language of the device they last signed in on (sessions keep
 * its Accept-Language), else English. The stored document is read, not a loaded one: every
 * update is in the log before it is acknowledged, so the store is as new as any instance's copy.
 */
import * as Y from 'yjs'
import { CUSTOMER_EMAIL_LANGUAGES, formatAgentName, getPreferences, type EmailLanguage } from '../../protocol/index.ts'
import { isUiLocale, negotiateLocale } from '../../protocol/i18n.ts'
import type { Db } from '../../db/database.ts'
import { loadStoredDocument } from '../../db/doc-log.repository.ts'

/** The email language an Accept-Language header asks for, or null when it names none of ours. */
export function languageOfHeader(header: string | string[] | null | undefined): EmailLanguage | null {
  const tags = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((t) => t.trim()).filter(Boolean).slice(0, 20)
  const hit = negotiateLocale(tags, CUSTOMER_EMAIL_LANGUAGES, '' as EmailLanguage)
  return hit || null
}

/** What the agent chose in the app ('auto' or never chosen: null). */
export async function chosenLanguage(db: Db, agentId: string): Promise<EmailLanguage | null> {
  const stored = await loadStoredDocument(db, formatAgentName(agentId))
  if (!stored.snapshot && stored.updates.length === 0) return null
  const doc = new Y.Doc()
  try {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.data)
    for (const update of stored.updates) Y.applyUpdate(doc, update.data)
    const value = getPreferences(doc).get('language')
    return isUiLocale(value) ? value : null
  } finally { doc.destroy() }
}

/** The language to write this agent in; `hint` is a request of theirs at hand (its Accept-Language). */
export async function agentEmailLanguage(db: Db, agentId: string, hint?: string | string[] | null): Promise<EmailLanguage> {
  const chosen = await chosenLanguage(db, agentId)
  if (chosen) return chosen
  const fromRequest = languageOfHeader(hint)
  if (fromRequest) return fromRequest
  const session = await db.kysely.selectFrom('sessions').select('language').where('agent_id', '=', agentId).where('kind', '=', 'agent').where('language', 'is not', null)
    .orderBy('created_at', 'desc').limit(1).executeTakeFirst()
  return languageOfHeader(session?.language) ?? 'en'
}
