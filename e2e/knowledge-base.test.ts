/**
 * A fresh install in the browser: the empty knowledge base says so with the import button; a
 * bad file refuses the import and the report names it; Markdown, a zip and a Zendesk export are
 * imported; a visitor is answered from the import (linking the article); categories are edited.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { strToU8, zipSync } from 'fflate'
import { api } from '../server/test-kit.ts'
import { startBotServer, type BotTestServer } from '../ai-worker/test-kit.ts'
import { buildBrowserParts, launchBrowser } from './browser.ts'
import { openApp, shot } from './agent-app-kit.ts'
import { EXAMPLE_ARTICLE, seedExampleArticle } from '../server/knowledge-base/example-article.ts'

let t: BotTestServer
let browser: Browser
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-kb-files-'))
const file = (name: string, content: string | Uint8Array) => { const p = path.join(dir, name); fs.writeFileSync(p, content); return p }

test.before(async () => {
  buildBrowserParts()
  t = await startBotServer({ llm: null })
  browser = await launchBrowser()
})

test.after(async () => {
  await browser?.close()
  await t?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const ZENDESK = {
  articles: [{
    id: 42, title: 'Shipping and delivery times', locale: 'en-us', draft: false, section_id: 7, html_url: 'https://help.example.com/hc/en-us/articles/42',
    body: '<p>We ship every order within one working day.</p><h2>Delivery times</h2><ul><li><strong>Standard:</strong> 3–5 working days.</li><li><strong>Express:</strong> the next working day, for 6.95 EUR.</li></ul>',
  }],
}

test('empty knowledge base → a refused import with its report → an import of Markdown, a zip and a Zendesk export; a visitor is answered from it', async () => {
  const { context, page } = await openApp(browser, t)
  try {
    await page.goto(`${t.url}/settings/articles`)
    const empty = page.locator('[data-testid=kb-empty]')
    await empty.waitFor()
    assert.match(await empty.innerText(), /knowledge base is empty/)
    assert.ok(await page.getByRole('button', { name: 'Import articles' }).isVisible(), 'the import button is there')
    await shot(page, 'kb-empty.png')

    const input = page.locator('[data-testid=kb-import-files]')
    await input.setInputFiles([file('good.md', '# Fine\n\nSome text.'), file('broken.json', '{"articles": [')])
    await page.locator('[role=alert]', { hasText: 'broken.json' }).waitFor({ timeout: 15_000 })
    await page.locator('[aria-label="Import report"]', { hasText: 'Nothing was imported' }).waitFor()
    assert.match(await page.locator('li[data-file="broken.json"]').innerText(), /not valid JSON/)
    assert.is((await api(t.url, 'GET', '/api/articles', undefined, t.ownerToken)).body.items.length, 0, 'nothing imported')
    await shot(page, 'kb-import-refused.png')

    const zip = zipSync({ 'guides/invoices.md': strToU8('# Download an invoice\n\nOpen **Settings → Billing** and choose *Invoices*.'), 'guides/logo.png': new Uint8Array([1, 2, 3]) })
    await input.setInputFiles([
      file('password.md', '---\ntitle: Reset your password\ntags: [account]\n---\nChoose **Forgot password?** on the sign-in page; the link we email you works for one hour.'),
      file('help.zip', zip),
      file('zendesk.json', JSON.stringify(ZENDESK)),
    ])
    await page.locator('[aria-label="Import report"] [role=status]', { hasText: 'Imported: 3 new, 0 updated, 0 unchanged.' }).waitFor({ timeout: 15_000 })
    assert.match(await page.locator('li[data-file="help.zip"]').innerText(), /guides\/logo\.png: not an article file/)
    for (const title of ['Reset your password', 'Download an invoice', 'Shipping and delivery times']) await page.locator(`li[data-article="${title}"]`).waitFor()
    assert.is(await empty.count(), 0, 'no longer empty')
    assert.is(await page.locator('li[data-article="Shipping and delivery times"] a').getAttribute('href'), 'https://help.example.com/hc/en-us/articles/42')
    await shot(page, 'kb-imported.png')

    // The same files again: updated in place, no copies.
    await input.setInputFiles([path.join(dir, 'zendesk.json')])
    await page.locator('[aria-label="Import report"] [role=status]', { hasText: '0 new, 0 updated, 1 unchanged' }).waitFor({ timeout: 15_000 })
    assert.is(await page.locator('li[data-article="Shipping and delivery times"]').count(), 1)
  } finally { await context.close() }

  // A visitor asks; the answer quotes the imported article and links it.
  const visitor = await browser.newContext()
  try {
    const page = await visitor.newPage()
    await page.goto(`${t.url}/demo`)
    await page.locator('parley-widget .launcher').click()
    const box = page.locator('parley-widget textarea[aria-label="Message"]')
    await box.waitFor()
    await box.fill('How long does express delivery take?')
    await box.press('Enter')
    const answer = page.locator('parley-widget .bubble', { hasText: 'next working day' })
    await answer.waitFor({ timeout: 20_000 })
    assert.is(await answer.locator('a', { hasText: 'Shipping and delivery times' }).getAttribute('href'), 'https://help.example.com/hc/en-us/articles/42')
    await page.screenshot({ path: path.resolve('e2e/artifacts/kb-widget-answer.png') })
  } finally { await visitor.close() }
})

test('Settings → AI: the default categories, edited and saved; a bad list is refused naming the field', async () => {
  const { context, page } = await openApp(browser, t)
  try {
    await page.goto(`${t.url}/settings/ai`)
    const categories = page.locator('[data-testid=ai-categories]')
    await categories.waitFor()
    assert.is(await categories.inputValue(), 'technical\nbilling\naccount\nsales\ngeneral\nsensitive')
    await categories.fill('technical\nbilling\nbilling')
    await page.click('text=Save AI settings')
    await page.locator('[role=alert]', { hasText: 'categories' }).waitFor()
    await categories.fill('technical\nbilling\nShipping\ngeneral')
    await page.fill('input[name=responseDelaySeconds]', '1.5')
    await page.click('text=Save AI settings')
    await page.locator('[role=status]', { hasText: 'AI settings saved' }).waitFor()
    const saved = (await api(t.url, 'GET', '/api/settings/ai', undefined, t.ownerToken)).body
    assert.equal(saved.categories, ['technical', 'billing', 'shipping', 'general'])
    assert.is(saved.responseDelayMs, 1500)
    await shot(page, 'ai-categories.png')
  } finally { await context.close() }
})

test('the example article a fresh install starts with is marked as an example in the list', async () => {
  await seedExampleArticle(t.server.services.db, t.workspaceId)
  const { context, page } = await openApp(browser, t)
  try {
    await page.goto(`${t.url}/settings/articles`)
    const row = page.locator(`li[data-article="${EXAMPLE_ARTICLE.title}"]`)
    await row.waitFor()
    assert.match(await row.innerText(), /^EXAMPLE\s*Example article:/, 'the badge, then the title')
    await row.scrollIntoViewIfNeeded()
    await shot(page, 'kb-example-article.png')
  } finally { await context.close() }
})

test.run()
