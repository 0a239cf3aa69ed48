/**
 * The name a conversation's contact goes by in the team's lists: their name, their email, or a
 * stable "Visitor #1234" derived from the visitor id, so anonymous visitors can be told apart
 * (every row read "Visitor"; issue 17). The number is a hash, not a count: the same visitor
 * always gets the same one, on every device, without a lookup.
 */
import type { ContactSummary } from './conversation.ts'

export function formatContactName(contact: Pick<ContactSummary, 'id' | 'name' | 'email'> | undefined | null): string {
  if (contact?.name?.trim()) return contact.name.trim()
  if (contact?.email?.trim()) return contact.email.trim()
  return contact?.id ? `Visitor #${visitorNumber(contact.id)}` : 'Visitor'
}

/** 4 digits (1000–9999) from FNV-1a over the id. */
export function visitorNumber(id: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0
  return 1000 + (hash % 9000)
}
