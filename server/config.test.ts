import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { ConfigError, loadConfig } from './config.ts'
import { loadWorkerConfig } from '../ai-worker/worker-config.ts'

test('defaults make a working single-machine install', () => {
  const config = loadConfig({})
  assert.is(config.port, 8080)
  assert.match(config.databaseUrl, /data\/parley\.sqlite$/)
  assert.is(config.redisUrl, null)
  assert.is(config.maxFrameBytes, 1024 * 1024)
  assert.is(config.inProcessBot, true)
})

test('every bad value is named, all at once, and nothing starts', () => {
  const bad = { PORT: '-1', LOG_LEVEL: 'loud', REDIS_URL: 'http://x', MAX_FRAME_BYTES: '1.5', PARLEY_SERVICE_TOKEN: 'short', DATABASE_URL: 'mysql://db/parley' }
  try {
    loadConfig(bad)
    assert.unreachable('a bad configuration was accepted')
  } catch (error) {
    assert.instance(error, ConfigError)
    const problems = (error as ConfigError).problems.join('\n')
    for (const name of Object.keys(bad)) assert.match(problems, name)
  }
  try {
    loadWorkerConfig({ PARLEY_WORKER_CONCURRENCY: 'lots', PARLEY_URL: 'ftp://x' })
    assert.unreachable('a bad worker configuration was accepted')
  } catch (error) {
    assert.match((error as ConfigError).message, /PARLEY_WORKER_CONCURRENCY="lots": must be a whole number/)
    assert.match((error as ConfigError).message, /PARLEY_URL/)
  }
})

test('rate limits: defaults, N/period values, off, and bad values named', () => {
  const defaults = loadConfig({})
  assert.equal(defaults.limits.widget.messages.visitor, { points: 20, seconds: 10 })
  assert.equal(defaults.limits.widget.sessions.ip, { points: 30, seconds: 60 })
  assert.equal(defaults.limits.signIn.perIpEmail, { points: 10, seconds: 900 })
  assert.is(defaults.trustProxy, 0)
  const set = loadConfig({ RATE_LIMIT_MESSAGES_PER_VISITOR: '5/2s', RATE_LIMIT_UPLOADS_PER_SITE: 'off', SIGN_IN_LIMIT_PER_IP: '100/1h', TRUST_PROXY: 'true' })
  assert.equal(set.limits.widget.messages.visitor, { points: 5, seconds: 2 })
  assert.is(set.limits.widget.uploads.site, null)
  assert.equal(set.limits.signIn.perIp, { points: 100, seconds: 3600 })
  assert.is(set.trustProxy, 1)
  const bad = { RATE_LIMIT_MESSAGES_PER_IP: 'fast', RATE_LIMIT_SESSIONS_PER_SITE: '0/1m', SIGN_IN_LIMIT_PER_ACCOUNT: '10/2d', TRUST_PROXY: 'maybe', RATE_LIMIT_PREFIX: 'has spaces' }
  try {
    loadConfig(bad)
    assert.unreachable('bad limits were accepted')
  } catch (error) {
    const problems = (error as ConfigError).problems.join('\n')
    for (const name of Object.keys(bad)) assert.match(problems, name)
    assert.match(problems, /RATE_LIMIT_MESSAGES_PER_IP="fast": must be like 20\/10s/)
  }
})

test.run()
