/** Webhook delivery settings from the environment (README: configuration). */
import { createIntReader } from '../config.ts'
import { readAllowedHosts, type TargetPolicy } from './webhook-target.ts'

export interface WebhookConfig {
  /** How long a receiver has to answer. */
  timeoutMs: number
  /** The first retry's delay; each next one doubles, up to `backoffMaxMs`. */
  backoffMs: number
  backoffMaxMs: number
  /** Attempts of one delivery before it is given up (it stays in the log, to redeliver). */
  maxAttempts: number
  /** An endpoint is disabled once this many attempts in a row failed and the run has lasted `disableAfterMs`. */
  disableAfterFailures: number
  disableAfterMs: number
  /** Failed attempts in a row before admins are told the endpoint is failing. */
  alertAfterFailures: number
  /** How often each instance looks for deliveries that are due (new ones are sent at once). */
  pollMs: number
  /** How long an instance holds a delivery it is sending before another may take it. */
  leaseMs: number
  /** Which addresses a webhook may be sent to (server/webhooks/webhook-target.ts). */
  targets: TargetPolicy
}

export function readWebhookConfig(env: Record<string, string | undefined>, problems: string[]): WebhookConfig {
  const int = createIntReader(env, problems)
  const config: WebhookConfig = {
    timeoutMs: int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    backoffMs: int('WEBHOOK_BACKOFF_MS', 10_000, 1, 3_600_000),
    backoffMaxMs: int('WEBHOOK_BACKOFF_MAX_MS', 3_600_000, 1, 86_400_000),
    maxAttempts: int('WEBHOOK_MAX_ATTEMPTS', 12, 1, 100),
    disableAfterFailures: int('WEBHOOK_DISABLE_AFTER_FAILURES', 20, 1, 100_000),
    disableAfterMs: int('WEBHOOK_DISABLE_AFTER_MINUTES', 12 * 60, 0, 30 * 24 * 60) * 60_000,
    alertAfterFailures: int('WEBHOOK_ALERT_AFTER_FAILURES', 3, 1, 1000),
    pollMs: int('WEBHOOK_POLL_MS', 1000, 10, 600_000),
    leaseMs: 0,
    targets: { allowPrivateNetworks: false, allowedHosts: readAllowedHosts(env.WEBHOOK_ALLOWED_HOSTS, problems) },
  }
  const allowPrivate = env.WEBHOOK_ALLOW_PRIVATE_NETWORKS
  if (allowPrivate !== undefined && allowPrivate !== '' && !['0', '1', 'true', 'false'].includes(allowPrivate)) problems.push(`WEBHOOK_ALLOW_PRIVATE_NETWORKS=${JSON.stringify(allowPrivate)}: must be 1 or 0`)
  config.targets.allowPrivateNetworks = allowPrivate === '1' || allowPrivate === 'true'
  config.leaseMs = config.timeoutMs + 30_000
  return config
}
