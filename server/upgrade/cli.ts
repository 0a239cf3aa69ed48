/** `npm run migrate [-- --check]`: see migrate-command.ts. */
import { ConfigError, loadConfig } from '../config.ts'
import { runMigrateCommand } from './migrate-command.ts'

try {
  process.exitCode = await runMigrateCommand(loadConfig(), process.argv.slice(2))
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.error(error.message)
  process.exitCode = 1
}
