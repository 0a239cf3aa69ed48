/** Configuration from environment variables, validated at start with one clear message per bad value. */
import path from 'node:path'
import { readLimitConfig, type LimitConfig } from './rate-limits/limit-config.ts'
import { parseLimitRule, type LimitRule } from './rate-limits/limit-rule.ts'
import { readWebhookConfig, type WebhookConfig } from './webhooks/webhook-config.ts'

export interface Config {
  port: number
  host: string
  dataDir: string
  databaseUrl: string
  redisUrl: string | null
  /** A customer message in a `bot` conversation unanswered this long gets its bot job again (a lost job). */
  botRecoveryMs: number
  publicUrl: string | null
  /** Largest WebSocket frame and Yjs update accepted, in bytes. */
  maxFrameBytes: number
  sessionTtlMs: number
  visitorTtlMs: number
  /** A fixed token for bot workers in other processes; one is generated per start when unset. */
  serviceToken: string | null
  /** Updates in the log of one document before it is compacted into its snapshot. */
  compactEvery: number
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent'
  /** Messages per second a single connection may send before it is throttled. */
  rateLimitPerSecond: number
  /** Refused updates per minute before the socket is closed, and before an account's updates are refused unread (4429). */
  refusedUpdates: { perSocket: number; perPrincipal: number }
  /** The widget's and sign-in's HTTP rate limits (server/rate-limits/limit-config.ts). */
  limits: LimitConfig
  /** Redis key prefix of the shared rate-limit counts (instances of one install must agree). */
  rateLimitPrefix: string
  /** How many proxies in front of the server append to X-Forwarded-For; 0 trusts only the socket's address. */
  trustProxy: number
  ownerEmail: string
  ownerPassword: string | null
  openai: { apiKey: string | null; baseUrl: string | null; model: string; timeoutMs: number }
  /** Start the in-process bot worker (off when workers run elsewhere). */
  inProcessBot: boolean
  /** Bearer token for /metrics; when unset, /metrics answers only direct loopback clients. */
  metricsToken: string | null
  /** How often housekeeping runs (expired sessions, orphaned uploads). */
  housekeepingIntervalMs: number
  /** How long an upload no message refers to is kept before housekeeping deletes it. */
  orphanUploadGraceMs: number
  /** Spent (used, revoked) and expired invitation and reset links are deleted this long after (ACCOUNT_TOKEN_GRACE_DAYS). */
  accountTokenGraceMs: number
  /** How long a resolved conversation stays in the inbox document (the working set) after its last activity. */
  inboxResolvedWindowMs: number
  /** Tombstones (entries that left) an inbox document may carry before housekeeping rotates it. */
  inboxRotateTombstones: number
  /** Email out (server/email/): without `SMTP_URL` Parley sends no email and never promises one. */
  email: { smtpUrl: string | null; from: string; replyTo: string | null; attempts: number; backoffMs: number; queuePrefix: string }
  /** Who may create workspaces (server/accounts/): 'owner' = the first start's owner only. */
  signup: 'owner' | 'open' | 'invite-only' | 'disabled'
  inviteTtlMs: number
  resetTtlMs: number
  /** Password resets per client address and per email, invitations per workspace (null: off). */
  accountLimits: { resetPerIp: LimitRule | null; resetPerEmail: LimitRule | null; invitesPerWorkspace: LimitRule | null }
  /** Webhook delivery: timeouts, retries, when an endpoint is disabled (server/webhooks/webhook-config.ts). */
  webhooks: WebhookConfig
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`)
    this.name = 'ConfigError'
  }
}

/** Reads whole-number variables, collecting one message per bad value into `problems`. */
export function createIntReader(env: Record<string, string | undefined>, problems: string[]) {
  return (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]
    if (raw === undefined || raw === '') return fallback
    const value = Number(raw)
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}=${JSON.stringify(raw)}: must be a whole number from ${min} to ${max}`)
      return fallback
    }
    return value
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = []
  const int = createIntReader(env, problems)
  const url = (name: string, protocols: string[]): string | null => {
    const raw = env[name]
    if (!raw) return null
    try {
      const parsed = new URL(raw)
      if (!protocols.includes(parsed.protocol)) problems.push(`${name}: must start with ${protocols.join(' or ')}//`)
    } catch {
      problems.push(`${name}=${JSON.stringify(raw)}: is not a URL`)
    }
    return raw
  }
  const dataDir = path.resolve(env.DATA_DIR || './data')
  const databaseUrl = env.DATABASE_URL || path.join(dataDir, 'parley.sqlite')
  if (env.DATABASE_URL && /^[a-z]+:\/\//.test(env.DATABASE_URL) && !/^(postgres|postgresql|sqlite):\/\//.test(env.DATABASE_URL)) {
    problems.push(`DATABASE_URL: must be postgres://… or a SQLite file path`)
  }
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel']
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) problems.push(`LOG_LEVEL=${JSON.stringify(env.LOG_LEVEL)}: must be debug, info, warn, error or silent`)
  const serviceToken = env.PARLEY_SERVICE_TOKEN || null
  if (serviceToken && serviceToken.length < 32) problems.push('PARLEY_SERVICE_TOKEN: must be at least 32 characters')
  const metricsToken = env.METRICS_TOKEN || null
  if (metricsToken && metricsToken.length < 16) problems.push('METRICS_TOKEN: must be at least 16 characters')
  const ownerPassword = env.PARLEY_OWNER_PASSWORD || null
  if (ownerPassword && ownerPassword.length < 10) problems.push('PARLEY_OWNER_PASSWORD: must be at least 10 characters')
  const trustProxy = ({ true: '1', false: '0' } as Record<string, string>)[env.TRUST_PROXY?.toLowerCase() ?? ''] ?? env.TRUST_PROXY
  const rateLimitPrefix = env.RATE_LIMIT_PREFIX || 'parley-limits'
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(rateLimitPrefix)) problems.push(`RATE_LIMIT_PREFIX=${JSON.stringify(rateLimitPrefix)}: must be 1–64 letters, digits, _ or -`)
  const emailAddress = (name: string, fallback: string): string => {
    const raw = env[name] || fallback
    if (!/^([^<>\r\n]*<)?[^\s@<>]+@[^\s@<>]+>?$/.test(raw.trim())) problems.push(`${name}=${JSON.stringify(raw)}: must be an email address, or "Name <address>"`)
    return raw.trim()
  }
  const limit = (name: string, fallback: string): LimitRule | null => {
    const parsed = parseLimitRule(env[name] || fallback)
    if (typeof parsed === 'string') { problems.push(`${name}=${JSON.stringify(env[name])}: ${parsed}`); return null }
    return parsed
  }
  const signup = (env.PARLEY_SIGNUP || 'owner') as Config['signup']
  if (!['owner', 'open', 'invite-only', 'disabled'].includes(signup)) problems.push(`PARLEY_SIGNUP=${JSON.stringify(env.PARLEY_SIGNUP)}: must be owner, open, invite-only or disabled`)
  const config: Config = {
    port: int('PORT', 8080, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir,
    databaseUrl,
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:']),
    publicUrl: url('PUBLIC_URL', ['http:', 'https:']),
    maxFrameBytes: int('MAX_FRAME_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    sessionTtlMs: int('SESSION_TTL_HOURS', 24 * 14, 1, 24 * 365) * 3600_000,
    visitorTtlMs: int('VISITOR_TTL_DAYS', 180, 1, 3650) * 86400_000,
    serviceToken,
    compactEvery: int('COMPACT_EVERY', 300, 2, 100_000),
    logLevel,
    rateLimitPerSecond: int('RATE_LIMIT_PER_SECOND', 200, 1, 100_000),
    refusedUpdates: { perSocket: int('REFUSED_UPDATES_PER_SOCKET', 5, 1, 1_000_000), perPrincipal: int('REFUSED_UPDATES_PER_ACCOUNT', 50, 1, 1_000_000) },
    limits: readLimitConfig(env, problems),
    rateLimitPrefix,
    trustProxy: createIntReader({ TRUST_PROXY: trustProxy }, problems)('TRUST_PROXY', 0, 0, 10),
    ownerEmail: (env.PARLEY_OWNER_EMAIL || 'owner@parley.local').toLowerCase(),
    ownerPassword,
    openai: {
      apiKey: env.OPENAI_API_KEY || null,
      baseUrl: url('OPENAI_BASE_URL', ['http:', 'https:']),
      model: env.OPENAI_MODEL || 'gpt-4o-mini',
      timeoutMs: int('OPENAI_TIMEOUT_MS', 30_000, 100, 600_000),
    },
    inProcessBot: env.PARLEY_IN_PROCESS_BOT !== '0',
    botRecoveryMs: int('PARLEY_BOT_RECOVERY_MS', 120_000, 100, 86_400_000),
    metricsToken,
    housekeepingIntervalMs: int('HOUSEKEEPING_INTERVAL_MINUTES', 60, 1, 7 * 24 * 60) * 60_000,
    orphanUploadGraceMs: int('ORPHAN_UPLOAD_GRACE_HOURS', 24, 1, 24 * 365) * 3600_000,
    accountTokenGraceMs: int('ACCOUNT_TOKEN_GRACE_DAYS', 7, 0, 3650) * 24 * 3600_000,
    inboxResolvedWindowMs: int('INBOX_RESOLVED_DAYS', 7, 1, 3650) * 24 * 3600_000,
    inboxRotateTombstones: int('INBOX_ROTATE_TOMBSTONES', 5000, 0, 10_000_000),
    email: {
      smtpUrl: url('SMTP_URL', ['smtp:', 'smtps:']),
      from: emailAddress('EMAIL_FROM', 'Parley <parley@localhost>'),
      replyTo: env.EMAIL_REPLY_TO ? emailAddress('EMAIL_REPLY_TO', '') : null,
      attempts: int('EMAIL_ATTEMPTS', 6, 1, 50),
      backoffMs: int('EMAIL_BACKOFF_MS', 5000, 10, 3_600_000),
      queuePrefix: env.PARLEY_QUEUE_PREFIX || 'parley',
    },
    signup,
    inviteTtlMs: int('INVITE_TTL_HOURS', 72, 1, 24 * 30) * 3600_000,
    resetTtlMs: int('PASSWORD_RESET_TTL_MINUTES', 60, 5, 24 * 60) * 60_000,
    accountLimits: {
      resetPerIp: limit('PASSWORD_RESET_LIMIT_PER_IP', '10/15m'),
      resetPerEmail: limit('PASSWORD_RESET_LIMIT_PER_EMAIL', '3/15m'),
      invitesPerWorkspace: limit('INVITATION_LIMIT_PER_WORKSPACE', '100/1h'),
    },
    webhooks: readWebhookConfig(env, problems),
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}
