import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { markdownToEmailHtml } from './email-markdown.ts'

test('the subset renders; raw HTML, scripts and javascript: links do not', () => {
  assert.is(markdownToEmailHtml('**Refunded** on *Monday*'), '<p><strong>Refunded</strong> on <em>Monday</em></p>')
  assert.match(markdownToEmailHtml('- one\n- two'), /<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/)
  assert.is(markdownToEmailHtml('[help](https://help.example.com/a?b=1&c=2)'), '<p><a href="https://help.example.com/a?b=1&#38;c=2">help</a></p>')
  const hostile = markdownToEmailHtml('<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) ![i](javascript:alert(2)) `<b>`')
  assert.not.match(hostile, /<script|<img|href="javascript|<b>/)
  assert.is(markdownToEmailHtml('[x](javascript:alert(1))'), '<p>x</p>')
  assert.is(markdownToEmailHtml('![i](javascript:alert(2))'), '<p>i</p>')
  assert.match(hostile, /&#60;script&#62;|&lt;script&gt;/)
})

test.run()
