/**
 * Seeds a workspace with `count` contacts (100,000 for the contacts benchmark and the scale test):
 * names, emails, phones, companies, tags and attribute values (plan, seats, renewal, beta) drawn
 * from small lists, a third with one to three conversations, last seen over the past year. Rows
 * go straight into the tables with their derived columns (db/contact-profile.ts), in multi-row
 * inserts, one transaction per batch. Deterministic: contact `i` is always `seedContact(ws, i)`,
 * so a test can count what a search must find without asking the database.
 *
 *   node --import tsx scripts/seed-contacts.ts --count 100000      into the first workspace of DATA_DIR / DATABASE_URL
 */
import { attributeRows, deriveProfile } from '../../db/contact-profile.ts'
import type { Db } from '../../db/database.ts'
import type { Contact, ConversationRow } from '../../db/tables.ts'

const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances', 'Edsger', 'Radia', 'Tim', 'Hedy', 'Donald', 'Katherine', 'John', 'Shafi', 'Leslie', 'Sophie', 'Niklaus', 'Anita', 'Guido', 'Lynn', 'Bjarne', 'Joan', 'Yukihiro', 'Evelyn', 'Brendan', 'Mary', 'Rasmus', 'Jean', 'Larry', 'Carol', 'Vint', 'Susan', 'Bob', 'Marissa', 'James', 'Ruth', 'Andrew', 'Adele', 'Richard', 'Ida', 'Charles', 'Elena', 'Pierre', 'Mona', 'Jonas', 'Aiko', 'Omar']
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Allen', 'Dijkstra', 'Perlman', 'Berners', 'Lamarr', 'Knuth', 'Johnson', 'McCarthy', 'Goldwasser', 'Lamport', 'Wilson', 'Wirth', 'Borg', 'Rossum', 'Conway', 'Stroustrup', 'Clarke', 'Matsumoto', 'Berry', 'Eich', 'Keller', 'Lerdorf', 'Sammet', 'Page', 'Shaw', 'Cerf', 'Kare', 'Kahn', 'Mayer', 'Gosling', 'Teitelbaum', 'Tanenbaum', 'Goldberg', 'Stallman', 'Rhodes', 'Babbage', 'Garcia', 'Dubois', 'Haddad', 'Berg', 'Tanaka', 'Nasser']
const COMPANIES = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent', 'Wonka', 'Gringotts', 'Aperture', 'Oscorp']
const PLANS = ['free', 'pro', 'enterprise']
const TAGS = ['vip', 'churn-risk', 'beta', 'partner', 'newsletter']
const DAY = 86_400_000

export const SEED_ATTRIBUTES = [
  { key: 'plan', label: 'Plan', type: 'list', options: PLANS },
  { key: 'seats', label: 'Seats', type: 'number', options: [] },
  { key: 'renewal', label: 'Renewal', type: 'date', options: [] },
  { key: 'beta', label: 'Beta tester', type: 'boolean', options: [] },
] as const

/** Contact `i` of the workspace: the same every time. A tenth are anonymous visitors (no name, no email). */
export function seedContact(workspaceId: string, i: number, now: number) {
  // An integer hash per (contact, salt): each property drawn independently (plain multiples of i
  // made them move together: every Lovelace anonymous, every Initech on the enterprise plan).
  const h = (salt: number) => {
    let x = Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b)
    x = Math.imul(x ^ (x >>> 16), 0x7feb352d); x = Math.imul(x ^ (x >>> 15), 0x846ca68b)
    return (x ^ (x >>> 16)) >>> 0
  }
  const anonymous = i % 10 === 9
  const first = FIRST[h(2654435761) % FIRST.length]!, last = LAST[h(40503) % LAST.length]!
  const company = i % 4 === 0 ? null : COMPANIES[h(97) % COMPANIES.length]!
  const attributes: Record<string, string | number | boolean> = { plan: PLANS[h(31) % 3]!, seats: 1 + (h(13) % 200) }
  if (i % 3 === 0) attributes.renewal = new Date(Date.UTC(2027, h(7) % 12, 1 + (h(11) % 28))).toISOString().slice(0, 10)
  if (i % 5 === 0) attributes.beta = i % 2 === 0
  return {
    id: `${workspaceId}-k${i}`, workspace_id: workspaceId,
    name: anonymous ? null : `${first} ${last}`,
    email: anonymous ? null : `${first}.${last}${i}@${(company ?? 'mail').toLowerCase()}.example`.toLowerCase(),
    phone: anonymous || i % 2 ? null : `+1 555 ${String(i).padStart(7, '0')}`,
    company, external_id: i % 7 === 0 ? `user-${i}` : null, avatar_url: null,
    notes: i % 50 === 0 ? `Called about invoice ${i}` : '',
    tags: JSON.stringify(i % 6 === 0 ? [TAGS[h(3) % TAGS.length]!] : []),
    attributes: JSON.stringify(attributes), fields: '{}',
    created_at: now - 400 * DAY + i * 300, last_seen_at: now - (h(2246822519) % (365 * DAY)),
  }
}

export async function seedContacts(db: Db, options: { workspaceId: string; count: number; now?: number; batch?: number }): Promise<{ contacts: number; conversations: number }> {
  const now = options.now ?? Date.now()
  const batch = options.batch ?? 1000
  const ws = options.workspaceId
  for (const a of SEED_ATTRIBUTES) {
    await db.kysely.insertInto('contact_attributes').values({ id: `${ws}:${a.key}`, workspace_id: ws, key: a.key, label: a.label, type: a.type, options: JSON.stringify(a.options), created_at: now, updated_at: now })
      .onConflict((oc) => oc.doNothing()).execute()
  }
  let conversations = 0
  for (let start = 0; start < options.count; start += batch) {
    const contacts: Contact[] = []
    const rows: ConversationRow[] = []
    for (let i = start; i < Math.min(options.count, start + batch); i++) {
      const base = seedContact(ws, i, now)
      contacts.push({ ...base, ...deriveProfile(base), merged_into: null, updated_at: base.created_at })
      // A third have talked to the desk: one to three conversations, the last one open now and then.
      if (i % 3 === 0) {
        for (let n = 0; n <= i % 3 + (i % 9 === 0 ? 2 : 0) && n < 3; n++) {
          const at = base.last_seen_at - n * 7 * DAY
          rows.push({
            id: `${base.id}-c${n}`, workspace_id: ws, contact_id: base.id, widget_id: null, status: n === 0 && i % 12 === 0 ? 'open' : 'resolved', priority: 'normal',
            assignee_id: null, subject: '', preview: `question ${n} of contact ${i}`, labels: '[]', category: null, sentiment: null, language: null, escalation_reason: null,
            csat_rating: n === 1 ? 1 + (i % 5) : null, csat_comment: null, message_count: 2, waiting_since: null, snoozed_until: null, created_at: at - 3_600_000, updated_at: at, last_activity_at: at,
          })
        }
      }
    }
    await db.kysely.transaction().execute(async (trx) => {
      await trx.insertInto('contacts').values(contacts).execute()
      const values = contacts.flatMap((c) => attributeRows(ws, c.id, JSON.parse(c.attributes)))
      for (let i = 0; i < values.length; i += 1000) await trx.insertInto('contact_attribute_values').values(values.slice(i, i + 1000)).execute()
      if (rows.length > 0) await trx.insertInto('conversations').values(rows).execute()
    })
    conversations += rows.length
  }
  return { contacts: options.count, conversations }
}
