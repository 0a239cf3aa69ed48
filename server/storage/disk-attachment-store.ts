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
