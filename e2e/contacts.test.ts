/**
 * The Contacts page in a real browser (issue 13): search, open a profile, edit an attribute and
 * see it beside the conversation, merge two records of one person (choosing what to keep where
 * they disagree) and see one history with the earlier conversation readable inline, then the list
 * offline from what the device has seen.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { api, startTestServer, type TestServer } from '../server/test-kit.ts'
import { buildBrowserParts, launchBrowser } from './browser.ts'
import { customerWrites, disableAi, openApp, shot } from './agent-app-kit.ts'

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

test('contacts page: search, profile, attribute on the conversation, merge, offline list', async () => {
  const first = await customerWrites(t, 'Marta Kowalska', 'My order 1182 never arrived')
  const second = await customerWrites(t, 'M. Kowalska', 'Following up on my parcel from last week')
  await api(t.url, 'PATCH', `/api/contacts/${second.contactId}`, { email: 'marta@example.com', phone: '+48 601 234 567' }, t.ownerToken)
  for (const name of ['Jon Snow', 'Arya Stark', 'Tyrion Lannister']) await customerWrites(t, name, `hello from ${name}`)

  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  try {
    // An admin defines the attribute in Settings.
    await page.goto(`${t.url}/settings/attributes`)
    await page.fill('[data-testid=attribute-key]', 'plan')
    await page.fill('[data-testid=attribute-label]', 'Plan')
    await page.selectOption('[data-testid=attribute-type]', 'list')
    await page.fill('[data-testid=attribute-options]', 'free, pro, enterprise')
    await page.click('button:has-text("Add attribute")')
    await page.locator('[role=status]').filter({ hasText: 'Attribute added.' }).waitFor()
    await page.locator('li:has-text("List of options")').filter({ hasText: 'free, pro, enterprise' }).waitFor()
    await shot(page, 'contacts-attribute-settings.png')
    const defined = await api(t.url, 'GET', '/api/contact-attributes', undefined, t.ownerToken)
    assert.equal(defined.body.items.map((d: { key: string; options: string[] }) => [d.key, d.options]), [['plan', ['free', 'pro', 'enterprise']]])

    await page.click('[data-testid=nav-contacts]:visible')
    await page.locator('[data-testid=contact-row]').first().waitFor()
    assert.is(await page.locator('[data-testid=contact-row]').count(), 5)
    await page.fill('[data-testid=contacts-q]', 'kowalska')
    await page.press('[data-testid=contacts-q]', 'Enter')
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=contact-row]').length === 2)
    const names = await page.locator('[data-testid=contact-name]').allInnerTexts()
    assert.equal(names.sort(), ['M. Kowalska', 'Marta Kowalska'])
    await shot(page, 'contacts-search.png')

    // Open Marta's profile, set her plan.
    await page.click('[data-testid=contact-row]:has-text("Marta Kowalska")')
    await page.locator('[data-testid=profile-name]').filter({ hasText: 'Marta Kowalska' }).waitFor()
    await page.selectOption('[data-testid=attr-plan]', 'pro')
    await page.click('[data-testid=contact-save]')
    await page.locator('[role=status], [role=alert]').filter({ hasText: /./ }).first().waitFor()
    await shot(page, 'contacts-profile-saved.png')
    assert.is(await page.locator('[role=alert]').count(), 0, await page.locator('[role=alert]').allInnerTexts().then((t) => t.join()))
    await page.locator('[role=status]').filter({ hasText: 'Saved.' }).waitFor()
    assert.is((await api(t.url, 'GET', `/api/contacts/${first.contactId}`, undefined, t.ownerToken)).body.attributes.plan, 'pro')
    await shot(page, 'contacts-profile.png')

    // Her conversation shows it in the customer panel.
    await page.click('[data-testid=history-row]')
    await page.locator('[data-testid=panel-attr-plan]').filter({ hasText: 'pro' }).waitFor({ timeout: 30000 })
    assert.match(await page.locator('[data-testid=panel-attr-plan]').innerText(), /Plan\s+pro/)
    await shot(page, 'contacts-conversation-attribute.png')

    // Back to the profile: merge the other record in, keeping her full name but the other's … nothing else disagrees.
    await page.click('[data-testid=open-profile]')
    await page.locator('[data-testid=profile-name]').filter({ hasText: 'Marta Kowalska' }).waitFor()
    await page.fill('[data-testid=merge-q]', 'kowalska')
    await page.click('[data-testid=merge-panel] button:has-text("Find")')
    await page.click('[data-testid=merge-candidate]:has-text("M. Kowalska")')
    await page.locator('[data-testid=conflict-name]').waitFor()
    assert.match(await page.locator('[data-testid=merge-preview]').innerText(), /disagree on one field/)
    await shot(page, 'contacts-merge-preview.png')
    await page.click('[data-testid=merge-confirm]')
    await page.locator('[data-testid=merge-status]').filter({ hasText: 'Merged M. Kowalska: 1 conversation moved here.' }).waitFor()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=history-row]').length === 2)
    assert.is(await page.inputValue('[data-testid=field-email]'), 'marta@example.com', 'the field only the other had is kept')
    assert.is(await page.inputValue('[data-testid=field-name]'), 'Marta Kowalska', 'the kept side of the conflict')
    // The list (all five, opened from the conversation) loses the merged-away record.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=contact-row]').length === 4)
    assert.not.ok((await page.locator('[data-testid=contact-name]').allInnerTexts()).includes('M. Kowalska'))
    await shot(page, 'contacts-merged.png')

    // The other conversation now belongs to her: its panel names her and shows the earlier one inline.
    await page.goto(`${t.url}/inbox/open/${encodeURIComponent(second.conversationId)}`)
    await page.locator('[data-testid=panel-contact-name]').filter({ hasText: 'Marta Kowalska' }).waitFor({ timeout: 30000 })
    await page.locator('[data-testid=earlier-conversation]').waitFor()
    await page.click('[data-testid=earlier-toggle]')
    await page.locator('[data-testid=earlier-messages]').filter({ hasText: 'My order 1182 never arrived' }).waitFor()
    await shot(page, 'contacts-earlier-inline.png')
    // The inbox row names her too.
    const row = await t.server.services.db.kysely.selectFrom('conversations').select('contact_id').where('id', '=', second.conversationId).executeTakeFirst()
    assert.is(row?.contact_id, first.contactId)

    // Offline: the list is what this device has seen, searched here.
    await page.click('[data-testid=nav-contacts]:visible')
    await page.locator('[data-testid=contact-row]').first().waitFor()
    await context.setOffline(true)
    await page.fill('[data-testid=contacts-q]', 'stark')
    await page.press('[data-testid=contacts-q]', 'Enter')
    await page.locator('[data-testid=contacts-offline]').waitFor()
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=contact-name]')].map((e) => e.textContent).join() === 'Arya Stark')
    await shot(page, 'contacts-offline.png')
    await context.setOffline(false)
  } finally {
    await context.close()
  }
})

test.run()
