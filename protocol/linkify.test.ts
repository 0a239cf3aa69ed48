import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { hasLink, splitLinks } from './linkify.ts'

test('plain URLs become links; sentence punctuation and unopened brackets stay outside', () => {
  assert.equal(splitLinks('See https://example.com/docs?a=1. Thanks'), [
    { text: 'See ' }, { text: 'https://example.com/docs?a=1', href: 'https://example.com/docs?a=1' }, { text: '. Thanks' },
  ])
  assert.equal(splitLinks('(details: www.example.org/a_(b))!'), [
    { text: '(details: ' }, { text: 'www.example.org/a_(b)', href: 'https://www.example.org/a_(b)' }, { text: ')!' },
  ])
})

test('markup is never a link or an element: it stays text', () => {
  assert.equal(splitLinks('<img src=x onerror=alert(1)>'), [{ text: '<img src=x onerror=alert(1)>' }])
  assert.equal(splitLinks('javascript:alert(1) and ftp://x.y'), [{ text: 'javascript:alert(1) and ftp://x.y' }])
  assert.equal(splitLinks('go to https://a.example/"onmouseover=alert(1)'), [
    { text: 'go to ' }, { text: 'https://a.example/', href: 'https://a.example/' }, { text: '"onmouseover=alert(1)' },
  ])
  assert.not.ok(hasLink('no links here, www. alone'))
  assert.ok(hasLink('www.example.org'))
})

test.run()
