/** Shared by the rate-limit tests: a request as if from an address, and what a refusal must look like. */
import * as assert from 'uvu/assert'

export interface Answer { status: number; body: any; retryAfter: string | null }

/** One JSON request, optionally as if from `ip` (X-Forwarded-For, believed only with TRUST_PROXY). */
export async function call(url: string, method: string, pathname: string, body: unknown, options: { token?: string; ip?: string } = {}): Promise<Answer> {
  const response = await fetch(url + pathname, {
    method,
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(options.ip ? { 'x-forwarded-for': options.ip } : {}) },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: await response.json(), retryAfter: response.headers.get('retry-after') }
}

/** A 429 with a whole-seconds Retry-After, repeated in the JSON error, and a message matching `pattern`. */
export function assertRefusal(answer: Answer, pattern: RegExp): void {
  assert.is(answer.status, 429)
  assert.is(answer.body.error.code, 'rate-limited')
  assert.match(answer.body.error.message, pattern)
  const wait = Number(answer.retryAfter)
  assert.ok(Number.isInteger(wait) && wait >= 1, `Retry-After is a whole number of seconds (got ${answer.retryAfter})`)
  assert.is(answer.body.error.retryAfterSeconds, wait)
}
