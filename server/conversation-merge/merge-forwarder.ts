/**
 * The Hocuspocus side of conversation merges: every change of a conversation document is shown
 * to the merge service, which carries over what reaches a merged-away conversation and keeps a
 * fresh survivor in time order (conversation-merge.ts). A map lookup per change otherwise.
 * Only changes made on this instance count: with several, each carries over what it received.
 */
import type { Extension, onChangePayload } from '@hocuspocus/server'
import type { ConversationMerge } from './conversation-merge.ts'

export class MergeForwarderExtension implements Extension {
  priority = 300
  extensionName = 'parley-merge-forwarder'

  constructor(private readonly merges: () => ConversationMerge | undefined) {}

  async onChange({ documentName, document, transactionOrigin }: onChangePayload): Promise<void> {
    // A change another instance made reaches this one through Redis; that instance carries it over
    // (two instances carrying one message at once could give it two places).
    if ((transactionOrigin as { source?: string } | undefined)?.source === 'redis') return
    this.merges()?.noticeChange(documentName, document)
  }
}
