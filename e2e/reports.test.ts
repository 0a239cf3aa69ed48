import fs from 'node:fs'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { startTestServer, type TestServer } from '../server/test-kit.ts'
import { SWEPT_AT, scriptDay, type ScriptedDay } from '../server/reports/scripted-day.ts'
import { artifact, buildBrowserParts, launchBrowser } from './browser.ts'
import { PHONE, openApp } from './agent-app-kit.ts'

let t: TestServer
let browser: Browser
let day: ScriptedDay

test.before(async () => {
  buildBrowserParts()
  // Routing's clock reads the scripted day's last sweep: the server's own sweeps find nothing new.
  t = await startTestServer({ start: { clock: { now: () => SWEPT_AT } } })
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
    for (const chart of ['chart-overview', 'chart-csat', 'chart-agents', 'chart-sla']) await page.locator(`[data-testid=${chart}] canvas`).waitFor()
    assert.match(await page.locator('[data-testid=chart-overview]').innerText(), /New[\s\S]*Resolved/)
    // The CSAT comment links to its conversation.
    const link = page.locator('[data-testid=csat-comment-link]').first()
    assert.match(await link.getAttribute('href') ?? '', day.ids.C)
    // The page scrolls inside the app's frame: a tall window shows all of it at once.
    await page.setViewportSize({ width: 1280, height: 2800 })
    await page.screenshot({ path: artifact('reports-desktop.png') })
    await page.locator('[data-testid=section-sla]').screenshot({ path: artifact('reports-sla.png') })
    await page.setViewportSize({ width: 1280, height: 800 })

    // SLA: of three handed over, first response met once and breached twice; resolution met once, breached once, one in progress.
    assert.is(await value('figure-sla-first-response').innerText(), '33.3%')
    assert.is(await value('figure-sla-resolution').innerText(), '50%')
    assert.match(await page.locator('[data-testid=chart-sla]').innerText(), /In progress[\s\S]*Breached[\s\S]*Met/)
    const slaTable = await page.locator('[data-testid=table-sla-sla]').innerText()
    const [slaDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=csv-sla-sla]')])
    const slaCsv = fs.readFileSync((await slaDownload.path())!, 'utf8')
    assert.is(slaCsv, 'target,conversations,met,breached,in_progress,met_pct\r\nfirst response,3,1,2,0,33.3\r\nresolution,3,1,1,1,50\r\n')
    for (const line of slaCsv.trim().split('\r\n')) assert.ok(slaTable.replace(/\t/g, ',').includes(line), `${line} is in the SLA table`)

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
    await page.selectOption('[data-testid=report-widget]', '')
    await page.waitForFunction(() => document.querySelector('[data-testid=figure-new-value]')?.textContent === '5')

    // The inbox Front (A, B and E that day): its SLA figures and its table, and the CSV of that table.
    await page.selectOption('[data-testid=report-inbox]', day.inboxes.front)
    await page.waitForFunction(() => document.querySelector('[data-testid=figure-new-value]')?.textContent === '3')
    assert.match(page.url(), new RegExp(`inbox=${day.inboxes.front}`))
    assert.is(await value('figure-sla-first-response').innerText(), '50%')
    assert.is(await value('figure-sla-resolution').innerText(), '100%')
    const frontTable = await page.locator('[data-testid=table-sla-sla]').innerText()
    assert.match(frontTable.replace(/\t/g, ','), /first response,2,1,1,0,50/)
    const [frontDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=csv-sla-sla]')])
    const frontCsv = fs.readFileSync((await frontDownload.path())!, 'utf8')
    for (const line of frontCsv.trim().split('\r\n')) assert.ok(frontTable.replace(/\t/g, ',').includes(line), `${line} is in the filtered SLA table`)
    assert.is(frontCsv.split('\r\n').length, 4)

    // The team Shipping (C alone), the inbox cleared; kept in the URL across a reload.
    await page.selectOption('[data-testid=report-inbox]', '')
    await page.selectOption('[data-testid=report-team]', day.teams.shipping)
    await page.waitForFunction(() => document.querySelector('[data-testid=figure-new-value]')?.textContent === '1')
    assert.match(page.url(), new RegExp(`team=${day.teams.shipping}`))
    assert.ok(!page.url().includes('inbox='))
    await page.reload()
    await page.waitForFunction(() => document.querySelector('[data-testid=figure-new-value]')?.textContent === '1')
    assert.is(await page.locator('[data-testid=report-team]').inputValue(), day.teams.shipping)
    assert.is(await value('figure-sla-resolution').innerText(), '0%')
    await page.locator('[data-testid=section-sla]').screenshot({ path: artifact('reports-sla-shipping.png') })
  } finally { await context.close() }
})

test('the Reports page is readable at 390 px', async () => {
  const { context, page } = await openApp(browser, t, { token: t.ownerToken, viewport: PHONE })
  try {
    await page.goto(t.url + DAY_URL)
    await page.waitForFunction(() => document.querySelector('[data-testid=figure-new-value]')?.textContent === '5')
    await page.locator('[data-testid=chart-overview] canvas').waitFor()
    await page.locator('[data-testid=chart-sla] canvas').waitFor()
    // Nothing wider than the screen: the page does not scroll sideways (wide tables scroll in their own box).
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= PHONE.width, `page is ${width}px wide`)
    await page.setViewportSize({ width: PHONE.width, height: 3600 })
    await page.screenshot({ path: artifact('reports-phone.png') })
    await page.locator('[data-testid=section-sla]').screenshot({ path: artifact('reports-sla-phone.png') })
    await page.locator('form[aria-label="Report filters"]').screenshot({ path: artifact('reports-filters-phone.png') })
  } finally { await context.close() }
})

test.run()
