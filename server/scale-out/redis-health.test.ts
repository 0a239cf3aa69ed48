/** Redis failures are counted and logged once per outage, and never reject into nobody's hands. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Logger } from '../log.ts'
import { RedisDocuments } from './redis-documents.ts'
import { isRedisError, RedisHealth } from './redis-health.ts'
import { startTestRedis } from './test-redis.ts'

function recordingLog(): Logger & { lines: { level: string; msg: string }[] } {
  const lines: { level: string; msg: string }[] = []
  const at = (level: string) => (msg: string) => { lines.push({ level, msg }) }
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

test('a publish that fails (stateless broadcast, sync step) is counted, logged once, and does not reject', async () => {
  const redis = await startTestRedis()
  const log = recordingLog()
  const health = new RedisHealth(log)
  const extension = new RedisDocuments({ host: '127.0.0.1', port: redis.port, prefix: `health-${process.pid}` }, health, log)
  const unhandled: unknown[] = []
  const onUnhandled = (error: unknown) => unhandled.push(error)
  process.on('unhandledRejection', onUnhandled)
  try {
    await new Promise<void>((resolve) => { const check = () => (health.isDown() ? setTimeout(check, 10) : resolve()); check() })
    // A closed connection rejects every command at once: the case a broadcast nobody awaits hit.
    extension.pub.disconnect(false)
    for (let i = 0; i < 5; i += 1) await extension.beforeBroadcastStateless({ documentName: 'conversation:x', payload: '{"type":"typing"}' } as never)
    await new Promise((resolve) => setImmediate(resolve))
    assert.ok(health.errors >= 5, `errors counted: ${health.errors}`)
    assert.is(health.status(), 'down')
    assert.is(log.lines.filter((l) => l.level === 'warn').length, 1, JSON.stringify(log.lines))
    assert.equal(unhandled, [])
  } finally {
    process.off('unhandledRejection', onUnhandled)
    await extension.onDestroy()
    await redis.stop()
  }
})

test('only rejections from the Redis clients are recognised as such', () => {
  const maxRetries = Object.assign(new Error('Reached the max retries per request limit (which is 20).'), { name: 'MaxRetriesPerRequestError' })
  assert.ok(isRedisError(maxRetries))
  assert.ok(isRedisError(new Error('Connection is closed.')))
  assert.not.ok(isRedisError(new Error('duplicate key value violates unique constraint')))
  assert.not.ok(isRedisError('a string'))
})

test.run()
