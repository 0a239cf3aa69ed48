/** For tests: a Redis server of the test's own, on a free port, that the test can stop and start again. */
import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'

export interface TestRedis {
  port: number
  url: string
  /** Stops the server (SIGTERM) and resolves when it has exited. */
  stop(): Promise<void>
  /** Starts it again on the same port; resolves when it answers PING. */
  start(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })
}

/** Resolves once the server answers a PING on a fresh connection. */
async function answersPing(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1')
      socket.once('error', () => resolve(false))
      socket.once('connect', () => socket.write('PING\r\n'))
      socket.once('data', (data) => { socket.destroy(); resolve(data.toString().startsWith('+PONG')) })
    })
    if (ok) return
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

export async function startTestRedis(): Promise<TestRedis> {
  const port = await freePort()
  let child: ChildProcess | null = null
  const redis: TestRedis = {
    port, url: `redis://127.0.0.1:${port}`,
    async start() {
      if (child) return
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
      child.once('exit', () => { child = null })
      await answersPing(port, 10_000)
    },
    async stop() {
      const running = child
      if (!running) return
      await new Promise<void>((resolve) => { running.once('exit', () => resolve()); running.kill('SIGTERM') })
    },
  }
  await redis.start()
  return redis
}
