// Checkpoints the SQLite WAL from its own thread and connection (db/database.ts explains why).
// Plain JavaScript: worker threads do not take the tsx loader.
import { parentPort, workerData } from 'node:worker_threads'
import SQLite from 'better-sqlite3'

const { file, intervalMs } = workerData
const db = new SQLite(file)
db.pragma('busy_timeout = 5000')
db.pragma('wal_autocheckpoint = 0')

function checkpoint() {
  try {
    // PASSIVE copies what no reader still needs into the database file and fsyncs both files,
    // without blocking the server's connection; when everything was copied the next write
    // starts the WAL over from its beginning.
    const [result] = db.pragma('wal_checkpoint(PASSIVE)')
    parentPort.postMessage({ type: 'checkpoint', ...result })
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: String(error?.message ?? error) })
  }
}

const timer = setInterval(checkpoint, intervalMs)
parentPort.on('message', (message) => {
  if (message === 'stop') {
    clearInterval(timer)
    db.close()
    parentPort.close()
  }
})
