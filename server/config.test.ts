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

test.run()
