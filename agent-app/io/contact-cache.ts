/**
 * The contacts this device has seen (listed, opened, edited), kept per account in localStorage,
 * newest first and bounded, so the Contacts page lists and searches them offline. Sign-out wipes
 * them with the rest of the account's keys (io/local-data.ts: everything under its prefix).
 */
import type { ContactRecord } from '../../protocol/index.ts'
import { accountPrefix } from './local-data.ts'

/** A few thousand records stay well under localStorage's quota (~1 KB each). */
const MAX_SEEN = 2000
const key = (agentId: string) => `${accountPrefix(agentId)}contacts:seen`

export function readSeenContacts(agentId: string): ContactRecord[] {
  try {
    const value = JSON.parse(localStorage.getItem(key(agentId)) ?? '[]') as ContactRecord[]
    return Array.isArray(value) ? value : []
  } catch { return [] }
}

export function rememberContacts(agentId: string, contacts: ContactRecord[]): void {
  if (contacts.length === 0) return
  const fresh = new Map(contacts.map((c) => [c.id, stripHistory(c)]))
  const kept = readSeenContacts(agentId).filter((c) => !fresh.has(c.id))
  const next = [...fresh.values(), ...kept].slice(0, MAX_SEEN)
  try { localStorage.setItem(key(agentId), JSON.stringify(next)) } catch { /* full: the older copies stay */ }
}

/** A profile's conversations are not part of the list's copy. */
function stripHistory(c: ContactRecord): ContactRecord {
  const { conversations: _c, conversationsCursor: _k, ...record } = c as ContactRecord & { conversations?: unknown; conversationsCursor?: unknown }
  return record
}

/** Offline search over the seen copies: every word must appear in a name, email, phone, company, tag or attribute. */
export function searchSeen(contacts: ContactRecord[], q: string): ContactRecord[] {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return contacts
  return contacts.filter((c) => {
    const text = [c.displayName, c.name, c.email, c.phone, (c.phone ?? '').replace(/\D/g, ''), c.company, ...c.tags, c.notes, ...Object.values(c.attributes).map(String)].filter(Boolean).join(' ').toLowerCase()
    return words.every((w) => text.includes(w))
  })
}
