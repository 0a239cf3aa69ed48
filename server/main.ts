/** `npm start`: configuration, first-run setup, the server. Only wiring lives here. */
import { format } from 'node:util'
import { wireBot } from '../ai-worker/server-wiring.ts'
import { loadWorkerConfig } from '../ai-worker/worker-config.ts'
import { startServer } from './app.ts'
import { bootstrapFirstRun } from './bootstrap.ts'
import { DatabaseNewerError } from '../db/migrate.ts'
import { ConfigError, loadConfig } from './config.ts'
import { createLogger } from './log.ts'
import { runMigrateCommand } from './upgrade/migrate-command.ts'

let config, workerConfig
try {
  config = loadConfig()
  workerConfig = loadWorkerConfig()
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message)
    process.exit(1)
  }
  throw error
}
// `npm start -- --check`: say what the migrations would do, change nothing, start nothing.
if (process.argv.includes('--check')) process.exit(await runMigrateCommand(config, process.argv.slice(2)))
const log = createLogger(config.logLevel)
// Libraries (Hocuspocus among them) write to the console directly; keep the logs one JSON object a line.
// Hocuspocus prints every refused update ("closing connection … because of exception"): the
// update guard logs those itself, throttled, so a flood of bad frames is not a flood of lines.
const GUARD_REFUSAL = /^closing connection .* because of exception/
console.error = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && GUARD_REFUSAL.test(args[0])) return
  log.warn('library', { detail: format(...args) })
}
console.warn = (...args: unknown[]) => log.warn('library', { detail: format(...args) })
const bot = await wireBot(config, workerConfig, log)
// With REDIS_URL, an instance closes its sockets of a session ended on another instance.
const revocationChannel = config.redisUrl
  ? new (await import('./revocation/redis-revocation-channel.ts')).RedisRevocationChannel(config.redisUrl, `${workerConfig.queuePrefix}-revocations`, log)
  : undefined
const server = await startServer(config, { log, ...bot.options, ...(revocationChannel ? { revocationChannel } : {}) }).catch((error) => {
  // A database from a newer Parley: one clear message, nothing changed, no stack trace.
  if (!(error instanceof DatabaseNewerError)) throw error
  log.error(error.message)
  process.exit(1)
})
const firstRun = await bootstrapFirstRun(server.services.db, { email: config.ownerEmail, password: config.ownerPassword }, { exampleArticle: true })
if (firstRun) {
  console.log([
    '',
    '  Parley is ready. First start: a workspace and its owner were created.',
    `  Sign in at ${server.url}/ with`,
    `    email:    ${firstRun.email}`,
    `    password: ${firstRun.password}   (shown once; change it after you sign in)`,
    `  Try the widget on the demo page: ${server.url}/demo`,
    '',
  ].join('\n'))
} else {
  console.log(`\n  Parley is running at ${server.url}/  (demo page: ${server.url}/demo)\n`)
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info('shutting down', { signal })
    bot.close().then(() => server.close()).then(() => process.exit(0), (error) => { log.error('shutdown failed', { error }); process.exit(1) })
  })
}
