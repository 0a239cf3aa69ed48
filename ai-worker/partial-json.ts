/**
 * Reads one string property out of JSON that is still arriving, so a tool call's `text`
 * argument can be shown while the model writes it. Returns what is decodable so far.
 */
export function extractPartialString(json: string, key: string): string {
  const match = new RegExp(`"${key}"\\s*:\\s*"`).exec(json)
  if (!match) return ''
  let out = ''
  for (let i = match.index + match[0].length; i < json.length; i++) {
    const ch = json[i] as string
    if (ch === '"') return out
    if (ch !== '\\') { out += ch; continue }
    const next = json[i + 1]
    if (next === undefined) return out
    if (next === 'u') {
      const hex = json.slice(i + 2, i + 6)
      if (hex.length < 4) return out
      out += String.fromCharCode(parseInt(hex, 16))
      i += 5
      continue
    }
    out += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[next] ?? next
    i += 1
  }
  return out
}
