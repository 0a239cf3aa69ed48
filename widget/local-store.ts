/**
 * localStorage, one JSON value per key under `parley:<siteKey>:`. Storage can be missing or
 * throw (Safari private mode, a full quota, blocked third-party storage): then values live in
 * memory for this page only, and the widget still works.
 */
export interface KeyValueStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export class LocalStore {
  private memory = new Map<string, string>()

  constructor(private readonly prefix: string, private readonly storage: KeyValueStore | null = safeLocalStorage()) {}

  read<T>(key: string, fallback: T): T {
    const full = this.prefix + key
    let text: string | null | undefined = this.memory.get(full)
    try { text = this.storage?.getItem(full) ?? text } catch { /* memory only */ }
    if (text == null) return fallback
    try { return JSON.parse(text) as T } catch { return fallback }
  }

  write(key: string, value: unknown): void {
    const full = this.prefix + key
    const text = JSON.stringify(value)
    this.memory.set(full, text)
    try { this.storage?.setItem(full, text) } catch { /* memory only */ }
  }

  remove(key: string): void {
    const full = this.prefix + key
    this.memory.delete(full)
    try { this.storage?.removeItem(full) } catch { /* memory only */ }
  }
}

function safeLocalStorage(): KeyValueStore | null {
  try { return globalThis.localStorage ?? null } catch { return null }
}
