/**
 * Settings with real controls (issue 17): business hours (days, times, time zone, holidays)
 * replacing the JSON box, and the widget's pre-chat form (fields, types, required, order),
 * both checked before saving and saved as the API reads them; the widget then asks the questions.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { api, startTestServer, type TestServer } from '../server/test-kit.ts'
import { buildBrowserParts, launchBrowser } from './browser.ts'
import { DESKTOP, openApp, shot } from './agent-app-kit.ts'

let t: TestServer
let browser: Browser

test.before(async () => {
  buildBrowserParts()
  t = await startTestServer()
  browser = await launchBrowser()
})

test.after(async () => {
  await browser?.close()
  await t?.close()
})

test('business hours: the week, another time zone and a holiday are saved as the API reads them; a day closing before it opens is refused and nothing changes', async () => {
  const { context, page } = await openApp(browser, t, { token: t.ownerToken, viewport: { width: DESKTOP.width, height: 1300 } })
  await page.goto(`${t.url}/settings/ai`)
  const editor = page.locator('[data-testid=business-hours]')
  await editor.waitFor()
  await page.check('[data-testid=hours-enabled]')
  await page.selectOption('[data-testid=hours-zone]', 'America/New_York')
  // Saturday 10:00–14:00; Friday closes early.
  await page.check('[aria-label="Open on Saturday"]')
  await page.fill('[aria-label="Saturday: opens at"]', '10:00')
  await page.fill('[aria-label="Saturday: closes at"]', '14:00')
  await page.fill('[aria-label="Friday: closes at"]', '15:30')
  await page.click('[data-testid=add-holiday]')
  await page.locator('[data-testid=holidays] input[type=date]').fill('2026-12-25')
  await page.locator('[data-testid=holidays] input[aria-label="Name (optional)"]').fill('Christmas')
  await page.locator('[data-testid=holidays] input[aria-label="Name (optional)"]').press('Tab')
  await shot(page, 'settings-hours.png')
  await page.click('[data-testid=save-ai]')
  await page.locator('[role=status]', { hasText: 'AI settings saved.' }).waitFor()
  const saved = (await api(t.url, 'GET', '/api/settings/ai', undefined, t.ownerToken)).body.businessHours
  assert.equal(saved, {
    timezone: 'America/New_York',
    days: { mon: { open: '09:00', close: '17:00' }, tue: { open: '09:00', close: '17:00' }, wed: { open: '09:00', close: '17:00' }, thu: { open: '09:00', close: '17:00' }, fri: { open: '09:00', close: '15:30' }, sat: { open: '10:00', close: '14:00' } },
    holidays: [{ date: '2026-12-25', name: 'Christmas' }],
  })
  // The widget's availability reads the same hours: on Christmas Day the team is closed.
  // Monday closing at 08:00, before it opens: said at once, nothing is sent.
  await page.fill('[aria-label="Monday: closes at"]', '08:00')
  await page.click('[data-testid=save-ai]')
  await page.locator('[role=alert]', { hasText: 'Monday: closing time must be after opening time.' }).waitFor()
  assert.equal((await api(t.url, 'GET', '/api/settings/ai', undefined, t.ownerToken)).body.businessHours, saved)
  // Reloaded, the editor shows what was saved.
  await page.reload()
  await editor.waitFor()
  assert.is(await page.inputValue('[aria-label="Friday: closes at"]'), '15:30')
  assert.is(await page.inputValue('[data-testid=hours-zone]'), 'America/New_York')
  assert.is(await page.inputValue('[data-testid=holidays] input[type=date]'), '2026-12-25')
  // Off again: always open.
  await page.uncheck('[data-testid=hours-enabled]')
  await page.click('[data-testid=save-ai]')
  await page.locator('[role=status]', { hasText: 'AI settings saved.' }).waitFor()
  assert.is((await api(t.url, 'GET', '/api/settings/ai', undefined, t.ownerToken)).body.businessHours, null)
  await context.close()
})

test('the pre-chat form: fields with types, required and order are saved; a key used twice is refused; the widget asks the saved questions', async () => {
  const { context, page } = await openApp(browser, t, { token: t.ownerToken, viewport: { width: DESKTOP.width, height: 1400 } })
  await page.goto(`${t.url}/settings/widgets`)
  await page.locator('[data-testid=prechat-editor]').waitFor()
  await page.check('[data-testid=prechat-enabled]')
  await page.click('[data-testid=prechat-add]')
  await page.locator('[data-testid=prechat-label]').nth(0).fill('Order number')
  assert.is(await page.locator('[data-testid=prechat-key]').nth(0).inputValue(), 'order_number', 'the key follows the question')
  await page.locator('[data-testid=prechat-required]').nth(0).check()
  await page.click('[data-testid=prechat-add]')
  await page.locator('[data-testid=prechat-label]').nth(1).fill('Work email')
  await page.locator('[data-testid=prechat-type]').nth(1).selectOption('email')
  await page.click('[aria-label="Move Work email up"]')
  await shot(page, 'settings-prechat.png')

  // A key used twice: refused in the form, nothing saved.
  await page.locator('[data-testid=prechat-key]').nth(0).fill('order_number')
  await page.click('button:has-text("Save widget")')
  await page.locator('[role=alert]', { hasText: 'The key “order_number” is used twice.' }).waitFor()
  const widgetId = (await api(t.url, 'GET', '/api/widgets', undefined, t.ownerToken)).body.items[0].id
  assert.equal((await api(t.url, 'GET', `/api/widgets/${widgetId}`, undefined, t.ownerToken)).body.prechat, { enabled: false, fields: [] })

  await page.locator('[data-testid=prechat-key]').nth(0).fill('work_email')
  await page.click('button:has-text("Save widget")')
  await page.locator('[role=status]', { hasText: 'Saved.' }).waitFor()
  assert.equal((await api(t.url, 'GET', `/api/widgets/${widgetId}`, undefined, t.ownerToken)).body.prechat, {
    enabled: true,
    fields: [{ name: 'work_email', label: 'Work email', type: 'email', required: false }, { name: 'order_number', label: 'Order number', type: 'text', required: true }],
  })

  // The visitor gets those questions, in that order, and the required one is checked.
  const visitor = await browser.newContext()
  const demo = await visitor.newPage()
  await demo.goto(`${t.url}/demo`)
  await demo.locator('parley-widget .launcher').click()
  const labels = await demo.locator('parley-widget .form label').allTextContents()
  assert.equal(labels.map((l) => l.trim()), ['Work email', 'Order number *'])
  assert.is(await demo.locator('parley-widget #prechat-work_email').getAttribute('type'), 'email')
  await demo.locator('parley-widget button', { hasText: 'Start chat' }).click()
  await demo.locator('parley-widget .error', { hasText: 'Order number is required' }).waitFor()
  await visitor.close()
  await context.close()
})

test.run()
