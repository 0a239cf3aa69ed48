/** Opaque bearer tokens: 32 random bytes; only their sha256 is stored. */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export const createToken = (prefix: 'pa' | 'pv' | 'ps' | 'pi' | 'pr'): string => `${prefix}_${randomBytes(32).toString('base64url')}`
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex')
export const createSecret = (bytes = 24): string => randomBytes(bytes).toString('base64url')

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Identity verification for the widget: the host page signs the user id with the widget's secret. */
export const signUserId = (secret: string, userId: string): string => createHmac('sha256', secret).update(userId).digest('hex')
