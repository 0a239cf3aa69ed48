/** Attachments on local disk under `<dataDir>/attachments/<conversation>/<id>` (+ `.json` for the description). */
import fs from 'node:fs'
import path from 'node:path'
import { checkAttachmentKey, type AttachmentStore, type StoredAttachment } from './attachment-store.ts'

export class DiskAttachmentStore implements AttachmentStore {
  constructor(private readonly root: string) {}

  async put(key: string, data: Uint8Array, info: StoredAttachment): Promise<void> {
    const file = this.pathOf(key)
    await fs.promises.mkdir(path.dirname(file), { recursive: true })
    // Bytes first, description last: a description only exists for a complete file.
    await writeDurably(file, data)
    await writeDurably(file + '.json', Buffer.from(JSON.stringify(info)))
  }

  async get(key: string): Promise<{ info: StoredAttachment; open(): fs.ReadStream } | null> {
    const file = this.pathOf(key)
    const text = await fs.promises.readFile(file + '.json', 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null
      throw error
    })
    if (text === null) return null
    return { info: JSON.parse(text) as StoredAttachment, open: () => fs.createReadStream(file) }
  }

  async *list(): AsyncIterable<{ key: string; info: StoredAttachment }> {
    const folders = await fs.promises.readdir(this.root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return []
      throw error
    })
    for (const folder of folders) {
      if (!folder.isDirectory()) continue
      const files = await fs.promises.readdir(path.join(this.root, folder.name)).catch(() => [] as string[])
      for (const file of files) {
        if (!file.endsWith('.json')) continue
        const key = `${folder.name}/${file.slice(0, -'.json'.length)}`
        try { checkAttachmentKey(key) } catch { continue }
        const found = await this.get(key).catch(() => null)
        if (found) yield { key, info: found.info }
      }
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key)
    // Description first: from then on the attachment reads as absent, even if the bytes stay behind.
    for (const target of [file + '.json', file]) {
      await fs.promises.unlink(target).catch((error: NodeJS.ErrnoException) => { if (error.code !== 'ENOENT') throw error })
    }
    // The conversation's folder stays, even empty: removing it could race an upload being put there.
  }

  private pathOf(key: string): string {
    return path.join(this.root, ...checkAttachmentKey(key).split('/'))
  }
}

async function writeDurably(file: string, data: Uint8Array): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`
  const handle = await fs.promises.open(temp, 'w')
  try {
    await handle.writeFile(data)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await fs.promises.rename(temp, file)
}
