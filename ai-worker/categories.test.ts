/** The built-in classifier files conversations under the workspace's categories, defaults or its own. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { DEFAULT_CATEGORIES } from '../protocol/index.ts'
import { classify } from './builtin-responder.ts'
import { readToolCalls } from './bot-tools.ts'
import { KnowledgeIndex } from './retrieval.ts'
import { readSupportKb } from './test-kit.ts'

const kb = new KnowledgeIndex(readSupportKb().map((a) => ({ id: a.slug, title: a.title, body: a.body })))

test('the default categories: billing, account, technical, sales, sensitive, general, in several languages', () => {
  const cases: [string, string][] = [
    ['You charged my card twice this month, I want that reversed', 'billing'],
    ['Where can I download last year\'s invoices?', 'billing'],
    ['Ich finde meine Rechnung nicht', 'billing'],
    ['I forgot my password and cannot sign in', 'account'],
    ['No puedo iniciar sesión, olvidé mi contraseña', 'account'],
    ['Someone changed the email on my account and now I am locked out', 'sensitive'],
    ['Our lawyer will contact you about this GDPR violation', 'sensitive'],
    ['The app crashes every time I export a page to PDF', 'technical'],
    ['Do you offer a discount for 50 seats on the enterprise plan? We would like a quote', 'sales'],
    ['hello!', 'general'],
    ['I want to talk to a human', 'general'],
  ]
  for (const [text, expected] of cases) {
    const judged = classify(kb, text, 'en', DEFAULT_CATEGORIES)
    assert.is(judged.category, expected, `${text}: ${judged.reasoning}`)
    assert.ok(DEFAULT_CATEGORIES.includes(judged.category as never))
    assert.match(judged.reasoning, new RegExp(`^${expected}: `), 'the reasoning says why')
  }
})

test('a workspace\'s own categories: an article tagged with one decides, the category\'s own name counts, otherwise the last one', () => {
  const shop = new KnowledgeIndex([
    { id: 'ship', title: 'Shipping and delivery times', body: 'Standard delivery takes 3 to 5 working days; express arrives the next day.', tags: ['shipping'] },
    { id: 'ret', title: 'Sending an item back', body: 'You can send an item back within 30 days for a full refund.', tags: ['returns'] },
  ])
  const categories = ['shipping', 'returns', 'other']
  assert.is(classify(shop, 'How long does delivery take?', 'en', categories).category, 'shipping')
  assert.is(classify(shop, 'Can I send this jacket back?', 'en', categories).category, 'returns')
  assert.is(classify(shop, 'is shipping free?', 'en', categories).category, 'shipping')
  assert.is(classify(shop, 'Do you sell gift cards?', 'en', categories).category, 'other')
  assert.is(classify(shop, 'I want to speak to a person', 'en', categories).category, 'other')
})

test('the model\'s classification must be one of the workspace\'s categories', () => {
  const call = (category: string) => [{ id: '1', name: 'classify', arguments: JSON.stringify({ category, priority: 'normal', sentiment: 'neutral', language: 'en', confidence: 0.9, reasoning: 'because' }) }]
  assert.is(readToolCalls(call('Shipping'), ['shipping', 'other']).classify?.category, 'shipping')
  const refused = readToolCalls(call('billing'), ['shipping', 'other'])
  assert.is(refused.classify, undefined)
  assert.match(refused.ignored[0] ?? '', /not one of the workspace's categories/)
})

test.run()
