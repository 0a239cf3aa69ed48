import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { waitFor } from '../test-kit.ts'
import { SessionSocket, SessionSockets } from './session-sockets.ts'

const hash = (c: string) => c.repeat(64)
const fakeSocket = () => {
  const closes: { code: number; reason: string }[] = []
  return { closes, socket: new SessionSocket({ close: (code, reason) => { closes.push({ code, reason }) } }) }
}
const FAR = Date.now() + 3600_000

test('a revocation that lands while a socket is authenticating refuses it when it registers', () => {
  const sockets = new SessionSockets()
  const { socket, closes } = fakeSocket()
  // The authentication read the session at t=1000 (still valid); the sign-out was committed and
  // announced at t=1005, before the socket registered at t=1010: no socket was there to close.
  assert.is(sockets.revoke({ kind: 'session', tokenHash: hash('a'), why: 'signed-out' }, 1005), 0)
  const late = sockets.track(socket, { tokenHash: hash('a'), agentId: 'a1', expiresAt: FAR }, 1000, 1010)
  assert.equal(late, { kind: 'session', tokenHash: hash('a'), why: 'signed-out' })
  // Another session of the same agent is not concerned.
  assert.is(sockets.track(socket, { tokenHash: hash('b'), agentId: 'a1', expiresAt: FAR }, 1000, 1010), null)
  // An agent revocation concerns authentications under way when it came, not those after it
  // (the database refuses a revoked session itself; one signed in afterwards is a new session).
  sockets.revoke({ kind: 'agent', agentId: 'a2', why: 'password-changed' }, 2000)
  assert.ok(sockets.track(fakeSocket().socket, { tokenHash: hash('c'), agentId: 'a2', expiresAt: FAR }, 1990, 2010))
  assert.is(sockets.track(fakeSocket().socket, { tokenHash: hash('d'), agentId: 'a2', expiresAt: FAR }, 2001, 2010), null)
  assert.equal(closes, [])
})

test('an agent revocation ends the agent\'s sockets except the session that made it', () => {
  const sockets = new SessionSockets()
  const mine = fakeSocket()
  const theirs = fakeSocket()
  const someoneElse = fakeSocket()
  sockets.track(mine.socket, { tokenHash: hash('a'), agentId: 'a1', expiresAt: FAR }, 0)
  sockets.track(theirs.socket, { tokenHash: hash('b'), agentId: 'a1', expiresAt: FAR }, 0)
  sockets.track(someoneElse.socket, { tokenHash: hash('c'), agentId: 'a2', expiresAt: FAR }, 0)
  assert.is(sockets.revoke({ kind: 'agent', agentId: 'a1', exceptTokenHash: hash('a'), why: 'password-changed' }), 1)
  assert.equal(theirs.closes.map((c) => c.code), [4405])
  assert.match(theirs.closes[0]!.reason, /^4405 token-revoked: the password was changed/)
  assert.equal(mine.closes, [])
  assert.equal(someoneElse.closes, [])
  assert.ok(theirs.socket.ended)
  // Ended once: a second revocation finds nothing to close.
  assert.is(sockets.revoke({ kind: 'agent', agentId: 'a1', why: 'deactivated' }), 1)
  assert.is(sockets.size(), 1)
})

test('a closed socket leaves the registry, and registering it late does not bring it back', () => {
  const sockets = new SessionSockets()
  const { socket } = fakeSocket()
  sockets.track(socket, { tokenHash: hash('a'), agentId: null, expiresAt: FAR }, 0)
  assert.is(sockets.size(), 1)
  sockets.release(socket)
  assert.is(sockets.size(), 0)
  // An authentication that finishes after its socket closed registers nothing.
  assert.is(sockets.track(socket, { tokenHash: hash('b'), agentId: null, expiresAt: FAR }, 0), null)
  assert.is(sockets.size(), 0)
})

test('a role change closes the agent\'s sockets with 1012 (reconnect), also one that was authenticating', () => {
  const sockets = new SessionSockets()
  const open = fakeSocket()
  sockets.track(open.socket, { tokenHash: hash('a'), agentId: 'a1', expiresAt: FAR }, 0, 100)
  assert.is(sockets.revoke({ kind: 'agent', agentId: 'a1', why: 'role-changed' }, 200), 1)
  assert.equal(open.closes.map((c) => c.code), [1012])
  const authenticating = fakeSocket()
  assert.is(sockets.track(authenticating.socket, { tokenHash: hash('b'), agentId: 'a1', expiresAt: FAR }, 150, 210), null, 'the session is not refused')
  assert.equal(authenticating.closes.map((c) => c.code), [1012], 'but its socket reconnects for the new role')
})

test('each socket closes with 4402 when its own session expires, the others stay', async () => {
  const sockets = new SessionSockets()
  const soon = fakeSocket()
  const later = fakeSocket()
  sockets.track(later.socket, { tokenHash: hash('b'), agentId: null, expiresAt: Date.now() + 60_000 }, 0)
  sockets.track(soon.socket, { tokenHash: hash('a'), agentId: null, expiresAt: Date.now() + 50 }, 0)
  await waitFor(() => soon.closes.length === 1, 5000, 'the expired socket closed')
  assert.equal(soon.closes.map((c) => c.code), [4402])
  assert.equal(later.closes, [])
  assert.is(sockets.size(), 1)
  sockets.close()
})

test.run()
