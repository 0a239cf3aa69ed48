/**
 * Settings → Data retention in a real browser: off by default, a bad number is refused and
 * changes nothing, a good one is saved and stated; the page
 * is in German under a German browser.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { api, startTestServer, waitFor, type TestServer } from '../server/test-kit.ts'
import { buildBrowserParts, launchBrowser } from './browser.ts'
import { disableAi, openApp, shot } from './agent-app-kit.ts'

let t: TestServer
let browser: Browser

test.before(async () => {
  buildBrowserParts()
  t = await startTestServer()
  await disableAi(t)
  browser = await launchBrowser()
})

test.after(async () => {
  await browser?.close()
  await t?.close()
})

const policy = async () => (await api(t.url, 'GET', '/api/settings/retention', undefined, t.ownerToken)).body.days

test('an admin turns retention on; a bad number is refused and changes nothing', async () => {
  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  try {
    await page.goto(`${t.url}/settings/retention`)
    const form = page.locator('[data-testid=retention-settings]')
    await form.locator('[data-testid=retention-status]', { hasText: 'Conversations are kept.' }).waitFor()
    await form.locator('label', { hasText: 'Erase resolved conversations after' }).locator('input').check()
    const days = form.locator('input[type=number]')
    await days.fill('0')
    await form.locator('button[type=submit]').click()
    // The browser refuses it before sending (1–3650 whole days, as the server checks).
    assert.is(await days.evaluate((el) => (el as HTMLInputElement).validity.valid), false)
    assert.is(await policy(), null, 'a refused value changes nothing')
    await days.fill('90')
    await form.locator('button[type=submit]').click()
    await page.locator('[role=status]', { hasText: 'Saved.' }).waitFor()
    await form.locator('[data-testid=retention-status]', { hasText: 'erased 90 days after' }).waitFor()
    await waitFor(async () => (await policy()) === 90, 5000, 'the policy saved')
    await shot(page, 'retention-settings.png')
    await form.locator('label', { hasText: 'Keep conversations' }).locator('input').check()
    await form.locator('button[type=submit]').click()
    await form.locator('[data-testid=retention-status]', { hasText: 'Conversations are kept.' }).waitFor()
    assert.is(await policy(), null)
  } finally { await context.close() }
})

test('the page is in German under a de-DE browser', async () => {
  const { context, page } = await openApp(browser, t, { token: t.ownerToken, locale: 'de-DE' })
  try {
    await page.goto(`${t.url}/settings/retention`)
    await page.locator('h1', { hasText: 'Datenaufbewahrung' }).waitFor()
    await page.locator('[data-testid=retention-status]', { hasText: 'Gespräche werden behalten.' }).waitFor()
    await shot(page, 'retention-settings-de.png')
  } finally { await context.close() }
})

test.run()
