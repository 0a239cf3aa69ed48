/**
 * The tools the model may call, and the checks on what it sends. A model's arguments are
 * untrusted input (a customer may have talked it into anything): each is parsed with a schema
 * and anything else is ignored. Whatever it says, the bot can only reply, classify or hand over.
 */
import * as v from 'valibot'
import { DEFAULT_CATEGORIES, PRIORITIES } from '../protocol/index.ts'
import type { ToolCall, ToolSpec } from './model-client.ts'

export const REPLY_TOOL = 'reply'
export const ESCALATE_TOOL = 'escalate_to_human'
export const CLASSIFY_TOOL = 'classify'

const Confidence = v.pipe(v.number(), v.minValue(0), v.maxValue(1))
const ReplyArgs = v.object({
  text: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(8000)),
  sources: v.optional(v.array(v.string()), []),
  /** How sure the model is that the passages answer the question; below the workspace's threshold the bot hands over. */
  confidence: v.optional(Confidence),
})
const EscalateArgs = v.object({
  reason: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(1000)),
  priority: v.optional(v.picklist(PRIORITIES), 'normal'),
})
const ClassifyArgs = v.object({
  category: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)),
  priority: v.picklist(PRIORITIES),
  sentiment: v.picklist(['positive', 'neutral', 'negative']),
  language: v.pipe(v.string(), v.trim(), v.minLength(2), v.maxLength(16)),
  confidence: Confidence,
  reasoning: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(2000))),
})

export type ReplyArgs = v.InferOutput<typeof ReplyArgs>
export type EscalateArgs = v.InferOutput<typeof EscalateArgs>
export type ClassifyArgs = v.InferOutput<typeof ClassifyArgs>

/** The tools, with the classify tool's categories those of the workspace. */
export const botTools = (categories: readonly string[] = DEFAULT_CATEGORIES): ToolSpec[] => [
  {
    name: REPLY_TOOL,
    description: 'Send the customer your answer. Cite the ids of the help-center articles you used.',
    parameters: {
      type: 'object',
      properties: {
        text: { type: 'string', description: 'in the customer\'s language; Markdown (bold, lists, links) is allowed' }, sources: { type: 'array', items: { type: 'string' }, description: 'article ids, e.g. "k123"' },
        confidence: { type: 'number', minimum: 0, maximum: 1, description: 'how sure you are that the passages answer the question' },
      },
      required: ['text', 'confidence'],
    },
  },
  {
    name: ESCALATE_TOOL,
    description: 'Hand the conversation to a human agent: the customer asks for a person, the help center does not answer it, or staff must act.',
    parameters: { type: 'object', properties: { reason: { type: 'string' }, priority: { type: 'string', enum: [...PRIORITIES] } }, required: ['reason', 'priority'] },
  },
  {
    name: CLASSIFY_TOOL,
    description: 'Classify the conversation (once, on the first customer message).',
    parameters: {
      type: 'object',
      properties: {
        category: { type: 'string', enum: [...categories], description: 'one of the workspace\'s categories' }, priority: { type: 'string', enum: [...PRIORITIES] }, sentiment: { type: 'string', enum: ['positive', 'neutral', 'negative'] },
        language: { type: 'string', description: 'ISO 639-1 code' }, confidence: { type: 'number', minimum: 0, maximum: 1 },
        reasoning: { type: 'string', description: 'one sentence: why this category and priority' },
      },
      required: ['category', 'priority', 'sentiment', 'language', 'confidence', 'reasoning'],
    },
  },
]

export interface ToolUse { reply?: ReplyArgs; escalate?: EscalateArgs; classify?: ClassifyArgs; ignored: string[] }

export const BOT_TOOLS: ToolSpec[] = botTools()

/**
 * The first valid call of each known tool; everything else is listed as ignored, with why. A
 * classification into a category the workspace does not have is ignored too (the built-in
 * classifier then files the conversation).
 */
export function readToolCalls(calls: ToolCall[], categories: readonly string[] = DEFAULT_CATEGORIES): ToolUse {
  const use: ToolUse = { ignored: [] }
  for (const call of calls) {
    let args: unknown
    try { args = JSON.parse(call.arguments || '{}') } catch { use.ignored.push(`${call.name}: arguments are not JSON`); continue }
    const take = <S extends v.GenericSchema>(schema: S): v.InferOutput<S> | undefined => {
      const result = v.safeParse(schema, args)
      if (!result.success) use.ignored.push(`${call.name}: ${result.issues[0].message}`)
      return result.success ? result.output : undefined
    }
    if (call.name === REPLY_TOOL) use.reply ??= take(ReplyArgs)
    else if (call.name === ESCALATE_TOOL) use.escalate ??= take(EscalateArgs)
    else if (call.name === CLASSIFY_TOOL && !use.classify) {
      const classification = take(ClassifyArgs)
      if (classification && !categories.includes(classification.category.toLowerCase())) use.ignored.push(`${call.name}: "${classification.category}" is not one of the workspace's categories`)
      else if (classification) use.classify = { ...classification, category: classification.category.toLowerCase() }
    }
    else use.ignored.push(`${call.name}: not a tool the bot has`)
  }
  return use
}
