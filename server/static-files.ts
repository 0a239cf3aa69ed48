/**
 * Static files: the built agent app at /, the widget at /widget.js, the demo host page at /demo.
 * Files come from dist/ (built by `npm run build`); a missing build answers with what to run.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Config } from './config.ts'
import { send } from './http/router.ts'
import { PROJECT_ROOT } from './paths.ts'

const ROOT = path.join(PROJECT_ROOT, 'dist')
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json',
  '.webmanifest': 'application/manifest+json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
}

export async function serveStatic(req: IncomingMessage, res: ServerResponse, _config: Config): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 404, { error: { code: 'not-found', message: 'not found' } })
  const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
  if (pathname.startsWith('/api/')) return send(res, 404, { error: { code: 'not-found', message: `no API route ${pathname}` } })
  const candidates = pathname === '/widget.js' ? ['widget/widget.js'] : pathname === '/widget-markdown.js' ? ['widget/widget-markdown.js'] : pathname === '/demo' ? ['demo/index.html'] : [path.join('app', pathname), path.join('app', 'index.html')]
  for (const candidate of candidates) {
    const file = path.resolve(ROOT, candidate)
    if (!file.startsWith(ROOT + path.sep)) break
    const stat = await fs.promises.stat(file).catch(() => null)
    if (!stat?.isFile()) continue
    const immutable = /\/assets\//.test(file)
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': stat.size,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    })
    if (req.method === 'HEAD') return void res.end()
    fs.createReadStream(file).pipe(res)
    return
  }
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
  res.end('Not built yet: run `npm run build` (npm start does it for you).\n')
}
