/**
 * A session ended before its time: signed out, its agent deactivated, or its agent's password
 * changed (every other session of the agent). Each server instance closes its own sockets of
 * the session; with several instances the notice travels between them through Redis. A role
 * change ends no session, but the agent's sockets were authorised for the old role: they are
 * closed with a code that tells the client to reconnect, and are authorised again.
 */
import * as v from 'valibot'

const tokenHash = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'must be a sha256 in hex'))

export const Revocation = v.variant('kind', [
  v.strictObject({ kind: v.literal('session'), tokenHash, why: v.picklist(['signed-out', 'removed-from-workspace', 'workspace-switched', 'deactivated']) }),
  v.strictObject({
    kind: v.literal('agent'),
    agentId: v.pipe(v.string(), v.minLength(1), v.maxLength(80)),
    /** The session that made the change and stays (a password change keeps its own session). */
    exceptTokenHash: v.optional(tokenHash),
    why: v.picklist(['deactivated', 'password-changed', 'role-changed']),
  }),
])
export type Revocation = v.InferOutput<typeof Revocation>

/** What is published between instances: `origin` lets an instance skip its own notices. */
export const RevocationNotice = v.strictObject({ origin: v.pipe(v.string(), v.maxLength(80)), revocation: Revocation })
export type RevocationNotice = v.InferOutput<typeof RevocationNotice>

export const revocationDetail: Record<Revocation['why'], string> = {
  'signed-out': 'this session was signed out',
  'removed-from-workspace': 'you were removed from this workspace',
  'workspace-switched': 'this session moved to another workspace',
  deactivated: 'this account was deactivated',
  'password-changed': 'the password was changed; sign in again',
  'role-changed': 'your role was changed; reconnect',
}
