/**
 * The agent app's pages in German from a German browser: the contacts page (list, profile, merge
 * panel, customer panel beside a conversation) and the public accept-invitation page, which loads
 * before any signed-in page and must bring the pages' strings itself.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { api, startTestServer, type TestServer } from '../server/test-kit.ts'
import { buildBrowserParts, launchBrowser } from './browser.ts'
import { customerWrites, disableAi, openApp, shot, DESKTOP } from './agent-app-kit.ts'

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

test('the contacts page and a profile are in German under a de-DE browser', async () => {
  const customer = await customerWrites(t, 'Greta Gruber', 'Wo bleibt meine Bestellung?')
  await api(t.url, 'PATCH', `/api/contacts/${customer.contactId}`, { phone: '+43 660 1234567', company: 'Gruber GmbH' }, t.ownerToken)
  const { context, page } = await openApp(browser, t, { token: t.ownerToken, locale: 'de-DE' })
  try {
    await page.goto(`${t.url}/contacts`)
    await page.locator('label[for=contacts-q]', { hasText: 'Kontakte durchsuchen' }).waitFor()
    assert.is(await page.locator('[data-testid=contacts-q]').getAttribute('placeholder'), 'Name, E-Mail, Telefon, Firma, Attribut…')
    assert.match(await page.locator('[data-testid=contacts-sort]').innerText(), /Zuletzt gesehen/)
    await page.click('[data-testid=contact-row]:has-text("Greta Gruber")')
    const profile = page.locator('[data-testid=contact-profile]')
    await profile.locator('label[for=contact-phone]', { hasText: 'Telefon' }).waitFor()
    assert.match(await profile.innerText(), /Zuletzt gesehen .* · seit /)
    assert.match(await page.locator('[data-testid=merge-panel]').textContent() ?? '', /Einen anderen Kontakt mit diesem zusammenführen/)
    assert.is(await page.locator('[data-testid=contact-save]').innerText(), 'Speichern')
    await shot(page, 'i18n-contacts-de.png')

    await page.goto(`${t.url}/inbox/open/${customer.conversationId}`)
    const panel = page.locator('[data-testid=customer-panel]')
    await panel.locator('text=Gruber GmbH').waitFor({ timeout: 30000 })
    assert.match(await panel.innerText(), /Telefon[\s\S]*Firma/)
    await panel.locator('[data-testid=open-profile]', { hasText: 'Profil öffnen' }).waitFor()
    assert.match(await panel.innerText(), /Der Kunde hat keine E-Mail-Adresse hinterlassen\./)
  } finally { await context.close() }
})

test('the accept-invitation page is in German before anyone signs in', async () => {
  const invited = await api(t.url, 'POST', '/api/invitations', { email: 'jonas@example.com', role: 'agent' }, t.ownerToken)
  assert.is(invited.status, 201, JSON.stringify(invited.body))
  const link = String(invited.body.link ?? '')
  assert.ok(link.includes('/accept-invitation?token='), 'no SMTP: the answer carries the link')
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'de-DE' })
  try {
    const page = await context.newPage()
    page.on('pageerror', (error) => console.error('[page error]', error.message))
    await page.goto(link)
    const form = page.locator('[data-testid=accept-invitation]')
    await form.waitFor()
    assert.match(await form.innerText(), /hat Sie als Agent zu My workspace eingeladen, mit der Adresse jonas@example\.com\./)
    assert.is(await page.locator('#account-title').innerText(), 'Dem Team beitreten')
    await page.locator('label[for=password]', { hasText: 'Passwort wählen (mindestens 10 Zeichen)' }).waitFor()
    assert.is(await page.locator('button[type=submit]').innerText(), 'Einladung annehmen')
    assert.is(await page.evaluate(() => document.documentElement.lang), 'de')
    await page.fill('#name', 'Jonas')
    await page.fill('#password', 'a long enough password')
    await page.fill('#confirm', 'a different long password')
    await page.click('button[type=submit]')
    await page.locator('[role=alert]', { hasText: 'Die beiden Passwörter stimmen nicht überein.' }).waitFor()
    await shot(page, 'i18n-accept-invitation-de.png')
  } finally { await context.close() }
})

test('settings pages in German: contact attributes, email, invitations', async () => {
  const { context, page } = await openApp(browser, t, { token: t.ownerToken, locale: 'de-DE' })
  try {
    await page.goto(`${t.url}/settings/attributes`)
    await page.fill('[data-testid=attribute-key]', 'tarif')
    await page.fill('[data-testid=attribute-label]', 'Tarif')
    await page.selectOption('[data-testid=attribute-type]', 'boolean')
    await page.click('button:has-text("Attribut hinzufügen")')
    await page.locator('[role=status]', { hasText: 'Attribut hinzugefügt.' }).waitFor()
    await page.locator('li', { hasText: 'Ja / Nein' }).filter({ hasText: 'tarif' }).waitFor()
    await shot(page, 'i18n-attributes-de.png')

    await page.goto(`${t.url}/settings/email`)
    await page.locator('[data-testid=email-status]', { hasText: 'Dieser Server versendet keine E-Mails' }).waitFor()
    assert.match(await page.locator('[data-testid=email-log]').innerText(), /Wann\s+Was\s+An\s+Status/)

    await page.goto(`${t.url}/settings/agents`)
    await page.fill('input[name=inviteEmail]', 'lena@example.com')
    await page.click('text=Einladung senden')
    await page.locator('[role=status]', { hasText: 'Dieser Server versendet keine E-Mails: Geben Sie lena@example.com den Link unten.' }).waitFor()
    await page.locator('[data-testid=invitations] td', { hasText: /^bis / }).first().waitFor()
    await page.locator('[data-testid=invitations] button', { hasText: 'Widerrufen' }).first().waitFor()
    await shot(page, 'i18n-agents-de.png')
  } finally { await context.close() }
})

test.run()
