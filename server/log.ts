/** Structured JSON logs, one object per line on stdout (stderr for warnings and errors). */
export type Level = 'debug' | 'info' | 'warn' | 'error'
const RANK: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 }

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

export function createLogger(level: Level | 'silent' = 'info', base: Record<string, unknown> = {}): Logger {
  const write = (at: Level, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[at] < RANK[level]) return
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level: at, msg, ...base, ...fields }
    if (entry.error instanceof Error) entry.error = { message: entry.error.message, stack: entry.error.stack, code: (entry.error as { code?: unknown }).code }
    const line = JSON.stringify(entry) + '\n'
    if (RANK[at] >= RANK.warn) process.stderr.write(line)
    else process.stdout.write(line)
  }
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  }
}
