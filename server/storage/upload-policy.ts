/**
 * What a conversation accepts as a file, wherever it comes from (the widget's and the app's
 * uploads, attachments of an emailed reply): at most the widget's `maxAttachmentBytes`, and no
 * programs. Files are served to browsers as downloads (or inline images) with a sandboxing CSP,
 * so an HTML or SVG file cannot run as a page of ours; programs and scripts are refused outright
 * because an agent who opens one runs it on their own machine.
 */
import { getWidget, listWidgets } from '../../db/widget.repository.ts'
import type { Conversation } from '../../db/tables.ts'
import { DEFAULT_WIDGET, publicWidget } from '../http/widgets.routes.ts'
import type { Services } from '../services.ts'

const MIME = /^[\w.+-]+\/[\w.+-]+$/
const PROGRAM_EXTENSIONS = new Set([
  'exe', 'msi', 'msp', 'bat', 'cmd', 'com', 'scr', 'pif', 'cpl', 'dll', 'sys', 'vbs', 'vbe', 'js', 'jse', 'mjs', 'wsf', 'wsh', 'ws', 'hta',
  'ps1', 'psm1', 'reg', 'lnk', 'inf', 'jar', 'apk', 'app', 'sh', 'command', 'scpt', 'gadget', 'msc', 'appref-ms', 'xll', 'iso', 'img',
])
const PROGRAM_TYPES = new Set([
  'application/x-msdownload', 'application/x-msdos-program', 'application/x-dosexec', 'application/x-executable', 'application/x-ms-installer',
  'application/x-msi', 'application/vnd.microsoft.portable-executable', 'application/x-sh', 'application/x-csh', 'application/java-archive',
  'application/x-java-archive', 'application/vnd.android.package-archive', 'application/javascript', 'text/javascript', 'application/x-bat',
  'application/hta', 'application/x-ms-shortcut', 'application/x-iso9660-image',
])

export type UploadRefusal = { reason: 'too-big'; limit: number } | { reason: 'forbidden-type'; type: string }

/** The file's type as we store it: the declared one when it is a MIME type, else octet-stream. */
export const storedContentType = (declared: string | null | undefined): string => {
  const type = (declared ?? '').split(';')[0]!.trim().toLowerCase()
  return MIME.test(type) ? type : 'application/octet-stream'
}

/** Why a file may not be attached (null: it may). `size` is checked only when known. */
export function refuseUpload(file: { name: string; contentType: string; size?: number }, maxBytes: number): UploadRefusal | null {
  const extension = /\.([A-Za-z0-9-]{1,12})$/.exec(file.name.trim())?.[1]?.toLowerCase()
  if (extension && PROGRAM_EXTENSIONS.has(extension)) return { reason: 'forbidden-type', type: `.${extension}` }
  if (PROGRAM_TYPES.has(file.contentType)) return { reason: 'forbidden-type', type: file.contentType }
  if (file.size !== undefined && file.size > maxBytes) return { reason: 'too-big', limit: maxBytes }
  return null
}

/** The largest file the conversation takes: its widget's setting (the workspace's first widget when it came by API). */
export async function maxUploadBytes(services: Services, conversation: Conversation): Promise<number> {
  const widget = conversation.widget_id ? await getWidget(services.db, conversation.workspace_id, conversation.widget_id) : (await listWidgets(services.db, conversation.workspace_id))[0]
  return widget ? publicWidget(widget).maxAttachmentBytes : DEFAULT_WIDGET.maxAttachmentBytes
}
