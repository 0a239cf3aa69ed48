/**
 * A real HTTP server that speaks the OpenAI chat-completions API (POST /v1/chat/completions,
 * SSE streaming with content and tool-call deltas), driven by a script per request. Tests
 * and benches point the real `openai` SDK at it; nothing in the bot knows it is not OpenAI.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ScriptedToolCall { name: string; arguments: Record<string, unknown> | string }

export interface Script {
  /** Content deltas, sent in order. */
  content?: string[]
  /** Tool calls; each call's arguments are streamed in `argumentChunks` pieces. */
  toolCalls?: ScriptedToolCall[]
  argumentChunks?: number
  /** Waited for after the first delta with text in it (lets a test look at a half-written reply). */
  pauseAfterFirst?: Promise<void>
  delayMs?: number
  /** Never answer (a model that times out). */
  hang?: boolean
  /** Answer with this HTTP error status. */
  status?: number
}

export interface ChatRequest { model: string; stream?: boolean; messages: { role: string; content: string }[]; tools?: { function: { name: string } }[] }

export interface OpenAiTestServer {
  baseUrl: string
  requests: ChatRequest[]
  close(): Promise<void>
}

export async function startOpenAiTestServer(script: (request: ChatRequest, index: number) => Script | Promise<Script>): Promise<OpenAiTestServer> {
  const requests: ChatRequest[] = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => { body += chunk })
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) { res.writeHead(404).end(); return }
      const request = JSON.parse(body) as ChatRequest
      requests.push(request)
      void Promise.resolve(script(request, requests.length - 1)).then((plan) => answer(res, request, plan)).catch((error) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ error: { message: String(error), type: 'server_error' } }))
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

async function answer(res: http.ServerResponse, request: ChatRequest, plan: Script): Promise<void> {
  if (plan.hang) return
  if (plan.status) {
    res.writeHead(plan.status, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: { message: 'scripted failure', type: 'server_error' } }))
    return
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
  const id = `chatcmpl-${Math.random().toString(36).slice(2)}`
  const created = Math.floor(Date.now() / 1000)
  const send = (delta: Record<string, unknown>, finish: string | null = null) =>
    res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: request.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`)
  const deltas: Record<string, unknown>[] = [{ role: 'assistant', content: '' }]
  for (const piece of plan.content ?? []) deltas.push({ content: piece })
  ;(plan.toolCalls ?? []).forEach((call, index) => {
    const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments)
    const pieces = Math.max(1, plan.argumentChunks ?? 1)
    const size = Math.ceil(args.length / pieces) || 1
    deltas.push({ tool_calls: [{ index, id: `call_${index}`, type: 'function', function: { name: call.name, arguments: '' } }] })
    for (let at = 0; at < args.length; at += size) deltas.push({ tool_calls: [{ index, function: { arguments: args.slice(at, at + size) } }] })
  })
  let first = true
  for (const delta of deltas) {
    if (res.destroyed) return
    send(delta)
    const visible = Boolean(delta.content) || Boolean((delta.tool_calls as { function?: { arguments?: string } }[] | undefined)?.[0]?.function?.arguments)
    if (first && visible) { first = false; if (plan.pauseAfterFirst) await plan.pauseAfterFirst }
    if (plan.delayMs) await new Promise((r) => setTimeout(r, plan.delayMs))
  }
  send({}, plan.toolCalls?.length ? 'tool_calls' : 'stop')
  res.end('data: [DONE]\n\n')
}
