/**
 * The Hocuspocus side of conversation merges: every change of a conversation document is shown
 * to the merge service, which carries over what reaches a merged-away conversation and keeps a
 * fresh survivor in time order (conversation-merge.ts). A map lookup per change otherwise.
 */
import type { Extension, onChangePayload } from '@hocuspocus/server'
import type { ConversationMerge } from './conversation-merge.ts'

export class MergeForwarderExtension implements Extension {
  priority = 300
  extensionName = 'parley-merge-forwarder'

  constructor(private readonly merges: () => ConversationMerge | undefined) {}

  async onChange({ documentName, document }: onChangePayload): Promise<void> {
    this.merges()?.noticeChange(documentName, document)
  }
}
