/**
 * The keyset cursor of lists ordered by a time and an id (conversations by last activity, audit
 * events by time): opaque to clients, base64url of `[time, id]`. A cursor this server did not
 * make is a 400 naming `cursor`, never a query error.
 */
import { ParleyError } from '../protocol/errors.ts'

export const encodeTimeCursor = (at: number, id: string): string => Buffer.from(JSON.stringify([at, id])).toString('base64url')

export function decodeTimeCursor(cursor: string): [number, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString())
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string') return [value[0], value[1]]
  } catch {}
  throw new ParleyError('bad-request', 'cursor: not a cursor this server made', 'cursor')
}
