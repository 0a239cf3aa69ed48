/**
 * Sign-in as an attacker meets it (issue 10, item 6): an unknown email takes as long as a known
 * one, one password sprayed over 200 emails is stopped, wrong tries from one address do not keep
 * the owner out from another, an account under attack from many addresses slows them down but
 * lets the owner in from a new address, and the right password starts an address's count again.
 * Addresses are given through X-Forwarded-For, which TRUST_PROXY=1 makes the server believe.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { startTestServer, type TestServer } from '../test-kit.ts'
import { assertRefusal, call } from './limit-test-kit.ts'

const OWNER = { email: 'owner@example.com', password: 'correct horse battery' }
const signIn = (t: TestServer, ip: string, email: string, password: string) => call(t.url, 'POST', '/api/auth/sign-in', { email, password }, { ip })
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number

async function timed(run: () => Promise<{ status: number }>, status: number): Promise<number> {
  const started = performance.now()
  const answer = await run()
  assert.is(answer.status, status)
  return performance.now() - started
}

test('an unknown email takes about as long as a known one with a wrong password (no account enumeration by timing)', async () => {
  const t = await startTestServer({ env: { TRUST_PROXY: '1' } })
  try {
    const known: number[] = []
    const unknown: number[] = []
    // Interleaved, so a busy moment of the machine falls on both.
    for (let i = 0; i < 7; i++) {
      known.push(await timed(() => signIn(t, '192.0.2.10', OWNER.email, `wrong password ${i}`), 401))
      unknown.push(await timed(() => signIn(t, '192.0.2.11', `nobody-${i}@example.com`, `wrong password ${i}`), 401))
    }
    const ratio = median(unknown) / median(known)
    assert.ok(ratio >= 0.3, `unknown ${median(unknown).toFixed(1)} ms against known ${median(known).toFixed(1)} ms (ratio ${ratio.toFixed(2)})`)
  } finally {
    await t.close()
  }
})

test('one password sprayed over 200 emails from one address gets 429s; another address is not affected', async () => {
  const t = await startTestServer({ env: { TRUST_PROXY: '1' } })
  try {
    const statuses: number[] = []
    for (let i = 0; i < 200; i++) {
      const answer = await signIn(t, '192.0.2.20', `person-${i}@example.com`, 'Summer2026!')
      statuses.push(answer.status)
      if (answer.status === 429) assertRefusal(answer, /too many wrong sign-ins from this address/)
    }
    assert.is(statuses.filter((s) => s === 401).length, 50, 'the address limit (50 wrong tries in 15 minutes)')
    assert.is(statuses.filter((s) => s === 429).length, 150)
    assert.is((await signIn(t, '192.0.2.21', OWNER.email, OWNER.password)).status, 200)
  } finally {
    await t.close()
  }
})

test('ten wrong tries from address A make A wait, but the right password from address B signs in', async () => {
  const t = await startTestServer({ env: { TRUST_PROXY: '1' } })
  try {
    for (let i = 0; i < 10; i++) assert.is((await signIn(t, '192.0.2.30', OWNER.email, `guess ${i}`)).status, 401)
    assertRefusal(await signIn(t, '192.0.2.30', OWNER.email, OWNER.password), /too many wrong sign-ins to this account from this address/)
    const fromB = await signIn(t, '192.0.2.31', OWNER.email, OWNER.password)
    assert.is(fromB.status, 200)
    assert.type(fromB.body.token, 'string')
  } finally {
    await t.close()
  }
})

test('the right password starts the count of wrong tries again', async () => {
  const t = await startTestServer({ env: { TRUST_PROXY: '1' } })
  try {
    for (let i = 0; i < 9; i++) assert.is((await signIn(t, '192.0.2.40', OWNER.email, `typo ${i}`)).status, 401)
    assert.is((await signIn(t, '192.0.2.40', OWNER.email, OWNER.password)).status, 200)
    // Without the reset the next wrong try would be the tenth and the one after it refused.
    for (let i = 0; i < 9; i++) assert.is((await signIn(t, '192.0.2.40', OWNER.email, `typo again ${i}`)).status, 401)
    assert.is((await signIn(t, '192.0.2.40', OWNER.email, OWNER.password)).status, 200)
  } finally {
    await t.close()
  }
})

test('an account guessed at from many addresses: each address gets only a few more tries, the owner still signs in from a new one', async () => {
  const t = await startTestServer({ env: { TRUST_PROXY: '1', SIGN_IN_LIMIT_PER_ACCOUNT: '20/1h' } })
  try {
    // A botnet: 10 addresses, 2 wrong tries each, takes the account over its 20 (under attack from here on).
    for (let i = 0; i < 20; i++) assert.is((await signIn(t, `198.51.100.${i % 10}`, OWNER.email, `botnet guess ${i}`)).status, 401)
    // Under attack, an address may fail at most 3 times at the account (not 10): its 4th try waits.
    assert.is((await signIn(t, '198.51.100.1', OWNER.email, 'botnet guess 3rd')).status, 401)
    assertRefusal(await signIn(t, '198.51.100.1', OWNER.email, 'botnet guess 4th'), /too many wrong sign-ins to this account; try again/)
    // The owner, from an address that has not failed, gets in with the right password; so does one typo first.
    assert.is((await signIn(t, '203.0.113.50', OWNER.email, OWNER.password)).status, 200)
    assert.is((await signIn(t, '203.0.113.51', OWNER.email, 'a typo')).status, 401)
    assert.is((await signIn(t, '203.0.113.51', OWNER.email, OWNER.password)).status, 200)
  } finally {
    await t.close()
  }
})

test.run()
