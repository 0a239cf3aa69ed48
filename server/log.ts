/**
 * Structured logs through pino: one JSON object per line, debug and info on stdout, warnings and
 * errors on stderr, the same fields as before (`time` ISO, `level` by name, `msg`, then the
 * fields). In development (NODE_ENV not production, stdout a terminal) pino-pretty prints them
 * for people, when it is installed (a dev dependency; production images do not carry it).
 *
 * A log line never carries what people wrote or who they are: fields named like message text,
 * names, emails, passwords or tokens are redacted at every level. Lines written while an HTTP
 * request is handled carry its `requestId` (see `withRequestId`), with no change to callers.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { createRequire } from 'node:module'
import pino from 'pino'

export type Level = 'debug' | 'info' | 'warn' | 'error'

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

const PRIVATE_KEYS = ['text', 'body', 'content', 'name', 'email', 'password', 'token', 'authorization', 'cookie']
const REDACT = PRIVATE_KEYS.flatMap((key) => [key, `*.${key}`])

const requestScope = new AsyncLocalStorage<{ requestId: string }>()

/** Runs `handle` so that every line logged during it (and what it awaits) carries `requestId`. */
export function withRequestId<T>(requestId: string, handle: () => T): T {
  return requestScope.run({ requestId }, handle)
}

export interface LoggerOptions {
  /** Where lines go, for tests; by default stdout (below warn) and stderr (warn and above). */
  streams?: { out: pino.DestinationStream; err: pino.DestinationStream }
  /** Pretty lines for people; by default when NODE_ENV is not production and stdout is a terminal. */
  pretty?: boolean
}

export function createLogger(level: Level | 'silent' = 'info', base: Record<string, unknown> = {}, options: LoggerOptions = {}): Logger {
  const pretty = options.pretty ?? (process.env.NODE_ENV !== 'production' && process.stdout.isTTY === true)
  const streams = options.streams ?? (pretty ? prettyStreams() : null) ?? {
    // Synchronous, as console writes are: nothing logged just before an exit is lost.
    out: pino.destination({ fd: 1, sync: true }),
    err: pino.destination({ fd: 2, sync: true }),
  }
  const logger = pino({
    level,
    base,
    timestamp: pino.stdTimeFunctions.isoTime,
    // pino-pretty reads numeric levels; the JSON lines keep naming them as before.
    ...(pretty && !options.streams ? {} : { formatters: { level: (label: string) => ({ level: label }) } }),
    serializers: { error: pino.stdSerializers.err },
    redact: { paths: REDACT, censor: '[redacted]' },
    mixin: () => requestScope.getStore() ?? {},
  }, pino.multistream([{ level: 'debug', stream: streams.out }, { level: 'warn', stream: streams.err }], { dedupe: true }))
  const write = (at: Level) => (msg: string, fields?: Record<string, unknown>) => {
    if (fields) logger[at](fields, msg)
    else logger[at](msg)
  }
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') }
}

/** pino-pretty is a dev dependency: absent, the JSON lines are printed instead. */
function prettyStreams(): { out: pino.DestinationStream; err: pino.DestinationStream } | null {
  try {
    const pretty = createRequire(import.meta.url)('pino-pretty') as (options: Record<string, unknown>) => pino.DestinationStream
    const options = { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true }
    return { out: pretty({ ...options, destination: 1 }), err: pretty({ ...options, destination: 2 }) }
  } catch {
    return null
  }
}
