/** The README tables a benchmark writes: replaced between their markers, dated, never by a narrowed run. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { isWholeRun, markdownTable, writeReadmeSection } from './readme-section.ts'

test('a whole run replaces its own section and nothing else; a narrowed run leaves the file alone', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'))
  const file = path.join(dir, 'README.md')
  fs.writeFileSync(file, '# Benchmarks\n\nHand-written text.\n\n<!-- bench:ack -->\nold ack table\n<!-- /bench:ack -->\n\nMore text.\n')
  try {
    const table = markdownTable([{ server: 'Parley', p99: '4.20' }, { server: 'Peer', p99: '3.10' }])
    assert.is(table, '| server | p99 |\n| --- | --- |\n| Parley | 4.20 |\n| Peer | 3.10 |')
    assert.ok(writeReadmeSection('ack', 'Acknowledgement', 'npm run bench -- ack', table, [], file))
    const once = fs.readFileSync(file, 'utf8')
    assert.not.match(once, 'old ack table')
    assert.match(once, /Hand-written text\.\n\n<!-- bench:ack -->\n### Acknowledgement\n\n_Written by the benchmark itself \(\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC, `npm run bench -- ack`, /)
    assert.match(once, '| Parley | 4.20 |')
    assert.match(once, /<!-- \/bench:ack -->\n\nMore text\.\n$/)
    // Again: still one section.
    writeReadmeSection('ack', 'Acknowledgement', 'npm run bench -- ack', table, ['--full'], file)
    assert.is(fs.readFileSync(file, 'utf8').split('<!-- bench:ack -->').length, 2)
    // A section not there yet is appended.
    writeReadmeSection('fan-out', 'Fan-out', 'npm run bench -- fan-out', table, [], file)
    assert.match(fs.readFileSync(file, 'utf8'), /More text\.\n\n<!-- bench:fan-out -->[^]*<!-- \/bench:fan-out -->\n$/)
    // Narrowed: not written.
    const before = fs.readFileSync(file, 'utf8')
    assert.not.ok(writeReadmeSection('ack', 'Acknowledgement', 'npm run bench -- ack', 'other', ['--only', 'parley'], file))
    assert.is(fs.readFileSync(file, 'utf8'), before)
    assert.ok(isWholeRun(['--full', '--profile']))
    assert.not.ok(isWholeRun(['--window', '3']))
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test.run()
