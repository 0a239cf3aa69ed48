/**
 * /api/openapi.json and a reference page at /docs, drawn by Swagger UI from the installed
 * swagger-ui-dist (no CDN: a self-hosted desk may have no Internet, and a page that runs a
 * third party's script next to API tokens should not).
 */
import fs from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { ParleyError } from '../../protocol/index.ts'
import type { Router } from '../http/router.ts'
import type { Services } from '../services.ts'
import { buildOpenApiDocument } from './openapi-document.ts'

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Parley API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/swagger-ui.css"><link rel="icon" href="/docs/favicon-32x32.png">
<style>body{margin:0} .topbar{display:none}</style></head>
<body><div id="reference"></div>
<script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/swagger-ui-standalone-preset.js"></script>
<script src="/docs/init.js"></script></body></html>`

// Tags start collapsed: with every tag open at once, Swagger UI 5.35 stops drawing after a few
// operations once the description passes ~130 of them (no error is shown); a click opens a tag.
const INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#reference', deepLinking: true, persistAuthorization: false, docExpansion: 'none',
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'BaseLayout', defaultModelsExpandDepth: 0 })`

export function addOpenApiRoutes(router: Router, services: Services): void {
  const dist = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
  let document: unknown = null

  router.add('GET', '/api/openapi.json', () => {
    // Built on first request, when every route is in the table.
    document ??= buildOpenApiDocument(router.list(), services.config.publicUrl ?? undefined)
    return document
  }, { summary: 'This description (OpenAPI 3.1), generated from the validating schemas', tag: 'System', auth: 'public' })

  router.add('GET', '/docs', (ctx) => {
    ctx.res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' })
    ctx.res.end(PAGE)
  }, { summary: 'The API reference page', tag: 'System', auth: 'public', produces: 'text/html' })

  router.add('GET', '/docs/:file', async (ctx) => {
    const file = ctx.params.file as string
    if (file === 'init.js') {
      ctx.res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' })
      ctx.res.end(INIT)
      return
    }
    const type = ASSETS[file]
    if (!type) throw new ParleyError('not-found', 'no such file')
    const data = await fs.readFile(path.join(dist, file))
    ctx.res.writeHead(200, { 'content-type': type, 'cache-control': 'public, max-age=86400' })
    ctx.res.end(data)
  }, { summary: 'The reference page\'s scripts and styles (swagger-ui-dist)', tag: 'System', auth: 'public', produces: 'text/plain' })
}
