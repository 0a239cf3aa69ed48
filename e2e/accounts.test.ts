/**
 * Accounts in the browser (issue 15): the owner invites an agent by email, the agent accepts
 * the emailed link in a second browser context and lands in the inbox; workspaces are created
 * and switched in the app, each with its own data and its own copy on the device.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { api, startTestServer, waitFor, type TestServer } from '../server/test-kit.ts'
import { startTestSmtp, type TestSmtp } from '../server/email/test-smtp.ts'
import { buildBrowserParts, launchBrowser } from './browser.ts'
import { customerWrites, disableAi, openApp, shot, waitForConnection, DESKTOP } from './agent-app-kit.ts'

let t: TestServer
let smtp: TestSmtp
let browser: Browser

test.before(async () => {
  buildBrowserParts()
  smtp = await startTestSmtp()
  t = await startTestServer({ env: { SMTP_URL: smtp.url, EMAIL_FROM: 'Parley <parley@example.com>', EMAIL_ATTEMPTS: '2', EMAIL_BACKOFF_MS: '200' } })
  await disableAi(t)
  browser = await launchBrowser()
})

test.after(async () => {
  await browser?.close()
  await t?.close()
  await smtp?.close()
})

const linkFrom = (text: string) => /(http:\/\/\S+\/accept-invitation\?token=\S+)/.exec(text)?.[1] ?? ''

test('invite an agent by email, accept in a second browser, switch workspace', async () => {
  const customer = await customerWrites(t, 'Wanda Waiting', 'Where is my order?')
  const owner = await openApp(browser, t, { token: t.ownerToken })
  const nina = await browser.newContext({ viewport: DESKTOP, serviceWorkers: 'allow' })
  try {
    const page = owner.page
    await page.goto(`${t.url}/settings/agents`)
    await page.fill('input[name=inviteEmail]', 'nina@example.com')
    await page.selectOption('select[name=inviteRole]', 'agent')
    await page.click('text=Send invitation')
    await page.locator('[role=status]', { hasText: 'Invitation emailed to nina@example.com' }).waitFor()
    await page.locator('[data-testid=invitations] td', { hasText: 'nina@example.com' }).waitFor()
    await shot(page, 'accounts-invited.png')

    const mail = await waitFor(() => smtp.received.find((m) => JSON.stringify(m.to).includes('nina@example.com')), 20000, 'the invitation email')
    const link = linkFrom(mail.text ?? '')
    assert.ok(link, 'the email has the link')

    // The invitee, in a browser of their own.
    const invitee = await nina.newPage()
    invitee.on('pageerror', (error) => console.error('[page error]', error.message))
    await invitee.goto(link)
    await invitee.locator('[data-testid=accept-invitation]', { hasText: 'invited you to My workspace as agent' }).waitFor()
    await invitee.fill('#name', 'Nina Newcomer')
    await invitee.fill('#password', 'ninas long password')
    await invitee.fill('#confirm', 'ninas long password')
    await shot(invitee, 'accounts-accept.png')
    await invitee.click('text=Accept the invitation')
    await waitForConnection(invitee, 'online')
    await invitee.goto(`${t.url}/inbox/waiting`)
    await invitee.locator('[data-testid=inbox-row]', { hasText: 'Wanda Waiting' }).first().waitFor()
    await shot(invitee, 'accounts-accepted-inbox.png')
    // The link worked once.
    const again = await nina.newPage()
    await again.goto(link)
    await again.locator('[role=alert]', { hasText: 'used already' }).waitFor()
    await again.close()
    await page.goto(`${t.url}/settings/agents`)
    await page.locator('td', { hasText: 'nina@example.com' }).first().waitFor()
    assert.is(await page.locator('[data-testid=invitations]').count(), 0, 'no invitation pending any more')

    // The owner creates a second workspace from the switcher and is taken into it.
    page.once('dialog', (dialog) => void dialog.accept('Second desk'))
    await page.goto(`${t.url}/inbox/waiting`)
    await page.locator('[data-testid=workspace-switcher]').waitFor()
    await page.selectOption('[data-testid=workspace-switcher]', '+new')
    await page.waitForURL(/\/inbox$/)
    await waitForConnection(page, 'online')
    await page.locator('[data-testid=workspace-switcher] option:checked', { hasText: 'Second desk' }).waitFor({ state: 'attached' })
    await page.goto(`${t.url}/inbox/waiting`)
    await waitForConnection(page, 'online')
    assert.is(await page.locator('[data-testid=inbox-row]').count(), 0, 'the new workspace has no conversations')
    await shot(page, 'accounts-second-workspace.png')
    const session = await page.evaluate(() => JSON.parse(localStorage.getItem('parley:session') ?? '{}') as { token: string; agent: { id: string }; workspace: { id: string; name: string } })
    assert.is(session.workspace.name, 'Second desk')

    // Nina is invited there too; her existing account gains it, and she switches in the app.
    const invited = await api(t.url, 'POST', '/api/invitations', { email: 'nina@example.com', role: 'viewer' }, session.token)
    assert.is(invited.status, 201)
    const second = await waitFor(() => smtp.received.filter((m) => JSON.stringify(m.to).includes('nina@example.com'))[1], 20000, 'the second invitation')
    const secondPage = await nina.newPage()
    await secondPage.goto(linkFrom(second.text ?? ''))
    await secondPage.locator('[data-testid=accept-invitation]', { hasText: 'You have a Parley account already' }).waitFor()
    await secondPage.click('text=Accept the invitation')
    await waitForConnection(secondPage, 'online')
    await secondPage.locator('[data-testid=workspace-switcher] option:checked', { hasText: 'Second desk' }).waitFor({ state: 'attached' })
    await shot(secondPage, 'accounts-nina-second-desk.png')
    // …and back to the first, where the waiting conversation is, from her device's copy and the server.
    await secondPage.selectOption('[data-testid=workspace-switcher]', { label: 'My workspace' })
    // The page is at /inbox already: wait for the switch itself (the app reloads into the other workspace).
    await secondPage.locator('[data-testid=workspace-switcher] option:checked', { hasText: 'My workspace' }).waitFor({ state: 'attached' })
    await waitForConnection(secondPage, 'online')
    await secondPage.goto(`${t.url}/inbox/waiting`)
    await secondPage.locator('[data-testid=inbox-row]', { hasText: 'Wanda Waiting' }).first().waitFor({ timeout: 30000 }).catch(async (e) => {
      await shot(secondPage, 'accounts-nina-back-failed.png')
      console.error('the inbox did not show the conversation:', await secondPage.evaluate(() => ({ url: location.href, ls: Object.entries(localStorage).filter(([k]) => k.startsWith('parley:')).map(([k, v]) => `${k}=${v.slice(0, 120)}`) })))
      throw e
    })
    await shot(secondPage, 'accounts-nina-back.png')
    const stores = await secondPage.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('parley:')))
    // One inbox copy per workspace: the first workspace under the account's own prefix (as before workspaces), the other under its id.
    const inboxes = stores.filter((n) => n.includes(':inbox:'))
    assert.is(inboxes.length, 2, `a local copy per workspace: ${stores.join(', ')}`)
    assert.equal(inboxes.map((n) => n.split(':').length).sort(), [4, 5])
    void customer
  } finally {
    await owner.context.close()
    await nina.close()
  }
})

test('open sign-up with email: the form sends a link, the link\'s page chooses the password and opens the new desk', async () => {
  const open = await startTestServer({ env: { PARLEY_SIGNUP: 'open', SMTP_URL: smtp.url, EMAIL_FROM: 'Parley <parley@example.com>' } })
  const context = await browser.newContext({ viewport: DESKTOP, serviceWorkers: 'allow' })
  try {
    const page = await context.newPage()
    page.on('pageerror', (error) => console.error('[page error]', error.message))
    await page.goto(`${open.url}/sign-up`)
    await page.locator('[data-testid=sign-up]', { hasText: 'We email you a link to confirm your address' }).waitFor()
    assert.is(await page.locator('#password').count(), 0, 'no password before the address is confirmed')
    await page.fill('#workspaceName', 'Quokka Co')
    await page.fill('#name', 'Quinn Quokka')
    await page.fill('#email', 'quinn@example.com')
    await shot(page, 'accounts-sign-up.png')
    await page.click('text=Email me the link')
    await page.locator('[data-testid=sign-up-sent]', { hasText: 'we sent a link to quinn@example.com' }).waitFor()
    await shot(page, 'accounts-sign-up-sent.png')
    const mail = await waitFor(() => smtp.received.find((m) => JSON.stringify(m.to).includes('quinn@example.com')), 20000, 'the sign-up email')
    const link = /(http:\/\/\S+\/verify-sign-up\?token=\S+)/.exec(mail.text ?? '')?.[1] ?? ''
    assert.ok(link, 'the email has the link')
    await page.goto(link)
    await page.locator('[data-testid=verify-sign-up]', { hasText: 'Create Quokka Co as quinn@example.com' }).waitFor()
    await page.fill('#password', 'quinns long password')
    await page.fill('#confirm', 'quinns long password')
    await shot(page, 'accounts-sign-up-verify.png')
    await page.click('text=Create the workspace')
    await waitForConnection(page, 'online')
    await page.locator('[data-testid=workspace-switcher] option:checked', { hasText: 'Quokka Co' }).waitFor({ state: 'attached' })
    await shot(page, 'accounts-sign-up-done.png')
    // The link worked once.
    await page.goto(link)
    await page.locator('[role=alert]', { hasText: 'used already' }).waitFor()
  } finally {
    await context.close()
    await open.close()
  }
})

test('the agent emails a reply to a gone visitor, sees the SMTP outage fail it, and sends it again; signs out other devices', async () => {
  const customer = await customerWrites(t, 'Gina Gone', 'Please email me the answer')
  assert.is((await api(t.url, 'POST', `/api/widget/conversations/${customer.conversationId}/contact`, { email: 'gina@customer.test' }, customer.visitorToken)).status, 200)
  // (The first test switched the owner's first session to another workspace, which ended it.)
  const signIn = async () => (await api(t.url, 'POST', '/api/auth/sign-in', { email: 'owner@example.com', password: 'correct horse battery' })).body.token as string
  const mine = await signIn()
  const other = await signIn()
  const { context, page } = await openApp(browser, t, { token: mine })
  try {
    await page.goto(`${t.url}/inbox/waiting/${customer.conversationId}`)
    await page.locator('#reply-box:not([readonly])').waitFor()
    await page.fill('#reply-box', 'Your parcel left today.')
    await page.keyboard.press('Enter')
    await page.locator('[data-testid=delivery]', { hasText: 'Sent' }).waitFor()
    await smtp.stop()
    const panel = page.locator('[data-testid=email-panel]')
    await panel.locator('button', { hasText: 'Email the last reply to gina@customer.test' }).click()
    await waitFor(async () => (await api(t.url, 'GET', `/api/email/deliveries?conversation=${customer.conversationId}`, undefined, mine)).body.items[0]?.status === 'failed', 30000, 'the delivery failed')
    await page.reload()
    await panel.locator('li[data-status=failed]', { hasText: 'ECONNREFUSED' }).waitFor()
    await shot(page, 'accounts-email-failed.png')
    await smtp.start()
    await panel.locator('button', { hasText: 'Send again' }).click()
    await waitFor(() => smtp.received.find((m) => JSON.stringify(m.to).includes('gina@customer.test')), 30000, 'the reply email')
    await page.reload()
    await panel.locator('li[data-status=sent]').waitFor()
    await panel.locator('button', { hasText: 'Last reply emailed' }).waitFor()

    await page.goto(`${t.url}/settings/email`)
    await page.locator('[data-testid=email-log] td', { hasText: 'gina@customer.test' }).waitFor()
    await shot(page, 'accounts-email-log.png')

    await page.goto(`${t.url}/account`)
    await page.locator('[data-testid=sessions] li', { hasText: '(this device)' }).waitFor()
    await page.click('text=Sign out other devices')
    await page.locator('[role=status]', { hasText: 'other session' }).waitFor()
    assert.is((await api(t.url, 'GET', '/api/auth/me', undefined, other)).status, 401)
    assert.is(await page.locator('[data-testid=sessions] li').count(), 1)
    await shot(page, 'accounts-account.png')
  } finally { await context.close() }
})

test.run()
