/** Settings of bot workers beyond the server's own (server/config.ts), checked at start. */
import { ConfigError, createIntReader } from '../server/config.ts'

export interface WorkerConfig {
  /** The Parley server's base URL, for `npm run worker` processes. */
  parleyUrl: string | null
  /** Redis key prefix of the job queue; server and workers must agree. */
  queuePrefix: string
  /** Jobs one worker process runs at once. */
  concurrency: number
  /** A job whose worker stops renewing its lock this long (a crash) is given to another worker. */
  jobLockMs: number
  attempts: number
  backoffMs: number
}

export function loadWorkerConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  const problems: string[] = []
  const int = createIntReader(env, problems)
  const parleyUrl = env.PARLEY_URL || null
  if (parleyUrl && !/^https?:\/\/[^/]+/.test(parleyUrl)) problems.push(`PARLEY_URL=${JSON.stringify(parleyUrl)}: must be the server's http:// or https:// address`)
  const queuePrefix = env.PARLEY_QUEUE_PREFIX || 'parley'
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(queuePrefix)) problems.push('PARLEY_QUEUE_PREFIX: must be 1–64 letters, digits, _ or -')
  const config: WorkerConfig = {
    parleyUrl, queuePrefix,
    concurrency: int('PARLEY_WORKER_CONCURRENCY', 8, 1, 1000),
    jobLockMs: int('PARLEY_JOB_LOCK_MS', 30_000, 500, 3_600_000),
    attempts: int('PARLEY_JOB_ATTEMPTS', 3, 1, 20),
    backoffMs: int('PARLEY_JOB_BACKOFF_MS', 1000, 10, 600_000),
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}
