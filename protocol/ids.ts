/** Random, URL-safe, sortable-enough ids made by whoever creates the thing (the idempotency key). */
export function createId(prefix = ''): string {
  const bytes = new Uint8Array(12)
  globalThis.crypto.getRandomValues(bytes)
  let out = Date.now().toString(36)
  for (const b of bytes) out += (b % 36).toString(36)
  return prefix + out
}
