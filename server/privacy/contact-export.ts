/**
 * GDPR export of a contact (issue 13, "right of access"): one zip holding
 * - `contact.json`: the whole profile row (every column, so fields added later come along);
 * - `conversations/<id>.json`: each conversation as its documents say (meta, every message as
 *   sent, the team's notes, the AI's classification) with its row and its event log;
 * - `attachments/<conversation>/<attachment>-<name>`: every file their conversations hold;
 * - `manifest.json`: when, by whom, what is inside; `README.txt` for the person receiving it.
 * Read from the documents (the source of truth), not the projection.
 */
import type { Hocuspocus } from '@hocuspocus/server'
import { zipSync, type Zippable } from 'fflate'
import { ParleyError, formatConversationName, formatInternalName, readClassification, readMessages, readMeta, readNotes } from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import { listConversationEvents } from '../../db/conversation-event.repository.ts'
import { insertAudit, listAudit, listContactConversations } from '../../db/privacy.repository.ts'
import type { AttachmentStore } from '../storage/attachment-store.ts'

export interface ExportDeps { db: Db; hocuspocus: Hocuspocus; attachments: AttachmentStore }

const encoder = new TextEncoder()
const json = (value: unknown) => encoder.encode(JSON.stringify(value, null, 2) + '\n')
/** A name safe in every unzip tool: no folders, no control characters. */
const safeName = (name: string) => name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').slice(0, 120) || 'file'

async function readDocument<T>(hocuspocus: Hocuspocus, name: string, read: (doc: import('yjs').Doc) => T): Promise<T> {
  const connection = await hocuspocus.openDirectConnection(name, { internal: 'export' })
  try {
    let result!: T
    await connection.transact((doc) => { result = read(doc) })
    return result
  } finally {
    await connection.disconnect({ unloadImmediately: false })
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return new Uint8Array(Buffer.concat(chunks))
}

export async function exportContact(deps: ExportDeps, actor: { agentId: string; workspaceId: string }, contactId: string): Promise<{ fileName: string; zip: Uint8Array }> {
  const contact = await deps.db.kysely.selectFrom('contacts').selectAll().where('workspace_id', '=', actor.workspaceId).where('id', '=', contactId).executeTakeFirst()
  if (!contact) throw new ParleyError('not-found', 'no such contact')
  const files: Zippable = {}
  const profile = { ...contact, fields: parseJson(contact.fields) }
  files['contact.json'] = json(profile)
  const conversations = await listContactConversations(deps.db, actor.workspaceId, contactId)
  const listed: { id: string; messages: number; notes: number; attachments: number }[] = []
  for (const row of conversations) {
    const { meta, messages } = await readDocument(deps.hocuspocus, formatConversationName(row.id), (doc) => ({ meta: readMeta(doc), messages: readMessages(doc) }))
    const { notes, classification } = await readDocument(deps.hocuspocus, formatInternalName(row.id), (doc) => ({ notes: readNotes(doc), classification: readClassification(doc) }))
    const events = await listConversationEvents(deps.db, row.id)
    let attachments = 0
    for (const message of [...messages, ...notes]) {
      for (const attachment of message.attachments) {
        const found = await deps.attachments.get(`${row.id}/${attachment.id}`).catch(() => null)
        if (!found) continue
        files[`attachments/${row.id}/${attachment.id}-${safeName(found.info.name)}`] = [await readAll(found.open()), { level: 0 }]
        attachments++
      }
    }
    files[`conversations/${row.id}.json`] = json({
      id: row.id, status: row.status, createdAt: row.created_at, mergedInto: row.merged_into ?? null, meta, messages, notes, classification,
      row: { ...row, labels: parseJson(row.labels) }, events,
    })
    listed.push({ id: row.id, messages: messages.length, notes: notes.length, attachments })
  }
  const exportedAt = new Date().toISOString()
  files['manifest.json'] = json({
    format: 'parley-contact-export', version: 1, exportedAt, exportedBy: actor.agentId, workspaceId: actor.workspaceId, contactId,
    conversations: listed, history: (await listAudit(deps.db, actor.workspaceId, contactId)).map((a) => ({ action: a.action, at: a.at, by: a.actor_id })),
  })
  files['README.txt'] = encoder.encode([
    `Everything this workspace holds about contact ${contactId}, exported ${exportedAt}.`,
    'contact.json: the profile. conversations/: each conversation with its messages (as sent), the team\'s notes and its history.',
    'attachments/: the files of those conversations. manifest.json: what is in this archive.', '',
  ].join('\n'))
  const zip = zipSync(files, { level: 6, mtime: new Date() })
  await insertAudit(deps.db, {
    workspace_id: actor.workspaceId, action: 'contact-exported', actor_id: actor.agentId, contact_id: contactId, conversation_id: null,
    detail: { conversations: listed.length, bytes: zip.length },
  })
  return { fileName: `contact-${contactId}-${exportedAt.slice(0, 10)}.zip`, zip }
}

function parseJson(text: string): unknown {
  try { return JSON.parse(text) } catch { return text }
}
