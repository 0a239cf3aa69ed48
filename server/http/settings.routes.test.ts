/** AI settings: categories per workspace (defaults until set, checked when set) and the response delay. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { DEFAULT_AI_SETTINGS, DEFAULT_CATEGORIES } from '../../protocol/index.ts'
import { api, startTestServer } from '../test-kit.ts'

test('categories: the defaults until a workspace sets its own; a bad list is refused naming the field and changes nothing', async () => {
  const t = await startTestServer()
  try {
    const get = () => api(t.url, 'GET', '/api/settings/ai', undefined, t.ownerToken)
    assert.equal((await get()).body.categories, [...DEFAULT_CATEGORIES])
    const put = (categories: unknown) => api(t.url, 'PUT', '/api/settings/ai', { ...DEFAULT_AI_SETTINGS, categories, responseDelayMs: 800 }, t.ownerToken)
    const saved = await put([' Shipping', 'returns', 'Billing', 'general'])
    assert.is(saved.status, 200, JSON.stringify(saved.body))
    assert.equal((await get()).body.categories, ['shipping', 'returns', 'billing', 'general'], 'trimmed and lower-cased')
    assert.is((await get()).body.responseDelayMs, 800)
    for (const [bad, message] of [[[], /at least one/], [['billing', 'BILLING'], /twice/], [['a/b'], /letters, digits/], [['x'.repeat(41)], /at most 40/], [Array.from({ length: 31 }, (_, i) => `c${i}`), /at most 30/], ['billing', /array/i]] as const) {
      const r = await put(bad)
      assert.is(r.status, 400, JSON.stringify(bad))
      assert.match(r.body.error.field, /^categories/)
      assert.match(r.body.error.message, message)
    }
    assert.equal((await get()).body.categories, ['shipping', 'returns', 'billing', 'general'], 'unchanged by the refused saves')
  } finally { await t.close() }
})

test.run()
