/**
 * `node --import tsx scripts/seed-contacts.ts [--count 100000] [--workspace ID]`: fills a desk with
 * made-up contacts (bench/tools/seed-contacts.ts) to try the Contacts page at scale. Uses the same
 * DATA_DIR / DATABASE_URL as the server (migrating first); the first workspace unless named.
 */
import path from 'node:path'
import { openDatabase } from '../db/database.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { listWorkspaces } from '../db/workspace.repository.ts'
import { seedContacts } from '../bench/tools/seed-contacts.ts'

const args = process.argv.slice(2)
const option = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined }
const count = Number(option('--count') ?? 100_000)
if (!Number.isInteger(count) || count < 1) { console.error('--count must be a positive whole number'); process.exit(1) }
const url = process.env.DATABASE_URL ?? path.join(process.env.DATA_DIR ?? './data', 'parley.sqlite')
const db = openDatabase(url)
try {
  await migrateToLatest(db)
  const workspaceId = option('--workspace') ?? (await listWorkspaces(db))[0]?.id
  if (!workspaceId) { console.error('no workspace yet: start the server once first, or pass --workspace'); process.exitCode = 1 }
  else {
    const started = performance.now()
    const seeded = await seedContacts(db, { workspaceId, count })
    console.log(`seeded ${seeded.contacts} contacts and ${seeded.conversations} conversations into ${workspaceId} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
} finally { await db.close() }
