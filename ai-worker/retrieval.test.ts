import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { Message } from '../protocol/index.ts'
import { respond } from './builtin-responder.ts'
import { KnowledgeIndex, type KbArticle } from './retrieval.ts'
import { readSupportKb } from './test-kit.ts'

const SHIPPING: KbArticle = {
  id: 'a-ship', title: 'Shipping and delivery times',
  body: `# Shipping and delivery times

We ship every order from our warehouse in Leeds within one working day.

## Delivery times

- **Standard:** 3–5 working days, free on orders over £40.
- **Express:** next working day if you order before 2 pm; it costs £6.95.

## Tracking your parcel

You get an email with a tracking link as soon as the parcel leaves the warehouse. See [tracking help](https://example.com/track).
`,
}

const customer = (id: string, text: string): Message => ({ id, author: { role: 'customer', id: 'c', name: 'C' }, kind: 'message', text, attachments: [], createdAt: 0 })
const ask = (index: KnowledgeIndex, text: string, before: Message[] = []) => respond(index, [...before, customer('q', text)], 'q', 0.5)

function supportKb(): KbArticle[] {
  return readSupportKb().map((a) => ({ id: a.slug, title: a.title, body: a.body }))
}

test('one article is enough: questions about it are answered, its exact title too, and other topics go to a person', () => {
  const index = new KnowledgeIndex([SHIPPING], { workspaceName: 'Parcel Shop' })
  for (const q of ['Shipping and delivery times', 'how long does delivery take?', 'Do you have express delivery?', 'where is my parcel, is there tracking?', 'what does shipping cost?']) {
    const d = ask(index, q)
    assert.is(d.action, 'answer', `${q}: ${JSON.stringify(d)}`)
  }
  assert.is(ask(index, 'can I pay with bitcoin').action, 'escalate')
})

test('a follow-up is read with the question just answered', () => {
  const index = new KnowledgeIndex([SHIPPING, ...supportKb()])
  const first = ask(index, 'how long does standard delivery take?')
  assert.is(first.action, 'answer')
  if (first.action !== 'answer') return
  const answered: Message = { id: 'r1', author: { role: 'bot', id: 'bot', name: 'Assistant' }, kind: 'message', text: first.text, attachments: [], createdAt: 1, sources: first.sources }
  const followUp = ask(index, 'and how much is express?', [customer('q0', 'how long does standard delivery take?'), answered])
  assert.is(followUp.action, 'answer', JSON.stringify(followUp))
  if (followUp.action === 'answer') assert.match(followUp.text, /£6\.95/, followUp.text)
})

test('the reply quotes the passage that answers, keeps the list a list and the link a link', () => {
  const d = ask(new KnowledgeIndex([SHIPPING]), 'what are the delivery times?')
  assert.is(d.action, 'answer')
  if (d.action !== 'answer') return
  assert.match(d.text, /\n- \*\*Standard:\*\* 3–5 working days[^\n]*\n- \*\*Express:\*\*/)
  assert.not.match(d.text, /Leeds/, 'not the first sentence of the article')
  const tracking = ask(new KnowledgeIndex([SHIPPING]), 'how do I track my parcel?')
  if (tracking.action === 'answer') assert.match(tracking.text, /\[tracking help\]\(https:\/\/example\.com\/track\)/)
  else assert.unreachable(JSON.stringify(tracking))
})

test('the same questions are answered from a knowledge base of 14 and of 500 articles', () => {
  // 486 articles on other subjects, with their own vocabulary: idf values grow with the base.
  const syllables = ['ka', 'lo', 'mi', 'ru', 'te', 'sa', 'no', 'vi', 'de', 'po', 'zu', 'ha']
  const word = (i: number) => syllables[i % 12]! + syllables[Math.floor(i / 12) % 12]! + syllables[Math.floor(i / 144) % 12]! + 'x'
  const filler = Array.from({ length: 486 }, (_, i) => ({ id: `f${i}`, title: `Guide ${word(i * 7)} ${word(i * 13 + 1)}`, body: `## About ${word(i)}\n\n${Array.from({ length: 60 }, (_, j) => word((i * 31 + j * 17) % 1700)).join(' ')}.` }))
  const questions: [string, string][] = [
    ['how do I get a copy of last month\'s invoice', 'billing-and-invoices'],
    ['turn on two-factor authentication', 'two-factor-authentication'],
    ['restore a page I deleted', 'trash-and-restoring'],
    ['Wie exportiere ich eine Seite als PDF?', 'export-notes'],
  ]
  for (const kb of [supportKb(), [...supportKb(), ...filler]]) {
    const index = new KnowledgeIndex(kb)
    for (const [q, slug] of questions) {
      const d = ask(index, q)
      assert.is(d.action === 'answer' ? d.sources[0]?.id : d.action, slug, `${kb.length} articles: ${q} (${d.confidence.toFixed(2)})`)
    }
  }
})

test('the product name comes from the articles and the workspace, not from a list', () => {
  const index = new KnowledgeIndex(supportKb(), { workspaceName: 'Northwind' })
  assert.ok(index.ignored.has('lumen'), 'the name most articles capitalise')
  assert.ok(index.ignored.has('northwind'))
  assert.not.ok(index.ignored.has('settings'))
  assert.not.ok(index.ignored.has('pro'), 'a plan name only some articles use stays a word')
})

test('an empty knowledge base hands over and says why', () => {
  const d = ask(new KnowledgeIndex([]), 'how do I reset my password')
  assert.is(d.action, 'escalate')
  if (d.action === 'escalate') assert.is(d.reason, 'the help center has no articles yet')
})

test.run()
