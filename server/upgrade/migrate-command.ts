/**
 * `npm run migrate -- --check` (and `npm start -- --check`): says what a start would run
 * (exit 0), or that the database is newer than this Parley (exit 1), and changes nothing.
 * `npm run migrate`: runs the migrations now. Returns the exit code.
 */
import fs from 'node:fs'
import { openDatabase } from '../../db/database.ts'
import { DatabaseNewerError, knownMigrations, migrateToLatest } from '../../db/migrate.ts'
import { sqliteFileOf } from '../backup/backup.ts'
import type { Config } from '../config.ts'
import { checkMigrations } from './migration-check.ts'

export async function runMigrateCommand(config: Config, args: string[], print = console.log, printError = console.error): Promise<number> {
  if (args.some((a) => a !== '--check')) { printError('usage: npm run migrate [-- --check]'); return 2 }
  const check = args.includes('--check')
  const postgres = /^postgres(ql)?:\/\//.test(config.databaseUrl)
  const where = postgres ? `PostgreSQL database ${new URL(config.databaseUrl).pathname.slice(1) || 'postgres'}` : sqliteFileOf(config.databaseUrl)
  // Opening a SQLite file that is not there would create it: a check must not.
  if (check && !postgres && !fs.existsSync(where)) {
    print(`database: ${where}\nno database yet: a start would create it and run ${knownMigrations().length} migrations:\n${knownMigrations().map((n) => `  ${n}`).join('\n')}`)
    return 0
  }
  const db = openDatabase(config.databaseUrl)
  try {
    if (check) {
      const result = await checkMigrations(db, where)
      print(result.report)
      return result.ok ? 0 : 1
    }
    const ran = await migrateToLatest(db)
    print(ran.length ? `ran ${ran.join(', ')}` : 'up to date: no migration to run')
    return 0
  } catch (error) {
    if (!(error instanceof DatabaseNewerError)) throw error
    printError(error.message)
    return 1
  } finally {
    await db.close()
  }
}
