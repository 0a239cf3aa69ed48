/** Helpers for the agent app's browser tests: a signed-in page, a customer, and reading the server's copy. */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import * as Y from 'yjs'
import { DEFAULT_AI_SETTINGS, formatConversationName, formatInternalName, readMessages, readMeta, readNotes, type Message } from '../protocol/index.ts'
import { api, startVisitorConversation, type TestServer } from '../server/test-kit.ts'
import { artifact } from './browser.ts'

export const DESKTOP = { width: 1280, height: 800 }
export const PHONE = { width: 390, height: 844 }

/** Conversations start 'waiting' (not 'bot'), so tests do not depend on the bot. */
export async function disableAi(t: TestServer): Promise<void> {
  const r = await api(t.url, 'PUT', '/api/settings/ai', { ...DEFAULT_AI_SETTINGS, enabled: false }, t.ownerToken)
  if (r.status !== 200) throw new Error(`AI settings not saved: ${JSON.stringify(r.body)}`)
}

/**
 * A new browser context with the app signed in: through the sign-in form, or (`token`) with a
 * session the test already holds, since the server allows 10 sign-ins a minute per address and email.
 */
export async function openApp(browser: Browser, t: TestServer, options: { email?: string; password?: string; token?: string; viewport?: { width: number; height: number }; locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP, serviceWorkers: 'allow', ...(options.locale ? { locale: options.locale } : {}) })
  const page = await context.newPage()
  page.on('pageerror', (error) => console.error('[page error]', error.message))
  await page.goto(t.url + '/')
  if (options.token) {
    const me = await api(t.url, 'GET', '/api/auth/me', undefined, options.token)
    if (me.status !== 200) throw new Error(`token refused: ${JSON.stringify(me.body)}`)
    await page.evaluate((session) => localStorage.setItem('parley:session', JSON.stringify(session)), { token: options.token, agent: me.body.agent, workspace: me.body.workspace })
    await page.reload()
  } else {
    await page.fill('#email', options.email ?? 'owner@example.com')
    await page.fill('#password', options.password ?? 'correct horse battery')
    await page.click('button[type=submit]')
  }
  await waitForConnection(page, 'online')
  return { context, page }
}

/** A customer on the widget API, with a first message. */
export async function customerWrites(t: TestServer, name: string, text: string) {
  const visitor = await startVisitorConversation(t, name, { id: `first-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, text })
  const send = async (body: string) => {
    const r = await api(t.url, 'POST', `/api/widget/conversations/${visitor.conversationId}/messages`, { id: `msg-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, text: body }, visitor.visitorToken)
    if (r.status !== 201) throw new Error(`customer message refused: ${JSON.stringify(r.body)}`)
  }
  return { ...visitor, send }
}

/** The server's own copy of a conversation (the source of truth), and the notes of its internal document. */
export async function serverConversation(t: TestServer, id: string): Promise<{ meta: ReturnType<typeof readMeta>; messages: Message[]; notes: Message[] }> {
  const { meta, messages } = await t.server.services.conversations.change(id, (doc: Y.Doc) => ({ meta: readMeta(doc), messages: readMessages(doc) }))
  const connection = await t.server.services.hocuspocus.openDirectConnection(formatInternalName(id), { internal: 'test' })
  let notes: Message[] = []
  try {
    await connection.transact((doc) => { notes = readNotes(doc) })
  } finally {
    await connection.disconnect()
  }
  return { meta, messages, notes }
}

export const conversationDoc = formatConversationName

/** The connection state shown to the agent (the visible one: sidebar on desktop, top bar on a phone). */
export async function waitForConnection(page: Page, state: 'online' | 'offline' | 'syncing', timeout = 30000): Promise<void> {
  await page.locator(`[data-testid=connection][data-state=${state}]:visible`).first().waitFor({ timeout })
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: artifact(name), fullPage: false })
}
