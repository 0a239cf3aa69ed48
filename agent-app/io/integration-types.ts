/** Answers of the integration routes (server/api-keys, server/webhooks), as the Settings → Integrations page reads them. */
import type { ApiKeyScope, WebhookEventType } from '../../protocol/index.ts'

export interface ApiKeyHealth { requests: number; errors: number; p50Ms: number | null; p99Ms: number | null; lastStatus: number | null; lastRoute: string | null }
export interface ApiKeyInfo { id: string; name: string; scope: ApiKeyScope; prefix: string; createdBy: string; createdAt: number; lastUsedAt: number | null; revokedAt: number | null; health?: ApiKeyHealth }
export interface CreatedApiKey extends ApiKeyInfo { token: string }

export interface EndpointHealth { attempts: number; succeeded: number; p50Ms: number | null; p99Ms: number | null; lastError: string | null; lastErrorAt: number | null; lastDeliveryAt: number | null; pending: number }
export interface WebhookInfo {
  id: string; name: string; url: string; events: WebhookEventType[]; active: boolean; disabledReason: string | null; consecutiveFailures: number
  createdAt: number; updatedAt: number; secret?: string; health?: EndpointHealth
  /** While a rotated secret still signs beside the new one: until when. */
  previousSecretUntil: number | null
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed'
export interface DeliveryInfo {
  id: string; seq: number; webhookId: string; eventId: string; event: WebhookEventType; status: DeliveryStatus; attempts: number; nextAttemptAt: number | null
  lastError: string | null; responseStatus: number | null; durationMs: number | null; redeliveryOf: string | null; createdAt: number; deliveredAt: number | null
}
export interface DeliveryAttempt { at: number; ok: boolean; responseStatus: number | null; durationMs: number; error: string | null; requestHeaders: Record<string, string>; responseBody: string | null }
export interface DeliveryDetail extends DeliveryInfo { request: { body: unknown }; attemptLog: DeliveryAttempt[] }
export interface IntegrationAlert { seq: number; subjectKind: 'webhook' | 'api-key'; subjectId: string; level: 'warning' | 'error' | 'info'; message: string; createdAt: number }
