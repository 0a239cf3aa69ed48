import fs from 'node:fs'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { startTestServer, type TestServer } from '../server/test-kit.ts'
import { scriptDay, type ScriptedDay } from '../server/reports/scripted-day.ts'
import { artifact, buildBrowserParts, launchBrowser } from './browser.ts'
import { PHONE, openApp } from './agent-app-kit.ts'

let t: TestServer
let browser: Browser
let day: ScriptedDay

test.before(async () => {
  buildBrowserParts()
  t = await startTestServer()
  day = await scriptDay(t.server.services.db, t.workspaceId, true)
  browser = await launchBrowser()
})

test.after(async () => {
  await browser?.close()
  await t?.close()
})

const DAY_URL = '/reports?preset=custom&from=2026-06-10&to=2026-06-10'

test('the Reports page draws its charts, a filter changes the figures, the CSV holds the table\'s numbers', async () => {
  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  try {
    await page.click('[data-testid=nav-reports]:visible')
    await page.locator('[data-testid=report-figures]').waitFor()
    await page.goto(t.url + DAY_URL)
    const value = (id: string) => page.locator(`[data-testid=${id}-value]`)
    await page.waitForFunction(() => document.querySelector('[data-testid=figure-new-value]')?.textContent === '5')
    assert.is(await value('figure-resolved').innerText(), '3')
    assert.is(await value('figure-first-response').innerText(), '20 min')
    assert.is(await value('figure-csat').innerText(), '3.5 / 5')
    assert.is(await value('figure-deflection').innerText(), '40%')
    // Charts are drawn: uPlot's canvases, with a legend naming the series.
    for (const chart of ['chart-overview', 'chart-csat', 'chart-agents']) await page.locator(`[data-testid=${chart}] canvas`).waitFor()
    assert.match(await page.locator('[data-testid=chart-overview]').innerText(), /New[\s\S]*Resolved/)
    // The CSAT comment links to its conversation.
    const link = page.locator('[data-testid=csat-comment-link]').first()
    assert.match(await link.getAttribute('href') ?? '', day.ids.C)
    // The page scrolls inside the app's frame: a tall window shows all of it at once.
    await page.setViewportSize({ width: 1280, height: 2800 })
    await page.screenshot({ path: artifact('reports-desktop.png') })
    await page.setViewportSize({ width: 1280, height: 800 })

    // CSV: the table's rows, as the server writes them.
    const table = await page.locator('[data-testid=table-response-times-times]').innerText()
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=csv-response-times-times]')])
    const csv = fs.readFileSync((await download.path())!, 'utf8')
    assert.is(csv, 'measure,count,median_min,p90_min\r\nfirst response,2,20,28\r\nresolution,4,75.5,204.3\r\n')
    for (const line of csv.trim().split('\r\n').slice(1)) assert.ok(table.replace(/\t/g, ',').includes(line), `${line} is in the table`)

    // A filter: widget w1 holds three of the five.
    await page.selectOption('[data-testid=report-widget]', day.w1)
    await page.waitForFunction(() => document.querySelector('[data-testid=figure-new-value]')?.textContent === '3')
    assert.match(page.url(), new RegExp(`widget=${day.w1}`))
    assert.is(await value('figure-resolved').innerText(), '2')
  } finally { await context.close() }
})

test('the Reports page is readable at 390 px', async () => {
  const { context, page } = await openApp(browser, t, { token: t.ownerToken, viewport: PHONE })
  try {
    await page.goto(t.url + DAY_URL)
    await page.waitForFunction(() => document.querySelector('[data-testid=figure-new-value]')?.textContent === '5')
    await page.locator('[data-testid=chart-overview] canvas').waitFor()
    // Nothing wider than the screen: the page does not scroll sideways (wide tables scroll in their own box).
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= PHONE.width, `page is ${width}px wide`)
    await page.setViewportSize({ width: PHONE.width, height: 3600 })
    await page.screenshot({ path: artifact('reports-phone.png') })
  } finally { await context.close() }
})

test.run()
