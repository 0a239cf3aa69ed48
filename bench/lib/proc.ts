/**
 * Processes for benchmarks: servers pinned to core 0 and load generators pinned to core 1 (when
 * `taskset` exists and the machine has two cores or more), and /proc readings of their RSS and CPU.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const CORES = os.availableParallelism()
const HAS_TASKSET = (() => { try { execFileSync('taskset', ['-V'], { stdio: 'ignore' }); return true } catch { return false } })()

/** Core for servers and the core(s) left for load; null when pinning is not possible. */
export const SERVER_CORE = HAS_TASKSET && CORES >= 2 ? '0' : null
export const LOAD_CORES = HAS_TASKSET && CORES >= 2 ? `1-${CORES - 1}` : null
export const pinning = (): string => SERVER_CORE ? `server on core ${SERVER_CORE}, load on cores ${LOAD_CORES}` : 'no pinning (taskset missing or one core)'

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })
}

export async function waitForPort(port: number, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode} before listening on ${port}`)
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true) })
      socket.once('error', () => resolve(false))
    })
    if (open) return
    if (Date.now() > deadline) throw new Error(`nothing listened on ${port} within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export interface NodeProcessOptions {
  script: string
  args?: string[]
  env?: Record<string, string>
  /** 'server' pins to SERVER_CORE, 'load' to LOAD_CORES. */
  role: 'server' | 'load'
  nodeArgs?: string[]
  /** Keep an IPC channel (load generators and servers with the probe). */
  ipc?: boolean
  /** Where stdout goes; servers are noisy on first start. */
  quiet?: boolean
  /** Load the TypeScript loader (the load generators); servers run plain JavaScript, as in production. */
  tsx?: boolean
}

/** Every process a benchmark started; killed when the benchmark exits, even on a crash. */
const started = new Set<ChildProcess>()
process.on('exit', () => { for (const child of started) if (child.exitCode === null) child.kill('SIGKILL') })

/** Starts `node [--import tsx] <script>` pinned to its core(s). */
export function startNode(options: NodeProcessOptions): ChildProcess {
  const cores = options.role === 'server' ? SERVER_CORE : LOAD_CORES
  const nodeArgs = [...(options.tsx === false ? [] : ['--import', 'tsx']), ...(options.nodeArgs ?? []), options.script, ...(options.args ?? [])]
  const command = cores ? 'taskset' : process.execPath
  const args = cores ? ['-c', cores, process.execPath, ...nodeArgs] : nodeArgs
  const stdio: ('ignore' | 'inherit' | 'ipc' | 'pipe')[] = ['ignore', options.quiet ? 'ignore' : 'inherit', 'inherit']
  if (options.ipc) stdio.push('ipc')
  // 'advanced' keeps Infinity (a message never delivered) intact over IPC; JSON would make it null.
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...options.env }, stdio, serialization: 'advanced' })
  started.add(child)
  child.once('exit', () => started.delete(child))
  return child
}

export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill(signal)
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  await exited
  clearTimeout(timer)
}

/** Resident set size of a process, in bytes (VmRSS). */
export function readRss(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN)
  return kb * 1024
}

const TICK = (() => { try { return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100 } catch { return 100 } })()

/** CPU seconds (user + system) a process has used so far. */
export function readCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICK
}

/** Measures a process's CPU over an interval, as a fraction of one core. */
export function startCpuMeter(pid: number): () => number {
  const cpu0 = readCpuSeconds(pid)
  const t0 = performance.now()
  return () => (readCpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000)
}

/**
 * Waits until a server is idle (under `below` of a core over half a second, at most `maxMs`), so
 * a cell does not inherit the backlog of the one before it: a server still catching up after a
 * rate it could not hold would otherwise be measured against that rate too. Returns the wait.
 */
export async function waitForIdle(pid: number, below = 0.15, maxMs = 20_000): Promise<number> {
  const started = performance.now()
  for (;;) {
    const cpu = startCpuMeter(pid)
    await sleep(500)
    if (cpu() < below || performance.now() - started > maxMs) return performance.now() - started
  }
}

/** This process's CPU over an interval, as a fraction of one core. */
export function startSelfCpuMeter(): () => number {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  return () => {
    const used = process.cpuUsage(cpu0)
    return (used.user + used.system) / 1000 / (performance.now() - t0)
  }
}

export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
