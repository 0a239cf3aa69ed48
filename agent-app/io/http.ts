/**
 * HTTP to the Parley API. GETs marked `cache` go to the network first and fall back to this
 * account's copy in Cache Storage, so the customer panel and canned responses work offline.
 */
export class ApiError extends Error {
  /** `body`: the whole error answer, for the few that carry more than the error (an import's report). */
  constructor(readonly status: number, readonly code: string, message: string, readonly field?: string, readonly body?: unknown) {
    super(message)
    this.name = 'ApiError'
  }
  /** True when the request never reached the server (no network). */
  get offline(): boolean { return this.status === 0 }
}

export const apiCacheName = (agentId: string): string => `parley-api:${agentId}`
/** One cache per account; its entries are keyed by workspace too (the same path answers differently in each). */
const cacheKey = (path: string, workspaceId: string | null): string => (workspaceId ? `${path}${path.includes('?') ? '&' : '?'}__workspace=${encodeURIComponent(workspaceId)}` : path)

export interface Http {
  request<T>(method: string, path: string, body?: unknown): Promise<T>
  /** Network first, then this account's cached copy; throws when neither is there. */
  cachedGet<T>(path: string): Promise<T>
  /** A raw body (a file) POSTed with its own Content-Type. */
  upload<T>(path: string, file: Blob): Promise<T>
  /** A protected resource's bytes (attachments need the bearer token, so no plain <img src>); network first, then this account's cached copy. */
  blob(path: string): Promise<Blob>
  /** A file to save, fetched with the bearer token and never cached on this device (a contact's data export). */
  download(path: string): Promise<{ blob: Blob; fileName: string }>
}

export function createHttp(getToken: () => string | null, getAgentId: () => string | null, onUnauthenticated: () => void, getWorkspaceId: () => string | null = () => null): Http {
  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    const token = getToken()
    try {
      return await fetch(path, {
        method,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      })
    } catch {
      throw new ApiError(0, 'offline', 'No connection to the server')
    }
  }

  async function read<T>(response: Response): Promise<T> {
    const data = await response.json().catch(() => null) as { error?: { code: string; message: string; field?: string } } | null
    if (response.ok) return data as T
    const error = data?.error ?? { code: 'internal', message: `HTTP ${response.status}` }
    if (response.status === 401 && getToken()) onUnauthenticated()
    throw new ApiError(response.status, error.code, error.message, error.field, data)
  }

  const authorization = (): Record<string, string> => { const token = getToken(); return token ? { authorization: `Bearer ${token}` } : {} }
  return {
    async upload<T>(path: string, file: Blob): Promise<T> {
      let response: Response
      try {
        response = await fetch(path, { method: 'POST', headers: { 'content-type': file.type || 'application/octet-stream', ...authorization() }, body: file })
      } catch { throw new ApiError(0, 'offline', 'No connection to the server') }
      return read<T>(response)
    },
    async blob(path: string): Promise<Blob> {
      const agentId = getAgentId()
      const cache = agentId && 'caches' in globalThis ? await caches.open(apiCacheName(agentId)) : null
      let response: Response
      try {
        response = await fetch(path, { headers: authorization() })
      } catch {
        const cached = await cache?.match(cacheKey(path, getWorkspaceId()))
        if (!cached) throw new ApiError(0, 'offline', 'Offline, and not saved on this device yet')
        return cached.blob()
      }
      if (!response.ok) return read<Blob>(response)
      if (cache) await cache.put(cacheKey(path, getWorkspaceId()), response.clone())
      return response.blob()
    },
    async download(path: string): Promise<{ blob: Blob; fileName: string }> {
      let response: Response
      try {
        response = await fetch(path, { headers: authorization(), cache: 'no-store' })
      } catch { throw new ApiError(0, 'offline', 'No connection to the server') }
      if (!response.ok) return read(response)
      const fileName = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'download'
      return { blob: await response.blob(), fileName }
    },
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      return read<T>(await send(method, path, body))
    },
    async cachedGet<T>(path: string): Promise<T> {
      const agentId = getAgentId()
      const cache = agentId && 'caches' in globalThis ? await caches.open(apiCacheName(agentId)) : null
      try {
        const response = await send('GET', path)
        if (response.ok && cache) await cache.put(cacheKey(path, getWorkspaceId()), response.clone())
        return await read<T>(response)
      } catch (error) {
        if (!(error instanceof ApiError) || !error.offline || !cache) throw error
        const cached = await cache.match(cacheKey(path, getWorkspaceId()))
        if (!cached) throw new ApiError(0, 'offline', 'Offline, and not saved on this device yet')
        return (await cached.json()) as T
      }
    },
  }
}
