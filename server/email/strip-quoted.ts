/**
 * The new part of an emailed reply: mail clients append the message being answered (a
 * "On … wrote:" line and `>` lines, an Outlook "Original Message" or header block) and often a
 * signature. Only what the customer wrote this time goes into the conversation; the history is
 * there already. Attribution lines in the languages we write customers in.
 */
const ATTRIBUTION = [
  /^On .{1,300}wrote:\s*$/i, // Gmail, Apple Mail, Thunderbird (en)
  /^Am .{1,300}schrieb .{0,200}:\s*$/i, // de
  /^El .{1,300}escribió:\s*$/i, // es
  /^Le .{1,300}a écrit\s*:\s*$/i, // fr
  /^Em .{1,300}escreveu:\s*$/i, // pt
  /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Mensaje original|Message d'origine|Mensagem original)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/, // Outlook's rule above its header block
  /^(From|Von|De|Da): .+$/, // a header block that starts a forwarded/quoted message
]

export function stripQuoted(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  const kept: string[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    const trimmed = line.trim()
    // Some clients wrap the attribution over two lines ("On Mon, … <a@b>\nwrote:").
    const joined = i + 1 < lines.length ? `${trimmed} ${(lines[i + 1] as string).trim()}` : trimmed
    if (ATTRIBUTION.some((re) => re.test(trimmed)) || (/^(On|Am|El|Le|Em) /.test(trimmed) && ATTRIBUTION.slice(0, 5).some((re) => re.test(joined)))) break
    if (trimmed === '--' || trimmed === '-- ') break // the signature separator
    if (trimmed.startsWith('>')) continue
    kept.push(line)
  }
  return kept.join('\n').replace(/\n{3,}/g, '\n\n').trim()
}
