/** Imported articles: one per source and workspace, also when two instances import the same files at once. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { upsertImportedArticles, listArticles, type ImportedArticle } from './article.repository.ts'
import { createTestDatabase, testDialects } from './test-databases.ts'
import { createWorkspace } from './workspace.repository.ts'

const articles = (n: number, version = 1): ImportedArticle[] => Array.from({ length: n }, (_, i) => ({
  sourceKey: `zendesk:${1000 + i}/en-us`, sourceUrl: `https://help.example.com/articles/${1000 + i}`, title: `Article ${i}`, body: `Text of article ${i}, version ${version}.`, tags: [],
}))

for (const dialect of testDialects()) {
  test(`${dialect}: the same source in two workspaces is two articles; importing again updates in place`, async () => {
    const t = await createTestDatabase(dialect)
    try {
      await createWorkspace(t.db, { id: 'w1', name: 'One' })
      await createWorkspace(t.db, { id: 'w2', name: 'Two' })
      let n = 0
      const id = () => `k${++n}`
      assert.equal((await upsertImportedArticles(t.db, 'w1', articles(3), id)).map((r) => r.action), ['created', 'created', 'created'])
      assert.equal((await upsertImportedArticles(t.db, 'w2', articles(3), id)).map((r) => r.action), ['created', 'created', 'created'])
      const again = await upsertImportedArticles(t.db, 'w1', [...articles(2), ...articles(3, 2).slice(2)], id)
      assert.equal(again.map((r) => r.action), ['unchanged', 'unchanged', 'updated'])
      const w1 = await listArticles(t.db, 'w1')
      assert.is(w1.length, 3)
      assert.match(w1.find((a) => a.title === 'Article 2')!.body, /version 2/)
      assert.match((await listArticles(t.db, 'w2')).find((a) => a.title === 'Article 2')!.body, /version 1/, 'the other workspace is untouched')
    } finally { await t.dispose() }
  })

  test(`${dialect}: two imports of the same 300 articles at once (in different orders) make 300 articles, not 600`, async () => {
    const t = await createTestDatabase(dialect)
    try {
      await createWorkspace(t.db, { id: 'w1', name: 'One' })
      let n = 0
      const [a, b] = await Promise.all([
        upsertImportedArticles(t.db, 'w1', articles(300), () => `a${++n}`),
        upsertImportedArticles(t.db, 'w1', articles(300, 2).reverse(), () => `b${++n}`),
      ])
      assert.is(a.length + b.length, 600)
      const rows = await listArticles(t.db, 'w1')
      assert.is(rows.length, 300)
      assert.is(new Set(rows.map((r) => r.source_key)).size, 300)
      // Whichever wrote last, every result names the article that exists.
      const ids = new Set(rows.map((r) => r.id))
      assert.ok([...a, ...b].every((r) => ids.has(r.id)), 'each reported id is a stored article')
    } finally { await t.dispose() }
  })
}

test.run()
