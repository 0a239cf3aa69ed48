/**
 * The seam to the language model: one streaming chat completion with tools. `OpenAiClient`
 * speaks to any OpenAI-compatible endpoint through the `openai` SDK; tests and benches point
 * it at a real local HTTP server that speaks the same API (openai-test-server.ts).
 */
import type OpenAI from 'openai'
import { extractPartialString } from './partial-json.ts'

export interface ChatTurn { role: 'system' | 'user' | 'assistant'; content: string }

export interface ToolSpec { name: string; description: string; parameters: Record<string, unknown> }

export interface ToolCall { name: string; arguments: string }

export interface ModelRequest {
  messages: ChatTurn[]
  tools: ToolSpec[]
  signal: AbortSignal
  /** Visible reply text as it streams: plain content, or the `text` argument of `streamTool`. */
  onText(delta: string): void
  /** The tool whose `text` argument is streamed to `onText` as it arrives. */
  streamTool?: string
}

export interface ModelResult { text: string; toolCalls: ToolCall[] }

export interface LlmClient {
  readonly model: string
  complete(request: ModelRequest): Promise<ModelResult>
}

/** The model did not answer in time or failed; the job is retried, then escalated. */
export class ModelUnavailableError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message)
    this.name = 'ModelUnavailableError'
  }
}

export interface OpenAiClientOptions { apiKey: string | null; baseUrl: string | null; model: string; timeoutMs: number }

export class OpenAiClient implements LlmClient {
  readonly model: string
  private clientPromise: Promise<OpenAI> | null = null
  private readonly timeoutMs: number

  constructor(private readonly options: OpenAiClientOptions) {
    this.model = options.model
    this.timeoutMs = options.timeoutMs
  }

  /** The SDK is loaded on first use: a desk that never calls a model does not carry it in memory. */
  private client(): Promise<OpenAI> {
    this.clientPromise ??= import('openai').then(({ default: OpenAI }) =>
      // Retries belong to the job queue (with backoff, then escalation), not to the SDK.
      new OpenAI({ apiKey: this.options.apiKey ?? 'not-needed', baseURL: this.options.baseUrl ?? undefined, maxRetries: 0, timeout: this.options.timeoutMs }))
    return this.clientPromise
  }

  async complete(request: ModelRequest): Promise<ModelResult> {
    // The SDK's timeout covers the response headers; a stream that stalls mid-way is cut by
    // this idle timer, which restarts with every chunk.
    const abort = new AbortController()
    const onOuterAbort = () => abort.abort(request.signal.reason)
    request.signal.addEventListener('abort', onOuterAbort)
    let timedOut = false
    let timer = setTimeout(() => { timedOut = true; abort.abort() }, this.timeoutMs)
    const touch = () => { clearTimeout(timer); timer = setTimeout(() => { timedOut = true; abort.abort() }, this.timeoutMs) }
    let text = ''
    const calls: { name: string; arguments: string; streamed: number }[] = []
    try {
      const stream = await (await this.client()).chat.completions.create({
        model: this.model,
        stream: true,
        messages: request.messages,
        ...(request.tools.length > 0 ? { tools: request.tools.map((tool) => ({ type: 'function' as const, function: tool })) } : {}),
      }, { signal: abort.signal })
      for await (const chunk of stream) {
        touch()
        const delta = chunk.choices[0]?.delta
        if (!delta) continue
        if (delta.content) {
          text += delta.content
          request.onText(delta.content)
        }
        for (const part of delta.tool_calls ?? []) {
          const call = (calls[part.index] ??= { name: '', arguments: '', streamed: 0 })
          if (part.function?.name) call.name += part.function.name
          if (part.function?.arguments) call.arguments += part.function.arguments
          if (request.streamTool && call.name === request.streamTool) {
            const visible = extractPartialString(call.arguments, 'text')
            if (visible.length > call.streamed) {
              request.onText(visible.slice(call.streamed))
              call.streamed = visible.length
            }
          }
        }
      }
    } catch (error) {
      if (request.signal.aborted) throw error
      throw new ModelUnavailableError(timedOut ? `the model did not answer within ${this.timeoutMs} ms` : `the model failed: ${(error as Error).message}`, error)
    } finally {
      clearTimeout(timer)
      request.signal.removeEventListener('abort', onOuterAbort)
    }
    return { text, toolCalls: calls.filter((call) => call.name).map(({ name, arguments: args }) => ({ name, arguments: args })) }
  }
}
