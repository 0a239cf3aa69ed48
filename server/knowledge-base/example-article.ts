/**
 * The article a fresh install starts with (issue 11): with none, the bot can only hand every
 * question to a person. It is marked as an example (its title, its tag, its source key, a badge
 * in the app) and explains what the knowledge base is for, so a first test question gets answered.
 */
import { createId } from '../../protocol/index.ts'
import type { Db } from '../../db/database.ts'
import { createArticle } from '../../db/article.repository.ts'

export const EXAMPLE_SOURCE_KEY = 'parley:example'

export const EXAMPLE_ARTICLE = {
  title: 'Example article: how the assistant answers from this knowledge base',
  tags: ['example'],
  body: `This is an example article. Parley added it on its first start so the assistant has something to answer from; edit it or delete it once your own articles are in.

## How does the assistant answer questions?

The assistant searches the articles of this knowledge base and replies with the passage that answers the customer's question, naming the article it comes from. When no article answers the question, or the customer asks for a person, it hands the conversation to your team.

## How do I add articles to the knowledge base?

- Open **Settings → Knowledge base** in the agent app.
- Choose **Import articles** and pick Markdown or HTML files, a zip of them, or a help-center export (Zendesk Guide or Intercom articles JSON).
- Or write one with **New article**.

Importing the same files again updates the articles it made before instead of adding copies.`,
}

/** Called once, by the first-run setup under its lock (`db` may be that lock's transaction). */
export async function seedExampleArticle(db: Db, workspaceId: string): Promise<void> {
  const { title, body, tags } = EXAMPLE_ARTICLE
  await createArticle(db, { id: createId('k'), workspace_id: workspaceId, title, body, tags: JSON.stringify(tags), source_key: EXAMPLE_SOURCE_KEY })
}
