/**
 * Who may give which role. Creating an agent and changing one are two doors to the same power,
 * so both routes ask this one rule: admin rights are given and taken back by the owner only, and
 * the owner's role is never given or taken through the API.
 */
import { ParleyError, type Role } from '../../protocol/index.ts'

/** Throws unless `actor` may give the role `to` to an agent who has `from` (undefined: a new agent). */
export function assertMayAssignRole(actor: Role, to: Role, from?: Role): void {
  if (to === 'owner' || from === 'owner') throw new ParleyError('forbidden', 'the owner\'s role cannot be given or changed', 'role')
  if ((to === 'admin' || from === 'admin') && actor !== 'owner') throw new ParleyError('forbidden', 'only the owner makes admins or takes admin rights back', 'role')
}
