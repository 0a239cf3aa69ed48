/**
 * Routing in real browsers, the parts around assignment (issue 12): teams and inboxes made,
 * changed and deleted through Settings (a bad input shows the server's own error); the widget's
 * "nobody is available" and "A person usually answers in N min" lines; the Transfer form, to a
 * team with a note (the widget's place becomes the place in that team's queue) and to an agent
 * (the customer reads "You are now talking with <name>").
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { api, startTestServer, waitFor, type TestServer } from '../server/test-kit.ts'
import { customerWrites, disableAi, openApp, serverConversation, shot } from './agent-app-kit.ts'
import { buildBrowserParts, launchBrowser } from './browser.ts'

let t: TestServer
let browser: Browser
/** The routing clock runs this far ahead of the wall clock (a conversation "waits" minutes in no time). */
let ahead = 0

test.before(async () => {
  buildBrowserParts()
  t = await startTestServer({ start: { routingIntervalMs: 1000, clock: { now: () => Date.now() + ahead } } })
  await disableAi(t)
  browser = await launchBrowser()
})

test.after(async () => {
  await browser?.close()
  await t?.close()
})

const get = async (path: string) => (await api(t.url, 'GET', path, undefined, t.ownerToken)).body

test('teams and inboxes through Settings: add, change, delete; a bad input shows the server\'s error and changes nothing', async () => {
  const ann = await api(t.url, 'POST', '/api/agents', { email: 'ann.settings@example.com', name: 'Ann Able', role: 'agent', password: 'another good password' }, t.ownerToken)
  assert.is(ann.status, 201, JSON.stringify(ann.body))
  const { context, page } = await openApp(browser, t, { token: t.ownerToken })
  page.on('dialog', (dialog) => void dialog.accept())
  try {
    await page.goto(`${t.url}/settings/teams`)
    const add = page.locator('form[aria-label="New team"]')
    await add.locator('[data-testid=team-name]').fill('Billing')
    await add.locator('[data-testid=team-categories]').fill('Billing, refunds')
    await add.locator('[data-testid="member-Ann Able"]').check()
    await add.locator('[data-testid=team-add]').click()
    await page.getByRole('status').filter({ hasText: 'Team added.' }).waitFor()
    const team = (await get('/api/teams')).items.find((x: { name: string }) => x.name === 'Billing')
    assert.ok(team, 'the team exists on the server')
    assert.equal(team.members, [ann.body.id])
    assert.equal(team.categories, ['billing', 'refunds'])

    // The same name again: the server's 409 is shown as it said it, and no second team appears.
    await add.locator('[data-testid=team-name]').fill('Billing')
    await add.locator('[data-testid=team-add]').click()
    await page.getByRole('alert').filter({ hasText: 'a team with this name already exists' }).waitFor()
    await shot(page, 'routing-settings-team-error.png')
    assert.is((await get('/api/teams')).items.length, 1)

    // Renamed in its own form.
    const edit = page.locator('form[aria-label="Team Billing"]')
    await edit.locator('[data-testid=team-name]').fill('Billing and refunds')
    await edit.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('status').filter({ hasText: 'Billing saved.' }).waitFor()
    assert.is((await get('/api/teams')).items[0].name, 'Billing and refunds')

    // Inboxes: one routing to the team, round-robin, with a first-response target.
    await page.goto(`${t.url}/settings/inboxes`)
    const newInbox = page.locator('form[aria-label="New inbox"]')
    await newInbox.locator('[data-testid=inbox-name]').fill('Website')
    await newInbox.locator('[data-testid=inbox-team]').selectOption({ label: 'Billing and refunds' })
    await newInbox.locator('[data-testid=inbox-policy]').selectOption('round-robin')
    await newInbox.locator('[data-testid=inbox-frt]').fill('10')
    await newInbox.getByRole('button', { name: 'Add inbox' }).click()
    await page.getByRole('status').filter({ hasText: 'Inbox added.' }).waitFor()
    const website = (await get('/api/inboxes')).items.find((i: { name: string }) => i.name === 'Website')
    assert.equal([website.teamId, website.policy, website.firstResponseMinutes], [team.id, 'round-robin', 10])

    // A resolution target the browser lets through but the server refuses: its message, naming the field.
    await newInbox.locator('[data-testid=inbox-name]').fill('Too slow')
    await newInbox.locator('input[name=resolutionMinutes]').fill('100000')
    await newInbox.getByRole('button', { name: 'Add inbox' }).click()
    const refused = await api(t.url, 'POST', '/api/inboxes', { name: 'Too slow', resolutionMinutes: 100000 }, t.ownerToken)
    assert.is(refused.status, 400)
    assert.is(refused.body.error.field, 'resolutionMinutes')
    await page.getByRole('alert').filter({ hasText: refused.body.error.message }).waitFor()
    await shot(page, 'routing-settings-inbox-error.png')
    assert.not.ok((await get('/api/inboxes')).items.some((i: { name: string }) => i.name === 'Too slow'))

    // Changed in its form: least-loaded now; then a second inbox is added and deleted.
    await newInbox.locator('[data-testid=inbox-name]').fill('Phone')
    await newInbox.locator('input[name=resolutionMinutes]').fill('')
    await newInbox.getByRole('button', { name: 'Add inbox' }).click()
    await page.getByRole('status').filter({ hasText: 'Inbox added.' }).waitFor()
    const websiteForm = page.locator('form[aria-label="Inbox Website"]')
    await websiteForm.locator('[data-testid=inbox-policy]').selectOption('least-loaded')
    await websiteForm.locator('[data-testid=inbox-save]').click()
    await page.getByRole('status').filter({ hasText: 'Website saved.' }).waitFor()
    assert.is((await get('/api/inboxes')).items.find((i: { name: string }) => i.name === 'Website').policy, 'least-loaded')
    const phone = page.locator('form[aria-label="Inbox Phone"]')
    await phone.getByRole('button', { name: 'Delete' }).click()
    await page.getByRole('status').filter({ hasText: 'Inbox deleted.' }).waitFor()
    await phone.waitFor({ state: 'detached' })
    assert.not.ok((await get('/api/inboxes')).items.some((i: { name: string }) => i.name === 'Phone'))
    await shot(page, 'routing-settings-inboxes.png')

    // The team is deleted from its page; its inbox routes to everyone.
    await page.goto(`${t.url}/settings/teams`)
    await page.locator('form[aria-label="Team Billing and refunds"]').getByRole('button', { name: 'Delete' }).click()
    await page.getByRole('status').filter({ hasText: 'Team deleted.' }).waitFor()
    assert.equal((await get('/api/teams')).items, [])
    assert.is((await get('/api/inboxes')).items.find((i: { name: string }) => i.name === 'Website').teamId, null)
  } finally {
    await context.close()
  }
})

test('the widget says who can answer; a transfer to a team gives its own queue place, to an agent "You are now talking with"', async () => {
  // A clean routing: one manual inbox for the widget, routing to Front; a Back team beside it.
  for (const inbox of (await get('/api/inboxes')).items) await api(t.url, 'PATCH', `/api/inboxes/${inbox.id}`, { policy: 'manual', teamId: null }, t.ownerToken)
  const me = (await get('/api/auth/me')).agent
  const ben = await api(t.url, 'POST', '/api/agents', { email: 'ben.transfer@example.com', name: 'Ben Baker', role: 'agent', password: 'another good password' }, t.ownerToken)
  const front = (await api(t.url, 'POST', '/api/teams', { name: 'Front', members: [me.id] }, t.ownerToken)).body
  const back = (await api(t.url, 'POST', '/api/teams', { name: 'Back', members: [ben.body.id] }, t.ownerToken)).body
  const widgetId = (await get('/api/widgets')).items[0].id
  const inbox = await api(t.url, 'POST', '/api/inboxes', { name: 'Front desk', teamId: front.id, policy: 'manual', widgetIds: [widgetId], isDefault: true }, t.ownerToken)
  assert.is(inbox.status, 201, JSON.stringify(inbox.body))

  const customer = await browser.newContext({ viewport: { width: 420, height: 760 } })
  try {
    // Nobody is online: the widget says so before anyone writes.
    const widget = await customer.newPage()
    await widget.goto(`${t.url}/demo`)
    await widget.locator('parley-widget .launcher').click()
    await widget.locator('parley-widget .notice', { hasText: 'Nobody is available right now.' }).waitFor({ timeout: 20000 })
    await shot(widget, 'routing-widget-nobody.png')

    // Last week's answers took 4 minutes (the routing clock moves on while one waits); the owner comes online.
    const earlier = await customerWrites(t, 'Earlier Customer', 'Hello from before')
    await waitFor(async () => (await get(`/api/conversations/${earlier.conversationId}/routing`)).queuedAt !== null, 20000, 'the earlier one queued')
    ahead = 4 * 60_000
    assert.is((await api(t.url, 'POST', `/api/conversations/${earlier.conversationId}/take`, {}, t.ownerToken)).body.taken, true)
    const app = await openApp(browser, t, { token: t.ownerToken })
    await waitFor(async () => (await api(t.url, 'GET', `/api/public/widgets/${t.siteKey}/availability`)).body.agentsOnline === true, 20000, 'the owner online')
    await widget.reload()
    if (!(await widget.locator('parley-widget textarea[aria-label="Message"]').isVisible())) await widget.locator('parley-widget .launcher').click()
    await widget.locator('parley-widget .notice', { hasText: 'A person usually answers in 4 min.' }).waitFor({ timeout: 20000 })
    await shot(widget, 'routing-widget-usually.png')

    // Two wait in Front's queue; the widget's customer is third there.
    const one = await customerWrites(t, 'First Waiting', 'One')
    const two = await customerWrites(t, 'Second Waiting', 'Two')
    for (const c of [one, two]) await waitFor(async () => (await get(`/api/conversations/${c.conversationId}/routing`)).teamId === front.id, 20000, 'queued in Front')
    const input = widget.locator('parley-widget textarea[aria-label="Message"]')
    await input.fill('My parcel went to the wrong address')
    await input.press('Enter')
    await widget.locator('parley-widget .notice', { hasText: 'You are number 3 in the queue.' }).waitFor({ timeout: 20000 })
    const { id } = await waitFor(async () => t.server.services.db.kysely.selectFrom('conversations').select('id').where('preview', 'like', '%wrong address%').executeTakeFirst(), 20000, 'the widget\'s conversation')

    // The owner transfers it to Back with a note: first (and only) in Back's queue.
    await app.page.goto(`${t.url}/inbox/waiting/${id}`)
    await app.page.locator('[data-testid=transfer]').click()
    await app.page.locator('[data-testid=transfer-target]').selectOption(`team:${back.id}`)
    await app.page.locator('[data-testid=transfer-note]').fill('Address change: the warehouse handles it')
    await shot(app.page, 'routing-transfer-form.png')
    await app.page.locator('[data-testid=transfer-submit]').click()
    await widget.locator('parley-widget .notice', { hasText: 'You are number 1 in the queue.' }).waitFor({ timeout: 20000 })
    await shot(widget, 'routing-widget-team-queue.png')
    assert.is((await get(`/api/conversations/${id}/routing`)).teamId, back.id)
    await app.page.locator('[data-testid=event]', { hasText: `${me.name} transferred the conversation to Back` }).waitFor({ timeout: 20000 })
    await app.page.getByText('Address change: the warehouse handles it').first().waitFor({ timeout: 20000 })
    const seen = await serverConversation(t, id)
    assert.not.ok(seen.messages.some((m) => m.text.includes('warehouse')), 'the note stays with the team')

    // Then to Ben himself: the customer reads who they are talking with now.
    await app.page.locator('[data-testid=transfer]').click()
    await app.page.locator('[data-testid=transfer-target]').selectOption(`agent:${ben.body.id}`)
    await app.page.locator('[data-testid=transfer-submit]').click()
    await widget.locator('parley-widget .msg.event', { hasText: 'You are now talking with Ben Baker' }).waitFor({ timeout: 20000 })
    await shot(widget, 'routing-widget-now-talking.png')
    assert.is((await get(`/api/conversations/${id}/routing`)).assignee, ben.body.id)
    await app.page.locator('[data-testid=event]', { hasText: `${me.name} transferred the conversation to Ben Baker` }).waitFor({ timeout: 20000 })
    await shot(app.page, 'routing-transfer-done.png')
    await app.context.close()
  } finally {
    await customer.close()
  }
})

test.run()
