/**
 * Every catalogue of the widget and the agent app says the same things in every language: the
 * same keys (also a type error) and the same placeholders, so no translation drops a {place} or
 * a plural; and each one formats (protocol/i18n.ts) without leaving a brace behind.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { UI_LOCALES, formatMessage } from '../protocol/i18n.ts'
import { WIDGET_STRINGS } from './strings.ts'

/** Placeholder names of a template, plural branches included ("{n, plural, one {# x}}" → n). */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{\s*(\w+)\s*(?:\}|,\s*plural\s*,)/g)].map((m) => m[1]!))].sort()
}

export function checkCatalogues(name: string, catalogues: Record<string, Record<string, string>>): void {
  const english = catalogues.en!
  for (const locale of UI_LOCALES) {
    const table = catalogues[locale]!
    assert.equal(Object.keys(table).sort(), Object.keys(english).sort(), `${name} ${locale}: keys`)
    for (const [key, template] of Object.entries(table)) {
      assert.equal(placeholders(template), placeholders(english[key]!), `${name} ${locale} ${key}: placeholders`)
      const values = Object.fromEntries(placeholders(template).map((p) => [p, p === 'n' || p === 'count' || p === 'unread' ? 2 : 'X']))
      const out = formatMessage(template, values, locale)
      assert.not.match(out, /[{}]/, `${name} ${locale} ${key}: formats completely (${out})`)
    }
  }
}

test('the widget: same keys and placeholders in every language, all of them format', () => {
  checkCatalogues('widget', WIDGET_STRINGS)
})

test('the agent app: first screen and pages, same keys and placeholders in every language', async () => {
  for (const part of ['', 'pages/']) {
    const tables = Object.fromEntries(await Promise.all(UI_LOCALES.map(async (l) => [l, (await import(`../agent-app/i18n/${part}${l}.ts`)).default])))
    checkCatalogues(`app ${part || 'first screen'}`, tables)
  }
})

test.run()
