/**
 * Translations in a real browser (issue 17): the widget in German from a German browser (its
 * notices, forms, greeting and times), a widget forced to French, and the agent app in German
 * from the browser, then switched by the agent, the choice following them to another device.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser, Page } from 'playwright-core'
import { api, startTestServer, waitFor, type TestServer } from '../server/test-kit.ts'
import { artifact, buildBrowserParts, launchBrowser } from './browser.ts'
import { customerWrites, disableAi, openApp, serverConversation, shot, waitForConnection } from './agent-app-kit.ts'

let t: TestServer
let browser: Browser
let widgetId: string

const widgetText = (page: Page, text: string) => page.locator('parley-widget .panel').getByText(text).first()
const inWidget = (page: Page, selector: string) => page.locator(`parley-widget ${selector}`)

test.before(async () => {
  buildBrowserParts()
  t = await startTestServer()
  await disableAi(t)
  widgetId = (await api(t.url, 'GET', '/api/widgets', undefined, t.ownerToken)).body.items[0].id
  browser = await launchBrowser()
})

test.after(async () => {
  await browser?.close()
  await t?.close()
})

test('a German browser gets the widget in German: greeting, form and its errors, queue notice, times, offline and closed notices', async () => {
  const patched = await api(t.url, 'PATCH', `/api/widgets/${widgetId}`, {
    prechat: { enabled: true, fields: [{ name: 'name', label: 'Name', type: 'text', required: true }, { name: 'email', label: 'E-Mail', type: 'email', required: true }] },
  }, t.ownerToken)
  assert.is(patched.status, 200)
  const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin' })
  const page = await context.newPage()
  page.on('pageerror', (error) => console.error('page error:', error.message))
  await page.goto(`${t.url}/demo`)
  const launcher = inWidget(page, '.launcher')
  await launcher.waitFor()
  assert.is(await launcher.getAttribute('aria-label'), 'Chat öffnen: Chatten Sie mit uns')
  await launcher.click()
  // The pre-chat form and its checks, in German; the default welcome is its introduction.
  await widgetText(page, 'Hallo! Wie können wir helfen?').waitFor()
  await inWidget(page, 'button').filter({ hasText: 'Chat starten' }).click()
  await inWidget(page, '.error').filter({ hasText: 'Name ist ein Pflichtfeld' }).waitFor()
  await inWidget(page, '#prechat-name').fill('Jonas Becker')
  await inWidget(page, '#prechat-email').fill('kein-email')
  await inWidget(page, 'button').filter({ hasText: 'Chat starten' }).click()
  await inWidget(page, '.error').filter({ hasText: 'E-Mail muss eine E-Mail-Adresse sein' }).waitFor()
  await inWidget(page, '#prechat-email').fill('jonas@example.de')
  await inWidget(page, 'button').filter({ hasText: 'Chat starten' }).click()

  // Before writing: the greeting in the visitor's language.
  const input = inWidget(page, 'textarea[aria-label="Nachricht"]')
  await input.waitFor()
  assert.is(await input.getAttribute('placeholder'), 'Nachricht schreiben…')
  await inWidget(page, '.msg.role-bot .bubble').filter({ hasText: 'Hallo! Wie können wir helfen?' }).waitFor()
  await input.fill('Wo ist meine Bestellung?')
  await input.press('Enter')
  // AI off, nobody of the team online: the visitor keeps their place and is asked for an email, in German.
  await inWidget(page, '.notice').filter({ hasText: 'Gerade ist niemand aus dem Team online' }).waitFor({ timeout: 20_000 })
  // This test server sends no email, so the widget promises the reply in the chat (leaveEmailChat).
  await inWidget(page, '.notice').filter({ hasText: 'Die Antwort erscheint hier im Chat' }).waitFor()
  assert.is(await inWidget(page, '.notice input[type=email]').getAttribute('aria-label'), 'Ihre E-Mail-Adresse für die Antwort')
  await inWidget(page, '.msg.mine .meta').filter({ hasText: /Gesendet|Gelesen/ }).waitFor({ timeout: 20_000 })
  // Times as a German reader writes them (24 hours, no AM/PM).
  const time = await inWidget(page, '.msg.mine .meta span').first().textContent()
  assert.match(time ?? '', /^\d{2}:\d{2}$/)
  await shot(page, 'i18n-widget-de.png')

  // The conversation was made in the widget's language: the bot's greeting and fallback follow it.
  const conversations = await api(t.url, 'GET', '/api/conversations', undefined, t.ownerToken)
  const id = conversations.body.items[0].id as string
  assert.is((await serverConversation(t, id)).meta.contact?.language, 'de')

  // Offline: the notice in German.
  await context.setOffline(true)
  await inWidget(page, '.notice').filter({ hasText: 'Sie sind offline' }).waitFor()
  await context.setOffline(false)
  await inWidget(page, '.notice').filter({ hasText: 'Gerade ist niemand aus dem Team online' }).waitFor({ timeout: 20_000 })

  // Closed: "Wir sind <Wochentag>, 09:00 wieder da." in German, and no queue promise.
  const days = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, { open: '00:00', close: '00:01' }]))
  await api(t.url, 'PUT', '/api/settings/ai', { enabled: false, persona: 'p', greeting: '', confidenceThreshold: 0.5, businessHours: { timezone: 'Europe/Berlin', days } }, t.ownerToken)
  await page.reload()
  await launcher.click()
  const closed = inWidget(page, '.notice').filter({ hasText: 'wieder da' })
  await closed.waitFor({ timeout: 20_000 })
  const notice = (await closed.textContent()) ?? ''
  assert.match(notice, /Wir sind (Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag), 00:00 wieder da\./)
  assert.not.match(notice, /Warteschlange/)
  await shot(page, 'i18n-widget-de-closed.png')
  await api(t.url, 'PUT', '/api/settings/ai', { enabled: false, persona: 'p', greeting: '', confidenceThreshold: 0.5, businessHours: null }, t.ownerToken)
  await context.close()
})

test('the widget\'s language setting wins over the browser: French under a German browser', async () => {
  const saved = await api(t.url, 'PATCH', `/api/widgets/${widgetId}`, { language: 'fr', prechat: { enabled: false, fields: [] } }, t.ownerToken)
  assert.is(saved.status, 200)
  const refused = await api(t.url, 'PATCH', `/api/widgets/${widgetId}`, { language: 'xx' }, t.ownerToken)
  assert.is(refused.status, 400)
  assert.match(refused.body.error.message, 'language')
  const context = await browser.newContext({ locale: 'de-DE' })
  const page = await context.newPage()
  await page.goto(`${t.url}/demo`)
  await inWidget(page, '.launcher').click()
  await inWidget(page, '.msg.role-bot .bubble').filter({ hasText: 'Bonjour ! Comment pouvons-nous vous aider ?' }).waitFor()
  assert.is(await inWidget(page, 'textarea').getAttribute('placeholder'), 'Écrivez un message…')
  await context.close()
  await api(t.url, 'PATCH', `/api/widgets/${widgetId}`, { language: 'auto' }, t.ownerToken)
})

test('the agent app in German from the browser; the agent switches to Spanish and it follows them to another device', async () => {
  await customerWrites(t, 'Lena Koch', 'Meine Lieferung ist nicht angekommen')
  const { context, page } = await openApp(browser, t, { locale: 'de-DE', token: t.ownerToken })
  assert.is(await page.evaluate(() => document.documentElement.lang), 'de')
  await page.locator('[data-testid=view-mine]', { hasText: 'Meine' }).waitFor()
  await page.locator('[data-testid=connection]:visible', { hasText: 'Online' }).first().waitFor()
  await page.goto(`${t.url}/inbox/waiting`)
  await page.locator('h1', { hasText: 'Wartend' }).waitFor()
  const row = page.locator('[data-testid=inbox-row]', { hasText: 'Lena Koch' })
  await row.locator('[data-testid=waiting-time]', { hasText: /^wartet seit \d+ Min\.$/ }).waitFor({ timeout: 20_000 })
  await row.locator('[data-testid=status]', { hasText: 'wartend' }).waitFor()
  await row.click()
  // The conversation page's strings come with its chunk.
  await page.locator('[data-testid=send]', { hasText: 'Senden' }).waitFor()
  await page.locator('[data-testid=take]', { hasText: 'Übernehmen' }).waitFor()
  assert.is(await page.locator('[data-testid=reply-box]').getAttribute('placeholder'), 'Antwort… ( / für Textbausteine, Enter zum Senden )')
  await shot(page, 'i18n-app-de.png')

  await page.selectOption('[data-testid=language]', 'es')
  await page.locator('[data-testid=view-mine]', { hasText: 'Mías' }).waitFor()
  await page.locator('[data-testid=send]', { hasText: 'Enviar' }).waitFor()
  // The choice is in the agent's synced document: another device (an English browser) opens in Spanish.
  await waitForConnection(page, 'online')
  const other = await openApp(browser, t, { locale: 'en-US', token: t.ownerToken })
  await other.page.locator('[data-testid=view-mine]', { hasText: 'Mías' }).waitFor({ timeout: 30_000 })
  await shot(other.page, 'i18n-app-es-second-device.png')
  await page.selectOption('[data-testid=language]', 'auto')
  await page.locator('[data-testid=view-mine]', { hasText: 'Meine' }).waitFor()
  await other.context.close()
  await context.close()
})

test.run()
