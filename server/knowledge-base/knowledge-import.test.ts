/** Knowledge-base import over HTTP: every format, re-import updates, a bad file changes nothing, who may import. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { strToU8, zipSync } from 'fflate'
import { testDialects } from '../../db/test-databases.ts'
import { api, startTestServer, type TestServer } from '../test-kit.ts'

const importFiles = (t: TestServer, files: unknown[], token = t.ownerToken) => api(t.url, 'POST', '/api/knowledge-base/import', { files }, token)
const articles = async (t: TestServer) => (await api(t.url, 'GET', '/api/articles', undefined, t.ownerToken)).body.items as { id: string; title: string; body: string; tags: string[]; source: string | null; url: string | null }[]
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')

const SHIPPING_MD = `---
title: Shipping and delivery times
tags: [shipping, orders]
---
Standard shipping takes 3–5 working days.

## Express

- Express delivery arrives the next working day.
- It costs **9 EUR**.
`
const RETURNS_HTML = `<!doctype html><html><head><title>Returns and refunds</title><script>track()</script></head><body>
<h1>Returns and refunds</h1><p>You can return an item within <b>30 days</b>. <a href="javascript:alert(1)">Ask us</a>.</p><ol><li>Open <a href="https://shop.example/orders">your orders</a></li><li>Choose <em>Return</em></li></ol></body></html>`
const ZENDESK = {
  articles: [
    { id: 360001, title: 'Reset your password', body: '<p>Click <strong>Forgot password</strong> on the sign-in page.</p>', html_url: 'https://help.example.com/hc/en-us/articles/360001', section_id: 9, locale: 'en-us', draft: false, label_names: ['account'] },
    { id: 360002, title: 'Unfinished draft', body: '<p>todo</p>', html_url: 'https://help.example.com/hc/en-us/articles/360002', section_id: 9, locale: 'en-us', draft: true },
  ],
  next_page: null, count: 2,
}
const INTERCOM = {
  type: 'list',
  data: [
    { type: 'article', id: '7001', title: 'Invite your team', body: '<p>Go to <b>Settings → Team</b> and choose <i>Invite</i>.</p>', url: 'https://intercom.help/example/en/articles/7001', state: 'published' },
    { type: 'article', id: '7002', title: 'Secret roadmap', body: '<p>not yet</p>', url: null, state: 'draft' },
  ],
  total_count: 2,
}

for (const dialect of testDialects()) {
  test(`${dialect}: Markdown, HTML, Zendesk and Intercom files are imported in one go, with a report per file`, async () => {
    const t = await startTestServer({ dialect })
    try {
      const r = await importFiles(t, [
        { name: 'shipping.md', content: SHIPPING_MD },
        { name: 'returns.html', content: RETURNS_HTML },
        { name: 'zendesk-articles.json', content: JSON.stringify(ZENDESK) },
        { name: 'intercom.json', content: JSON.stringify(INTERCOM) },
      ])
      assert.is(r.status, 200, JSON.stringify(r.body))
      assert.equal([r.body.created, r.body.updated, r.body.unchanged], [4, 0, 0])
      assert.equal(r.body.files.map((f: any) => [f.name, f.kind, f.articles.length]), [['shipping.md', 'markdown', 1], ['returns.html', 'html', 1], ['zendesk-articles.json', 'zendesk', 1], ['intercom.json', 'intercom', 1]])
      assert.match(r.body.files[2].skipped[0], /Unfinished draft.*draft/)
      assert.match(r.body.files[3].skipped[0], /Secret roadmap.*not published/)

      const byTitle = new Map((await articles(t)).map((a) => [a.title, a]))
      assert.equal([...byTitle.keys()].sort(), ['Invite your team', 'Reset your password', 'Returns and refunds', 'Shipping and delivery times'])
      const shipping = byTitle.get('Shipping and delivery times')!
      assert.equal(shipping.tags, ['shipping', 'orders'])
      assert.match(shipping.body, /^Standard shipping/, 'front matter is not part of the text')
      const returns = byTitle.get('Returns and refunds')!
      assert.match(returns.body, /^1\. Open \[your orders\]\(https:\/\/shop\.example\/orders\)$/m, 'an HTML list stays a list, its link a link')
      assert.match(returns.body, /\*\*30 days\*\*/)
      assert.not.match(returns.body, /track\(\)|Returns and refunds/, 'no script text, no repeated title')
      assert.match(returns.body, /30 days\*\*\. Ask us\./, 'a javascript: link keeps its words, not its target')
      assert.not.match(returns.body, /javascript/)
      const zendesk = byTitle.get('Reset your password')!
      assert.is(zendesk.url, 'https://help.example.com/hc/en-us/articles/360001')
      assert.equal(zendesk.tags, ['account'])
      assert.is(byTitle.get('Invite your team')!.body, 'Go to **Settings → Team** and choose *Invite*.')
    } finally { await t.close() }
  })

  test(`${dialect}: importing again updates the articles it made instead of adding copies`, async () => {
    const t = await startTestServer({ dialect })
    try {
      assert.is((await importFiles(t, [{ name: 'shipping.md', content: SHIPPING_MD }, { name: 'zendesk.json', content: JSON.stringify(ZENDESK) }])).status, 200)
      const first = await articles(t)
      const changed = { ...ZENDESK, articles: [{ ...ZENDESK.articles[0]!, title: 'Reset a forgotten password', body: '<p>Use <b>Forgot password</b>; the link is valid for one hour.</p>' }] }
      const r = await importFiles(t, [{ name: 'shipping.md', content: SHIPPING_MD }, { name: 'zendesk.json', content: JSON.stringify(changed) }])
      assert.is(r.status, 200, JSON.stringify(r.body))
      assert.equal([r.body.created, r.body.updated, r.body.unchanged], [0, 1, 1])
      const second = await articles(t)
      assert.is(second.length, 2, 'no duplicates')
      const reset = second.find((a) => a.source === 'zendesk:360001/en-us')!
      assert.is(reset.title, 'Reset a forgotten password')
      assert.match(reset.body, /valid for one hour/)
      assert.is(reset.id, first.find((a) => a.source === 'zendesk:360001/en-us')!.id, 'the same article, updated')
    } finally { await t.close() }
  })
}

test('a zip of Markdown and HTML files: each entry reported, folders kept in the source, other files skipped', async () => {
  const t = await startTestServer()
  try {
    const zip = zipSync({
      'help/billing/invoices.md': strToU8('# Download an invoice\n\nOpen **Billing** and choose *Invoices*.'),
      'help/returns.html': strToU8(RETURNS_HTML),
      'help/logo.png': new Uint8Array([137, 80, 78, 71]),
      '__MACOSX/help/._returns.html': strToU8('junk'),
    })
    const r = await importFiles(t, [{ name: 'help-center.zip', content: base64(zip), encoding: 'base64' }])
    assert.is(r.status, 200, JSON.stringify(r.body))
    assert.is(r.body.created, 2)
    assert.equal(r.body.files.map((f: any) => f.name), ['help-center.zip', 'help-center.zip/help/billing/invoices.md', 'help-center.zip/help/returns.html'])
    assert.equal(r.body.files[0].skipped, ['help/logo.png: not an article file'])
    assert.equal((await articles(t)).map((a) => a.source).sort(), ['file:help/billing/invoices', 'file:help/returns'])
    // The same zip again: nothing new.
    const again = await importFiles(t, [{ name: 'help-center.zip', content: base64(zip), encoding: 'base64' }])
    assert.equal([again.body.created, again.body.updated, again.body.unchanged], [0, 0, 2])
  } finally { await t.close() }
})

test('one bad file refuses the whole import: the report names it and why, and nothing changes', async () => {
  const t = await startTestServer()
  try {
    assert.is((await importFiles(t, [{ name: 'shipping.md', content: SHIPPING_MD }])).status, 200)
    const before = await articles(t)
    const cases: [unknown[], RegExp][] = [
      [[{ name: 'good.md', content: '# Fine\n\ntext' }, { name: 'broken.json', content: '{"articles": [' }], /broken\.json: not valid JSON/],
      [[{ name: 'good.md', content: '# Fine\n\ntext' }, { name: 'other.json', content: '{"posts": []}' }], /other\.json: not a help-center export/],
      [[{ name: 'zendesk.json', content: JSON.stringify({ articles: [{ id: 1, title: 'No body field type', body: 5 }] }) }], /Zendesk export: articles\.0\.body/],
      [[{ name: 'empty.md', content: '# Only a title\n' }], /empty\.md: "Only a title" has no text/],
      [[{ name: 'slides.pptx', content: 'x' }], /slides\.pptx: not a file Parley imports/],
      [[{ name: 'latin1.md', content: base64(new Uint8Array([0x23, 0x20, 0xe9, 0x0a])), encoding: 'base64' }], /latin1\.md: not UTF-8 text/],
      [[{ name: 'archive.zip', content: base64(strToU8('not a zip at all')), encoding: 'base64' }], /archive\.zip: not a readable zip/],
      [[{ name: 'a.md', content: '# Shipping and delivery times\n\nnew text', }, { name: 'A.md', content: '# again\n\ntext' }], /is also in a\.md/],
    ]
    for (const [files, message] of cases) {
      const r = await importFiles(t, files)
      assert.is(r.status, 400, JSON.stringify(r.body))
      assert.is(r.body.error.code, 'bad-request')
      assert.match(r.body.error.message, /nothing was imported/)
      assert.is(r.body.report.ok, false)
      assert.ok(r.body.report.files.some((f: any) => f.error && message.test(`${f.name}: ${f.error}`)), `${message} in ${JSON.stringify(r.body.report.files)}`)
    }
    assert.equal(await articles(t), before, 'nothing changed')
  } finally { await t.close() }
})

test('the edge: a body checked field by field, a size limit, admins only', async () => {
  const t = await startTestServer()
  try {
    const noFiles = await importFiles(t, [])
    assert.is(noFiles.status, 400)
    assert.is(noFiles.body.error.field, 'files')
    const noName = await importFiles(t, [{ name: '', content: 'x' }])
    assert.is(noName.body.error.field, 'files.0.name')
    const badEncoding = await importFiles(t, [{ name: 'a.md', content: 'x', encoding: 'hex' }])
    assert.is(badEncoding.body.error.field, 'files.0.encoding')
    const notJson = await api(t.url, 'POST', '/api/knowledge-base/import', '{nope', t.ownerToken)
    assert.is(notJson.status, 400)

    const huge = await fetch(`${t.url}/api/knowledge-base/import`, { method: 'POST', headers: { authorization: `Bearer ${t.ownerToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ files: [{ name: 'big.md', content: 'x'.repeat(26 * 1024 * 1024) }] }) })
    assert.is(huge.status, 413)

    assert.is((await api(t.url, 'POST', '/api/knowledge-base/import', { files: [{ name: 'a.md', content: '# A\n\ntext' }] })).status, 401, 'no token')
    const agent = await api(t.url, 'POST', '/api/agents', { email: 'agent@example.com', name: 'Agent', role: 'agent', password: 'agent password 1' }, t.ownerToken)
    assert.is(agent.status, 201, JSON.stringify(agent.body))
    const agentToken = (await api(t.url, 'POST', '/api/auth/sign-in', { email: 'agent@example.com', password: 'agent password 1' })).body.token
    const refused = await importFiles(t, [{ name: 'a.md', content: '# A\n\ntext' }], agentToken)
    assert.is(refused.status, 403)
    assert.equal(await articles(t), [], 'nothing imported by the refused requests')
  } finally { await t.close() }
})

test('a large import does not hold the server: other requests are answered while it converts', async () => {
  const t = await startTestServer()
  try {
    const articles = Array.from({ length: 1500 }, (_, i) => ({ id: i, title: `Article ${i}`, locale: 'en', body: `<p>${'Help text with <b>bold</b> and <a href="https://x.example/a">a link</a>. '.repeat(20)}</p><ul><li>one</li><li>two</li></ul>` }))
    let done = false
    const began = performance.now()
    const importing = importFiles(t, [{ name: 'zendesk.json', content: JSON.stringify({ articles }) }]).finally(() => { done = true })
    const waits: number[] = []
    while (!done) {
      const started = performance.now()
      await fetch(`${t.url}/health`)
      waits.push(performance.now() - started)
    }
    const r = await importing
    const took = performance.now() - began
    assert.is(r.status, 200)
    assert.is(r.body.created, 1500)
    assert.ok(waits.length >= 3, `requests were answered during the import (${waits.length})`)
    // Converting 1,500 articles takes seconds (more on a loaded machine); no request waited for most of it.
    assert.ok(Math.max(...waits) < took / 3, `longest wait ${Math.round(Math.max(...waits))} ms of an import of ${Math.round(took)} ms`)
  } finally { await t.close() }
})

test.run()
