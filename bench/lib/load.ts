/**
 * Drives load-worker processes from a benchmark: splits the conversations between them, sends
 * each command to all, and merges what they report (with their CPU, to tell when the load
 * generator rather than the server was the limit).
 */
import type { ChildProcess } from 'node:child_process'
import path from 'node:path'
import type { CutCommand, RunCommand, RunResult, SetupCommand } from './load-worker.ts'
import { LOAD_CORES, ROOT, startNode, stopProcess } from './proc.ts'
import type { ConversationSpec, PeerRole, Target } from './targets.ts'

const LOAD_CORE_COUNT = LOAD_CORES ? Number(LOAD_CORES.split('-')[1]) - Number(LOAD_CORES.split('-')[0]) + 1 : 1

export interface MergedRun {
  latencies: number[]
  acks: number[]
  sent: number
  expected: number
  /** CPU of all load processes together, in cores. */
  loadCpu: number
  /** Load CPU as a share of the cores the load may use. */
  loadShare: number
  /** True when the generators could not keep up, so the figure says more about them than the server. */
  saturated: boolean
  loopDelayP99Ms: number
}

export interface Reconnected { syncedAt: number[]; failed: number; loadCpu: number }

export class LoadGroup {
  private constructor(private readonly workers: ChildProcess[]) {}

  static async start(target: Target, conversations: ConversationSpec[], options: { workers: number; roles: PeerRole[]; writers: PeerRole[]; concurrency?: number }) {
    const workers = Array.from({ length: Math.max(1, Math.min(options.workers, conversations.length)) }, () =>
      startNode({ script: path.join(ROOT, 'bench/lib/load-worker.ts'), role: 'load', ipc: true }))
    const group = new LoadGroup(workers)
    const readies = await Promise.all(workers.map((worker, i) => {
      const share = conversations.filter((_, j) => j % workers.length === i)
      const setup: SetupCommand = {
        type: 'setup', worker: i, protocol: target.protocol, url: target.wsUrl, conversations: share, roles: options.roles,
        writers: options.writers, authors: target.authors, concurrency: options.concurrency ?? 64,
      }
      return group.ask<{ connectMs: number[]; failed: number; errors: string[] }>(worker, setup, 'ready')
    }))
    const failed = readies.reduce((n, r) => n + r.failed, 0)
    if (failed > 0) {
      await group.close()
      throw new Error(`${failed} peers could not connect: ${readies.flatMap((r) => r.errors).slice(0, 3).join('; ')}`)
    }
    return { group, connectMs: readies.flatMap((r) => r.connectMs) }
  }

  async run(command: Omit<RunCommand, 'type'>): Promise<MergedRun> {
    const share = { type: 'run' as const, ...command, rate: command.rate / this.workers.length }
    const results = await Promise.all(this.workers.map((worker) => this.ask<RunResult>(worker, share, 'result')))
    return merge(results)
  }

  async serial(count: number): Promise<MergedRun> {
    // One worker, so exactly one message is in flight at a time.
    return merge([await this.ask<RunResult>(this.workers[0]!, { type: 'serial', count }, 'result')])
  }

  async cut(command: Omit<CutCommand, 'type'>): Promise<Reconnected> {
    const results = await Promise.all(this.workers.map((worker) => this.ask<{ syncedAt: number[]; failed: number; cpu: number }>(worker, { type: 'cut', ...command }, 'reconnected')))
    return { syncedAt: results.flatMap((r) => r.syncedAt), failed: results.reduce((n, r) => n + r.failed, 0), loadCpu: results.reduce((n, r) => n + r.cpu, 0) }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map(async (worker) => {
      if (worker.connected) worker.send({ type: 'close' })
      const timer = setTimeout(() => void stopProcess(worker, 'SIGKILL'), 5000)
      if (worker.exitCode === null) await new Promise((r) => worker.once('exit', r))
      clearTimeout(timer)
    }))
  }

  private ask<T>(worker: ChildProcess, command: object, answer: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onMessage = (message: { type: string; message?: string }) => {
        if (message.type === 'error') { cleanup(); reject(new Error(`load worker failed: ${message.message}`)) }
        if (message.type === answer) { cleanup(); resolve(message as T) }
      }
      const onExit = (code: number | null) => { cleanup(); reject(new Error(`load worker exited (${code}) before answering ${answer}`)) }
      const cleanup = () => { worker.off('message', onMessage); worker.off('exit', onExit) }
      worker.on('message', onMessage)
      worker.once('exit', onExit)
      worker.send(command)
    })
  }
}

function merge(results: RunResult[]): MergedRun {
  const loadCpu = results.reduce((n, r) => n + r.cpu, 0)
  const sent = results.reduce((n, r) => n + r.sent, 0)
  const expected = results.reduce((n, r) => n + r.expected, 0)
  const loadShare = loadCpu / LOAD_CORE_COUNT
  return {
    latencies: results.flatMap((r) => r.latencies), acks: results.flatMap((r) => r.acks), sent, expected, loadCpu, loadShare,
    saturated: loadShare > 0.85 || sent < expected * 0.97, loopDelayP99Ms: Math.max(...results.map((r) => r.loopDelayP99Ms)),
  }
}
