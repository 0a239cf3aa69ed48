/** `npm run backup -- FILE` and `npm run restore -- FILE`, configured by the same environment as the server. */
import { ConfigError, loadConfig } from '../config.ts'
import { createBackup } from './backup.ts'
import { BackupError } from './manifest.ts'
import { restoreBackup } from './restore.ts'

const [command, file, ...rest] = process.argv.slice(2)
if ((command !== 'backup' && command !== 'restore') || !file || rest.length > 0) {
  console.error('usage: npm run backup -- FILE   (a running or stopped server\'s data, as DATA_DIR / DATABASE_URL say)\n       npm run restore -- FILE  (into an empty DATA_DIR)')
  process.exit(2)
}
try {
  const config = loadConfig()
  if (command === 'backup') {
    const manifest = await createBackup(config, file)
    console.log(`backup written to ${file}: ${manifest.dialect}, schema ${manifest.schemaVersion}, ${manifest.conversations} conversations, ${manifest.messages} messages, ${manifest.attachments} attachments`)
  } else {
    const manifest = await restoreBackup(config, file)
    console.log(`restored ${file} (made ${manifest.createdAt}, schema ${manifest.schemaVersion}) into ${config.dataDir}: ${manifest.conversations} conversations, ${manifest.messages} messages, ${manifest.attachments} attachments; start the server on it`)
  }
} catch (error) {
  if (error instanceof BackupError || error instanceof ConfigError) {
    console.error(`${command} failed: ${error.message}`)
    process.exit(1)
  }
  throw error
}
