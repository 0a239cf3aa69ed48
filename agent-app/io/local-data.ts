/**
 * What this device keeps per account and workspace: the session, IndexedDB copies of documents
 * (`parley:<agentId>:<workspaceId>:<document>`), the pending-changes ledger and cached API
 * answers (keyed by workspace too). Switching workspace leaves the other's copy in place, so it
 * works offline again when switched back; signing out wipes all of the account's.
 */
import * as Y from 'yjs'
import { IndexeddbPersistence } from 'y-indexeddb'
import { apiCacheName } from './http.ts'

/**
 * The first workspace this device used for the account keeps the short prefix (`parley:<agent>:`),
 * the one every copy had before an agent could belong to several workspaces: what was kept
 * offline before an upgrade (documents, the pending-changes ledger, files to send) is still found.
 * Every other workspace's copies carry its id.
 */
export function accountPrefix(agentId: string, workspaceId?: string): string {
  const all = `parley:${agentId}:`
  if (!workspaceId) return all
  const key = `${all}first-workspace`
  let first = localStorage.getItem(key)
  if (!first) { first = workspaceId; localStorage.setItem(key, first) }
  return first === workspaceId ? all : `${all}${workspaceId}:`
}

/** A document's name (what follows the prefix) as the sync hub stores it: `<kind>:<id>`. */
const DOCUMENT = /^(conversation|internal|inbox|agent):[^:]+$/

export interface StoredSession {
  token: string
  agent: { id: string; name: string; role: 'owner' | 'admin' | 'agent' | 'viewer'; email?: string }
  workspace: { id: string; name: string }
}

const SESSION_KEY = 'parley:session'

export function readSession(): StoredSession | null {
  try {
    const value = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null') as StoredSession | null
    return value && typeof value.token === 'string' && value.agent?.id && value.workspace?.id ? value : null
  } catch { return null }
}

export const writeSession = (session: StoredSession): void => localStorage.setItem(SESSION_KEY, JSON.stringify(session))

/** Names of the documents of this account kept on this device. */
export async function listLocalDocuments(agentId: string, workspaceId: string): Promise<string[]> {
  const prefix = accountPrefix(agentId, workspaceId)
  const all = await indexedDB.databases()
  // The short prefix also starts the other workspaces' names: only documents directly under it are this one's.
  return all.map((d) => d.name ?? '').filter((name) => name.startsWith(prefix)).map((name) => name.slice(prefix.length)).filter((rest) => DOCUMENT.test(rest))
}

/** Loads a document from this device only (no network), for offline search. */
export async function readLocalDocument(agentId: string, workspaceId: string, name: string): Promise<Y.Doc> {
  const doc = new Y.Doc()
  const persistence = new IndexeddbPersistence(accountPrefix(agentId, workspaceId) + name, doc)
  await persistence.whenSynced
  await persistence.destroy()
  return doc
}

export async function wipeAccount(agentId: string): Promise<void> {
  const prefix = accountPrefix(agentId)
  const all = await indexedDB.databases()
  await Promise.all(all.filter((d) => d.name?.startsWith(prefix)).map((d) => new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(d.name!)
    request.onsuccess = request.onerror = request.onblocked = () => resolve()
  })))
  if ('caches' in globalThis) await caches.delete(apiCacheName(agentId))
  for (const key of Object.keys(localStorage)) if (key.startsWith(prefix)) localStorage.removeItem(key)
  localStorage.removeItem(SESSION_KEY)
}
