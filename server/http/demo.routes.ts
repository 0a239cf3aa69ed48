/**
 * The demo host page at /demo: widget/demo.html with the first widget's site key filled in, so
 * a fresh install shows the widget embedded exactly as a customer's site would embed it.
 */
import fs from 'node:fs'
import path from 'node:path'
import { listWidgets } from '../../db/widget.repository.ts'
import { listWorkspaces } from '../../db/workspace.repository.ts'
import { PROJECT_ROOT } from '../paths.ts'
import type { Services } from '../services.ts'
import type { Router } from './router.ts'

const TEMPLATE = path.join(PROJECT_ROOT, 'widget', 'demo.html')

export function addDemoRoutes(router: Router, services: Services): void {
  router.add('GET', '/demo', async (ctx) => {
    const workspace = (await listWorkspaces(services.db))[0]
    const widget = workspace ? (await listWidgets(services.db, workspace.id))[0] : undefined
    if (!widget) {
      ctx.res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
      ctx.res.end('No widget yet: the first start creates one.\n')
      return
    }
    const template = await fs.promises.readFile(TEMPLATE, 'utf8')
    // Site keys are [A-Za-z0-9_-] (see VisitorSessionBody), so they need no HTML escaping.
    const html = template.replaceAll('%SITE_KEY%', widget.site_key)
    ctx.res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' })
    ctx.res.end(html)
  }, { summary: 'A demo host page with the widget', tag: 'System', auth: 'public', produces: 'text/html' })
}
