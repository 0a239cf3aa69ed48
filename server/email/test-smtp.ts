/** A real SMTP server for tests (smtp-server on 127.0.0.1), keeping every message it accepts, parsed. */
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'

export interface TestSmtp {
  url: string
  port: number
  received: ParsedMail[]
  /** Stops listening (an outage: connections are refused) until `start` listens again on the same port. */
  stop(): Promise<void>
  start(): Promise<void>
  close(): Promise<void>
}

export async function startTestSmtp(): Promise<TestSmtp> {
  const received: ParsedMail[] = []
  let port = 0
  let server: SMTPServer | null = null
  const listen = async () => {
    server = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream).then((mail) => { received.push(mail); callback() }, callback)
      },
    })
    server.on('error', () => {})
    await new Promise<void>((resolve, reject) => { server!.listen(port, '127.0.0.1', () => resolve()); server!.server.once('error', reject) })
    port = (server.server.address() as AddressInfo).port
  }
  await listen()
  const stop = async () => { const s = server; server = null; if (s) await new Promise<void>((resolve) => s.close(() => resolve())) }
  return {
    get url() { return `smtp://127.0.0.1:${port}` }, get port() { return port }, received,
    stop, start: listen, close: stop,
  }
}
