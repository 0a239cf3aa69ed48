/**
 * Binds a <textarea> to a Y.Text both ways, so two agents can co-edit one draft: local edits
 * become the smallest insert/delete, remote edits update the field and keep the caret in place.
 */
import * as Y from 'yjs'

export function bindTextarea(area: HTMLTextAreaElement, text: Y.Text): () => void {
  const origin = { binding: area }
  area.value = text.toString()
  const onInput = () => {
    const before = text.toString()
    const after = area.value
    if (before === after) return
    let start = 0
    while (start < before.length && start < after.length && before[start] === after[start]) start++
    let endBefore = before.length
    let endAfter = after.length
    while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) { endBefore--; endAfter-- }
    text.doc!.transact(() => {
      if (endBefore > start) text.delete(start, endBefore - start)
      if (endAfter > start) text.insert(start, after.slice(start, endAfter))
    }, origin)
  }
  const onRemote = (event: Y.YTextEvent, transaction: Y.Transaction) => {
    if (transaction.origin === origin) return
    let { selectionStart, selectionEnd } = area
    let index = 0
    for (const op of event.delta) {
      if (op.retain) index += op.retain
      else if (typeof op.insert === 'string') {
        const n = op.insert.length
        if (index <= selectionStart) selectionStart += n
        if (index <= selectionEnd) selectionEnd += n
        index += n
      } else if (op.delete) {
        const n = op.delete
        if (index < selectionStart) selectionStart -= Math.min(n, selectionStart - index)
        if (index < selectionEnd) selectionEnd -= Math.min(n, selectionEnd - index)
      }
    }
    area.value = text.toString()
    if (document.activeElement === area) area.setSelectionRange(selectionStart, selectionEnd)
    area.dispatchEvent(new Event('parley:remote'))
  }
  area.addEventListener('input', onInput)
  text.observe(onRemote)
  return () => { area.removeEventListener('input', onInput); text.unobserve(onRemote) }
}
