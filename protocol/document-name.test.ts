import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { formatInboxName, parseDocumentName } from './document-name.ts'

test('inbox names carry their generation; the first generation keeps the plain name', () => {
  assert.is(formatInboxName('ws_1'), 'inbox:ws_1')
  assert.is(formatInboxName('ws_1', 3), 'inbox:ws_1.3')
  assert.equal(parseDocumentName('inbox:ws_1'), { kind: 'inbox', id: 'ws_1', generation: 0 })
  assert.equal(parseDocumentName('inbox:ws_1.3'), { kind: 'inbox', id: 'ws_1', generation: 3 })
  assert.equal(parseDocumentName('conversation:c_1'), { kind: 'conversation', id: 'c_1' })
})

test('anything else is refused: generations on other kinds, zero or padded generations, stray dots', () => {
  for (const name of ['conversation:c_1.2', 'inbox:ws_1.0', 'inbox:ws_1.01', 'inbox:ws_1.', 'inbox:.3', 'inbox:ws_1.2.3', 'inbox:ws 1', 'agent:a.1', 'inbox:', 'nope:x']) {
    assert.throws(() => parseDocumentName(name), undefined, name)
  }
})

test.run()
