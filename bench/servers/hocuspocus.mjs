/**
 * Stock Hocuspocus as a peer to measure against: @hocuspocus/server with
 * @hocuspocus/extension-sqlite and the default debounce (2 s, at most 10 s), which is how long
 * acknowledged changes wait in memory before they are stored.
 * Env: PORT, HOST, DATA_DIR.
 */
import path from 'node:path'
import { Server } from '@hocuspocus/server'
import { SQLite } from '@hocuspocus/extension-sqlite'

const server = new Server({
  port: Number(process.env.PORT ?? 1234),
  address: process.env.HOST ?? '127.0.0.1',
  quiet: true,
  extensions: [new SQLite({ database: path.join(process.env.DATA_DIR ?? '.', 'hocuspocus.sqlite') })],
})
await server.listen()
