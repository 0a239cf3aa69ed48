import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createLogger, withRequestId } from './log.ts'
import { startTestServer } from './test-kit.ts'

function capture() {
  const out: string[] = []
  const err: string[] = []
  const streams = { out: { write: (line: string) => { out.push(line) } }, err: { write: (line: string) => { err.push(line) } } }
  const parsed = (lines: string[]) => lines.map((line) => JSON.parse(line) as Record<string, any>)
  return { streams, out: () => parsed(out), err: () => parsed(err) }
}

test('one JSON object a line: ISO time, level by name, msg and the fields; warnings and errors apart; LOG_LEVEL filters', () => {
  const c = capture()
  const log = createLogger('info', { process: 'test' }, { streams: c.streams, pretty: false })
  log.debug('not shown')
  log.info('parley listening', { url: 'http://127.0.0.1:1', database: 'sqlite' })
  log.warn('update refused', { code: 'schema-violation' })
  log.error('projection failed', { error: Object.assign(new Error('disk full'), { code: 'ENOSPC' }) })
  const [info] = c.out()
  assert.is(c.out().length, 1)
  assert.match(info!.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  assert.equal({ ...info, time: undefined }, { time: undefined, level: 'info', process: 'test', msg: 'parley listening', url: 'http://127.0.0.1:1', database: 'sqlite' })
  const [warn, error] = c.err()
  assert.equal([warn!.level, warn!.msg, warn!.code], ['warn', 'update refused', 'schema-violation'])
  assert.equal([error!.level, error!.error.message, error!.error.code], ['error', 'disk full', 'ENOSPC'])
  assert.match(error!.error.stack, /disk full/)

  const silent = capture()
  const quiet = createLogger('silent', {}, { streams: silent.streams, pretty: false })
  quiet.error('nothing')
  assert.is(silent.err().length + silent.out().length, 0)
})

test('what people wrote and who they are never reaches a log line', () => {
  const c = capture()
  const log = createLogger('debug', {}, { streams: c.streams, pretty: false })
  log.info('message', { conversation: 'c1', text: 'my card number is 4111', email: 'vera@example.com', job: { name: 'Vera', password: 'hunter2', messageId: 'm1' } })
  const [line] = c.out()
  assert.equal(line!.text, '[redacted]')
  assert.equal(line!.email, '[redacted]')
  assert.equal(line!.job, { name: '[redacted]', password: '[redacted]', messageId: 'm1' })
  assert.is(line!.conversation, 'c1')
  assert.not.match(JSON.stringify(c.out()), /4111|vera@|hunter2/)
})

test('lines logged while a request is handled carry its request id; the answer names it', async () => {
  const inScope = capture()
  const log = createLogger('debug', {}, { streams: inScope.streams, pretty: false })
  await withRequestId('req-1', async () => { await Promise.resolve(); log.info('inside') })
  log.info('outside')
  assert.equal(inScope.out().map((l) => [l.msg, l.requestId]), [['inside', 'req-1'], ['outside', undefined]])

  const c = capture()
  const t = await startTestServer({ start: { log: createLogger('debug', {}, { streams: c.streams, pretty: false }) } })
  try {
    const given = await fetch(t.url + '/health', { headers: { 'x-request-id': 'proxy-abc-123' } })
    assert.is(given.headers.get('x-request-id'), 'proxy-abc-123')
    const made = await fetch(t.url + '/health', { headers: { 'x-request-id': 'no spaces or <tags> allowed' } })
    const madeId = made.headers.get('x-request-id') ?? ''
    assert.match(madeId, /^[0-9a-f-]{36}$/)
    const http = c.out().filter((l) => l.msg === 'http' && l.path === '/health')
    assert.equal(http.map((l) => l.requestId), ['proxy-abc-123', madeId])
  } finally { await t.close() }
})

test.run()
