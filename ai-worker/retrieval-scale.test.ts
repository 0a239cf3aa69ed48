/**
 * The confidence rule at 500 articles that share their vocabulary (a real help center: every
 * article says "open Settings", dozens mention "export" or "dashboard"): the article that
 * answers still wins with confidence, the 14 support articles among them too, and questions
 * the help center does not cover are not answered.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Message } from '../protocol/index.ts'
import { respond } from './builtin-responder.ts'
import { KnowledgeIndex, type KbArticle } from './retrieval.ts'
import { readSupportKb } from './test-kit.ts'

const OBJECTS = ['dashboard', 'calendar', 'webhook', 'label', 'form', 'survey', 'automation rule', 'email template', 'report', 'filter', 'kanban board', 'timesheet',
  'contact list', 'price list', 'shipping zone', 'coupon', 'product variant', 'warehouse', 'supplier', 'purchase order', 'ticket macro', 'chat widget', 'phone number', 'custom field', 'booking slot', 'gift card', 'loyalty tier', 'tax rule']
const ACTIONS: [string, string][] = [['create', 'New'], ['rename', 'Rename'], ['archive', 'Archive'], ['duplicate', 'Duplicate'], ['move', 'Move to…'], ['print', 'Print'],
  ['schedule', 'Schedule'], ['translate', 'Translate'], ['lock', 'Lock'], ['pin', 'Pin'], ['colour-code', 'Colour'], ['embed', 'Embed code'], ['audit', 'History'],
  ['merge', 'Merge'], ['split', 'Split'], ['bulk-edit', 'Edit selected'], ['sort', 'Sort by'], ['hide', 'Hide']]

function generated(): KbArticle[] {
  const out: KbArticle[] = []
  for (const [o, object] of OBJECTS.entries()) {
    for (const [a, [action, button]] of ACTIONS.entries()) {
      if (out.length >= 486) return out
      out.push({
        id: `g-${action}-${object.replace(/ /g, '-')}`, title: `${action[0]!.toUpperCase()}${action.slice(1)} a ${object}`,
        body: `Every ${object} can be changed by its owner. To ${action} a ${object}, open **Settings → ${object}s**, select the ${object} and choose **${button}**.\n\n` +
          `## Who can ${action} a ${object}\n\n- Owners and admins, always.\n- Members, when an admin allows it under **Settings → Permissions**.\n\n` +
          `Changes are saved at once and appear for everyone in the workspace (section ${o}.${a}).`,
      })
    }
  }
  return out
}

const customer = (text: string): Message => ({ id: 'q', author: { role: 'customer', id: 'c', name: 'C' }, kind: 'message', text, attachments: [], createdAt: 0 })
const support = (): KbArticle[] => readSupportKb().map((a) => ({ id: a.slug, title: a.title, body: a.body }))

test('500 articles sharing their words: the right one answers with confidence, unrelated questions are not answered', () => {
  const kb = [...support(), ...generated()]
  assert.is(kb.length, 500)
  const index = new KnowledgeIndex(kb, { workspaceName: 'Acme' })
  const answered: [string, string][] = [
    ['how can I rename a dashboard?', 'g-rename-dashboard'],
    ['is it possible to duplicate a survey', 'g-duplicate-survey'],
    ['I need to archive an old coupon, how?', 'g-archive-coupon'],
    ['print a purchase order', 'g-print-purchase-order'],
    ['who is allowed to merge contact lists?', 'g-merge-contact-list'],
    ['how do I get a copy of last month\'s invoice', 'billing-and-invoices'],
    ['turn on two-factor authentication', 'two-factor-authentication'],
    ['restore a page I deleted', 'trash-and-restoring'],
    ['Wie exportiere ich eine Seite als PDF?', 'export-notes'],
  ]
  for (const [question, id] of answered) {
    const d = respond(index, [customer(question)], 'q', 0.5)
    assert.is(d.action === 'answer' ? d.sources[0]?.id : `${d.action} (${d.confidence.toFixed(2)})`, id, question)
  }
  const unrelated = ['can I pay with bitcoin?', 'what is the weather like in Paris tomorrow', 'do you have an office in Tokyo I can visit', 'my cat walked over the keyboard lol', 'how do I bake sourdough bread']
  for (const question of unrelated) {
    const d = respond(index, [customer(question)], 'q', 0.5)
    assert.is.not(d.action, 'answer', `${question}: answered from ${d.action === 'answer' ? d.sources[0]?.id : ''} (${d.confidence.toFixed(2)})`)
  }
})

test('one article: questions about it are answered, others are not, whatever the size of the article', () => {
  const [article] = generated()
  const index = new KnowledgeIndex([article!])
  for (const q of ['how do I create a dashboard', 'Create a dashboard', 'who can create dashboards?']) assert.is(respond(index, [customer(q)], 'q', 0.5).action, 'answer', q)
  for (const q of ['can I pay with bitcoin?', 'how do I bake sourdough bread']) assert.is.not(respond(index, [customer(q)], 'q', 0.5).action, 'answer', q)
})

test.run()
