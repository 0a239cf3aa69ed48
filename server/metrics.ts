/** Counters and gauges for /metrics, in the Prometheus text format. */
export class Metrics {
  private counters = new Map<string, { help: string; value: number }>()
  private gauges = new Map<string, { help: string; read: () => number | Promise<number> }>()
  private messageTimes: number[] = []

  counter(name: string, help: string): { inc(by?: number): void } {
    const entry = this.counters.get(name) ?? { help, value: 0 }
    this.counters.set(name, entry)
    return { inc: (by = 1) => { entry.value += by } }
  }

  gauge(name: string, help: string, read: () => number | Promise<number>): void {
    this.gauges.set(name, { help, read })
  }

  /** Records one appended message, for the messages-per-second gauge (last 60 s). */
  recordMessage(now = Date.now()): void {
    this.messageTimes.push(now)
    if (this.messageTimes.length > 100_000) this.messageTimes.splice(0, 50_000)
  }

  messagesPerSecond(now = Date.now()): number {
    const since = now - 60_000
    while (this.messageTimes.length > 0 && (this.messageTimes[0] as number) < since) this.messageTimes.shift()
    return this.messageTimes.length / 60
  }

  async render(): Promise<string> {
    const lines: string[] = []
    for (const [name, { help, value }] of this.counters) lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`)
    for (const [name, { help, read }] of this.gauges) {
      let value = NaN
      try { value = await read() } catch {}
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`)
    }
    return lines.join('\n') + '\n'
  }
}
