/**
 * Files a visitor attached that have not been uploaded yet (offline, or the server is down):
 * kept in IndexedDB under the site's key, so they survive a reload and go with their message
 * when the connection returns (outbox.ts holds the message and a key per file). Where IndexedDB
 * is missing or refused (some private modes), the files live in memory for this page only.
 * Hand-written (no idb wrapper): four requests, inside the widget's 45 KB.
 */
export interface FileStore {
  put(file: Blob): Promise<string>
  get(key: string): Promise<Blob | undefined>
  remove(key: string): Promise<void>
}

const STORE = 'files'

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error) })
}

export function createFileStore(name: string): FileStore {
  const memory = new Map<string, Blob>()
  let db: Promise<IDBDatabase | null> | null = null
  const open = () => (db ??= new Promise<IDBDatabase | null>((resolve) => {
    try {
      const req = indexedDB.open(name, 1)
      req.onupgradeneeded = () => req.result.createObjectStore(STORE)
      req.onsuccess = () => resolve(req.result)
      req.onerror = () => resolve(null)
      req.onblocked = () => resolve(null)
    } catch { resolve(null) }
  }))
  const store = async (mode: IDBTransactionMode) => (await open())?.transaction(STORE, mode).objectStore(STORE) ?? null
  return {
    async put(file) {
      const key = `f${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`
      memory.set(key, file)
      try { const s = await store('readwrite'); if (s) await request(s.put(file, key)) } catch { /* memory only */ }
      return key
    },
    async get(key) {
      const held = memory.get(key)
      if (held) return held
      try { const s = await store('readonly'); return s ? ((await request(s.get(key))) as Blob | undefined) : undefined } catch { return undefined }
    },
    async remove(key) {
      memory.delete(key)
      try { const s = await store('readwrite'); if (s) await request(s.delete(key)) } catch { /* gone with the page */ }
    },
  }
}
