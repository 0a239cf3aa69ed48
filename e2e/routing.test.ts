/**
 * Routing in real browsers (issue 12): two agents of one team online in the agent app, a
 * round-robin inbox with capacity 2, conversations escalating one after another (one from the
 * real widget on the demo page); each agent gets what the policy says, the customer sees who
 * joined, and an agent who goes Away stops receiving until they are back.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser, Page } from 'playwright-core'
import { api, startTestServer, waitFor, type TestServer } from '../server/test-kit.ts'
import { customerWrites, disableAi, openApp, shot } from './agent-app-kit.ts'
import { buildBrowserParts, launchBrowser } from './browser.ts'

let t: TestServer
let browser: Browser

test.before(async () => {
  buildBrowserParts()
  t = await startTestServer({ start: { routingIntervalMs: 1000 } })
  await disableAi(t)
  browser = await launchBrowser()
})

test.after(async () => {
  await browser?.close()
  await t?.close()
})

const assigneeOf = async (id: string) => (await api(t.url, 'GET', `/api/conversations/${id}/routing`, undefined, t.ownerToken)).body.assignee as string | null
const mineCount = (page: Page) => page.locator('[data-testid=view-mine] [aria-label*=" conversation"]').innerText()

test('two agents in one team: round-robin within capacity, the customer sees who joined, Away stops new work', async () => {
  const make = async (name: string, email: string) => {
    const created = await api(t.url, 'POST', '/api/agents', { email, name, role: 'agent', password: 'another good password' }, t.ownerToken)
    assert.is(created.status, 201, JSON.stringify(created.body))
    await api(t.url, 'PUT', `/api/agents/${created.body.id}/capacity`, { capacity: 2 }, t.ownerToken)
    return { id: created.body.id as string, name, email }
  }
  const ann = await make('Ann Able', 'ann@example.com')
  const ben = await make('Ben Baker', 'ben@example.com')
  const team = (await api(t.url, 'POST', '/api/teams', { name: 'Support', members: [ann.id, ben.id] }, t.ownerToken)).body
  const widgetId = (await api(t.url, 'GET', '/api/widgets', undefined, t.ownerToken)).body.items[0].id
  const inbox = await api(t.url, 'POST', '/api/inboxes', { name: 'Website', teamId: team.id, policy: 'round-robin', firstResponseMinutes: 10, widgetIds: [widgetId], isDefault: true }, t.ownerToken)
  assert.is(inbox.status, 201, JSON.stringify(inbox.body))

  const a = await openApp(browser, t, { email: ann.email, password: 'another good password' })
  const b = await openApp(browser, t, { email: ben.email, password: 'another good password' })
  const customer = await browser.newContext({ viewport: { width: 420, height: 760 } })
  try {
    for (const { page } of [a, b]) await page.locator('[data-testid=availability]').waitFor()
    // Each sees the other online.
    await a.page.locator('[data-testid=teammate][data-availability=online]', { hasText: 'Ben Baker' }).waitFor({ timeout: 20000 })
    await b.page.locator('[data-testid=teammate][data-availability=online]', { hasText: 'Ann Able' }).waitFor({ timeout: 20000 })

    // The first customer writes from the real widget on the demo page.
    const widget = await customer.newPage()
    await widget.goto(`${t.url}/demo`)
    await widget.locator('parley-widget .launcher').click()
    const input = widget.locator('parley-widget textarea[aria-label="Message"]')
    await input.fill('Hi, my order never arrived')
    await input.press('Enter')
    // Round-robin starts with Ann; the customer sees her join.
    await widget.locator('parley-widget .msg.event', { hasText: 'Ann Able joined the conversation' }).waitFor({ timeout: 20000 })
    await shot(widget, 'routing-widget-joined.png')
    const second = await customerWrites(t, 'Second Customer', 'Where is my refund?')
    await waitFor(async () => (await assigneeOf(second.conversationId)) === ben.id, 20000, 'the second to Ben')
    const third = await customerWrites(t, 'Third Customer', 'Can I change my plan?')
    await waitFor(async () => (await assigneeOf(third.conversationId)) === ann.id, 20000, 'the third to Ann (her turn again)')
    await waitFor(async () => (await mineCount(a.page)) === '2', 20000, 'Ann\'s Mine view to show two')
    await waitFor(async () => (await mineCount(b.page)) === '1', 20000, 'Ben\'s Mine view to show one')

    // Ben opens his conversation: the joined event, the queue and the SLA are shown.
    await b.page.goto(`${t.url}/inbox/mine/${second.conversationId}`)
    await b.page.locator('[data-testid=event]', { hasText: 'Ben Baker joined the conversation' }).waitFor()
    await b.page.locator('[data-testid=event]', { hasText: 'Assigned to Ben Baker by round-robin (Support)' }).waitFor()
    await b.page.locator('[data-testid=routing]', { hasText: 'Queue: Support' }).waitFor({ timeout: 20000 })
    await b.page.locator('[data-testid=routing] [data-testid=sla]', { hasText: /First response: \d+ min left/ }).waitFor({ timeout: 20000 })
    await shot(b.page, 'routing-ben-conversation.png')

    // Ann goes Away from the sidebar; Ben sees it; the next conversation goes to Ben although it would be Ann's turn.
    await a.page.selectOption('[data-testid=availability]', 'away')
    await b.page.locator('[data-testid=teammate][data-availability=away]', { hasText: 'Ann Able' }).waitFor({ timeout: 20000 })
    const fourth = await customerWrites(t, 'Fourth Customer', 'Is there a discount?')
    await waitFor(async () => (await assigneeOf(fourth.conversationId)) === ben.id, 20000, 'the fourth to Ben, Ann being away')
    // Ben is now full and Ann away: the fifth waits in the Support queue.
    const fifth = await customerWrites(t, 'Fifth Customer', 'Hello?')
    await b.page.locator('[data-testid=view-team-Support]').click()
    await b.page.locator(`[data-testid=inbox-row][data-id="${fifth.conversationId}"]`).waitFor({ timeout: 20000 })
    await t.server.services.routing.pass()
    assert.is(await assigneeOf(fifth.conversationId), null, 'nobody free: it waits')
    assert.is(await mineCount(a.page), '2', 'Ann received nothing while away')
    await shot(a.page, 'routing-ann-away.png')
    await shot(b.page, 'routing-ben-team-queue.png')

    // Ann comes back (still full: it keeps waiting), resolves one, and pulls the waiting one at once.
    await a.page.selectOption('[data-testid=availability]', 'online')
    await b.page.locator('[data-testid=teammate][data-availability=online]', { hasText: 'Ann Able' }).waitFor({ timeout: 20000 })
    await t.server.services.routing.pass()
    assert.is(await assigneeOf(fifth.conversationId), null, 'Ann is at capacity')
    await a.page.goto(`${t.url}/inbox/mine/${third.conversationId}`)
    await a.page.locator('[data-testid=resolve]').click()
    await waitFor(async () => (await assigneeOf(fifth.conversationId)) === ann.id, 20000, 'Ann pulling the fifth after resolving')
    await a.page.goto(`${t.url}/inbox/mine/${fifth.conversationId}`)
    await a.page.locator('[data-testid=event]', { hasText: 'Ann Able joined the conversation' }).waitFor({ timeout: 20000 })
    await shot(a.page, 'routing-ann-pulled.png')
  } finally {
    await a.context.close()
    await b.context.close()
    await customer.close()
  }
})

test.run()
