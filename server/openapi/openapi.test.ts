/**
 * /api/openapi.json covers every route of the router and is valid OpenAPI 3.1 (checked by
 * @seriousme/openapi-schema-validator); its schemas are the validating ones (a body the document
 * calls invalid is refused by the server, naming the same field); /docs is served locally.
 */
import { Validator } from '@seriousme/openapi-schema-validator'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { api, startTestServer } from '../test-kit.ts'

test('every route has a schema, the document validates, and /docs works without a CDN', async () => {
  const t = await startTestServer()
  try {
    const routes = t.server.router.list()
    const missing = routes.filter((r) => !r.spec).map((r) => `${r.method} ${r.pattern}`)
    assert.equal(missing, [], `routes without a schema (give router.add a RouteSpec): ${missing.join(', ')}`)
    assert.ok(routes.length > 60)
    // The router takes the first match: a second route of the same method and pattern is dead code.
    const seen = new Set<string>()
    const duplicates = routes.map((r) => `${r.method} ${r.pattern.replace(/:[A-Za-z]+/g, ':')}`).filter((key) => seen.has(key) || !seen.add(key))
    assert.equal(duplicates, [], `routes registered twice (only the first ever answers): ${duplicates.join(', ')}`)

    const res = await fetch(`${t.url}/api/openapi.json`)
    assert.is(res.status, 200)
    const doc = await res.json() as any
    const result = await new Validator().validate(doc)
    assert.ok(result.valid, JSON.stringify(result.errors, null, 1)?.slice(0, 2000))
    assert.is(doc.openapi, '3.1.0')
    for (const r of routes) {
      const op = doc.paths[r.pattern.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()]
      assert.ok(op, `${r.method} ${r.pattern} in the document`)
    }
    // Bodies come from the validating schemas: the reply's fields and their limits.
    const reply = doc.paths['/api/conversations/{id}/messages'].post.requestBody.content['application/json'].schema
    assert.equal(reply.required.sort(), ['id', 'text'])
    assert.equal(reply.properties.kind.enum, ['message', 'note'])
    assert.is(reply.additionalProperties, false)
    const refused = await api(t.url, 'POST', '/api/api-keys', { name: 'x', scope: 'root' }, t.ownerToken)
    assert.equal(doc.paths['/api/api-keys'].post.requestBody.content['application/json'].schema.properties.scope.enum, ['read', 'write', 'admin'])
    assert.is(refused.body.error.field, 'scope')
    assert.is(doc.paths['/api/widget/session'].post.security.length, 0)

    const page = await fetch(`${t.url}/docs`)
    const html = await page.text()
    assert.match(html, /swagger-ui-bundle\.js/)
    assert.not.match(html, /https?:\/\/(?!localhost)/)
    const bundle = await fetch(`${t.url}/docs/swagger-ui-bundle.js`)
    assert.is(bundle.status, 200)
    assert.ok((await bundle.text()).length > 100_000)
    assert.is((await fetch(`${t.url}/docs/..%2Fpackage.json`)).status, 404)
  } finally {
    await t.close()
  }
})

test.run()
