/** Job payloads for the bot queue (in-process or BullMQ). */
import * as v from 'valibot'

export const BOT_QUEUE = 'parley-bot'

export const BotJob = v.strictObject({
  kind: v.picklist(['reply', 'greet', 'suggest']),
  conversationId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/)),
  /** The trigger: the bot's reply id derives from it, so retries never reply twice. */
  messageId: v.pipe(v.string(), v.maxLength(80)),
  workspaceId: v.pipe(v.string(), v.maxLength(80)),
})
export type BotJob = v.InferOutput<typeof BotJob>

/** The bot reply to a trigger message always has this id: a second attempt finds it and stops. */
export const replyIdFor = (triggerMessageId: string): string => `bot-${triggerMessageId}`.slice(0, 80)
