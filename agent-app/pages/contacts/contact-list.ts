/** What the Contacts page's index hands its views: shared here so the views never import the index. */
import type { ContactSort } from '../../../protocol/index.ts'
import type { AttributeDefinition, ContactDetail, ContactInfo } from '../../io/index.ts'

export interface ContactListState {
  q: string
  sort: ContactSort
  items: ContactInfo[]
  loading: boolean
  error: string | null
  /** Listed from this device's copies: the server is out of reach. */
  offline: boolean
  hasMore: boolean
}

export interface ProfileData { contact: ContactDetail; definitions: AttributeDefinition[]; offline: boolean }

/** The sorts' names, as catalogue keys (pages/en.ts). */
export const SORT_LABELS = { lastSeen: 'contacts.sort.lastSeen', created: 'contacts.sort.created', name: 'contacts.sort.name' } as const satisfies Record<ContactSort, string>

export function contactsQuery(q: string, sort: ContactSort): string {
  const params = new URLSearchParams()
  if (q.trim()) params.set('q', q.trim())
  if (sort !== 'lastSeen') params.set('sort', sort)
  return params.toString()
}
