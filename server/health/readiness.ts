/**
 * Readiness for /ready: a server is ready once a user could sign in. That takes the database
 * answering, every migration this build knows applied, first-start setup finished (an agent
 * exists), and Redis answering when it is configured. Liveness (/health) asks none of this.
 */
import { sql } from 'kysely'
import { countAgents } from '../../db/agent.repository.ts'
import { migrationStatus } from '../../db/migrate.ts'
import type { Services } from '../services.ts'

export interface ReadinessReport {
  ready: boolean
  database: 'ok' | 'down'
  migrations: 'ok' | 'pending' | 'unknown'
  firstStart: 'done' | 'pending' | 'unknown'
  redis: 'ok' | 'down' | 'not-configured'
}

export class Readiness {
  // Migrations and first start never undo themselves within one process: once seen done, they stay done.
  private migrated = false
  private firstStartDone = false

  constructor(private readonly services: Pick<Services, 'db' | 'redisStatus'>) {}

  async check(): Promise<ReadinessReport> {
    const { db } = this.services
    const database = await sql`select 1 as ok`.execute(db.kysely).then(() => 'ok' as const, () => 'down' as const)
    const redis = await this.services.redisStatus().catch(() => 'down' as const)
    let migrations: ReadinessReport['migrations'] = 'unknown'
    let firstStart: ReadinessReport['firstStart'] = 'unknown'
    if (database === 'ok') {
      if (!this.migrated) this.migrated = await migrationStatus(db).then((s) => s.pending.length === 0 && s.unknown.length === 0, () => false)
      migrations = this.migrated ? 'ok' : 'pending'
      if (this.migrated && !this.firstStartDone) this.firstStartDone = await countAgents(db).then((n) => n > 0, () => false)
      firstStart = this.firstStartDone ? 'done' : this.migrated ? 'pending' : 'unknown'
    }
    const ready = database === 'ok' && migrations === 'ok' && firstStart === 'done' && redis !== 'down'
    return { ready, database, migrations, firstStart, redis }
  }
}
