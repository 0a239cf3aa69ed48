/**
 * The sentences of Parley's emails, in the catalogue form of `messages.ts` (placeholders are
 * `{name}`; a language we lack falls back to English). Emails to customers are in every
 * language of `CUSTOMER_EMAIL_LANGUAGES` (a missing one is a type error); emails to agents are in
 * English for now (the app's own language), and may gain translations key by key.
 */
import type { Language } from './messages.ts'

export const CUSTOMER_EMAIL_LANGUAGES = ['en', 'de', 'es', 'fr', 'pt'] as const
type CustomerLanguage = (typeof CUSTOMER_EMAIL_LANGUAGES)[number]
type ForCustomers = Record<CustomerLanguage, string> & Partial<Record<Language, string>>
type ForAgents = { en: string } & Partial<Record<Language, string>>

const CUSTOMER = {
  replySubject: {
    en: 'Re: your message to {workspace}', de: 'Re: Ihre Nachricht an {workspace}', es: 'Re: su mensaje a {workspace}',
    fr: 'Re : votre message à {workspace}', pt: 'Re: sua mensagem para {workspace}',
  },
  replyIntro: {
    en: '{agent} from {workspace} replied to your message:', de: '{agent} von {workspace} hat auf Ihre Nachricht geantwortet:',
    es: '{agent}, de {workspace}, respondió a su mensaje:', fr: '{agent}, de {workspace}, a répondu à votre message :',
    pt: '{agent}, de {workspace}, respondeu à sua mensagem:',
  },
  replyByEmail: {
    en: 'Reply to this email to answer: your reply goes to the same conversation.',
    de: 'Antworten Sie einfach auf diese E-Mail: Ihre Antwort landet im selben Gespräch.',
    es: 'Responda a este correo para contestar: su respuesta llega a la misma conversación.',
    fr: 'Répondez à cet e-mail pour continuer : votre réponse arrive dans la même conversation.',
    pt: 'Responda a este e-mail para continuar: sua resposta vai para a mesma conversa.',
  },
  replyOnSite: {
    en: 'To answer, open the chat on our website again.', de: 'Um zu antworten, öffnen Sie den Chat auf unserer Website erneut.',
    es: 'Para responder, vuelva a abrir el chat en nuestro sitio web.', fr: 'Pour répondre, rouvrez le chat sur notre site.',
    pt: 'Para responder, abra de novo o chat em nosso site.',
  },
  yourMessage: { en: 'Your message', de: 'Ihre Nachricht', es: 'Su mensaje', fr: 'Votre message', pt: 'Sua mensagem' },
  transcriptSubject: {
    en: 'Your conversation with {workspace}', de: 'Ihr Gespräch mit {workspace}', es: 'Su conversación con {workspace}',
    fr: 'Votre conversation avec {workspace}', pt: 'Sua conversa com {workspace}',
  },
  transcriptIntro: {
    en: 'Here is the transcript of your conversation with {workspace}, as you asked.',
    de: 'Hier ist, wie gewünscht, der Verlauf Ihres Gesprächs mit {workspace}.',
    es: 'Aquí tiene, como pidió, la transcripción de su conversación con {workspace}.',
    fr: 'Voici, comme demandé, la transcription de votre conversation avec {workspace}.',
    pt: 'Aqui está, como pediu, a transcrição da sua conversa com {workspace}.',
  },
  you: { en: 'You', de: 'Sie', es: 'Usted', fr: 'Vous', pt: 'Você' },
  attachment: { en: 'attachment', de: 'Anhang', es: 'adjunto', fr: 'pièce jointe', pt: 'anexo' },
} satisfies Record<string, ForCustomers>

const AGENT = {
  inviteSubject: { en: '{inviter} invited you to {workspace} on Parley' },
  inviteIntro: { en: '{inviter} invited you to join {workspace} as {role}. Choose your password to accept.' },
  inviteAction: { en: 'Accept the invitation' },
  inviteExpiry: { en: 'The link works once and expires on {expires}. If you did not expect it, ignore this email.' },
  resetSubject: { en: 'Reset your Parley password' },
  resetIntro: { en: 'Someone (hopefully you) asked to reset the password of your Parley account {email}.' },
  resetAction: { en: 'Choose a new password' },
  resetExpiry: { en: 'The link works once and expires on {expires}. If you did not ask, ignore this email: your password stays as it is.' },
  assignedSubject: { en: '[{workspace}] Assigned to you: {subject}' },
  assignedIntro: { en: 'A conversation with {customer} was assigned to you.' },
  customerRepliedSubject: { en: '[{workspace}] {customer} replied: {subject}' },
  customerRepliedIntro: { en: '{customer} replied while you were away:' },
  openConversation: { en: 'Open the conversation' },
  notificationFooter: { en: 'You get this email because of your notification settings in {workspace}. Change them under Settings → Notifications.' },
} satisfies Record<string, ForAgents>

export const EMAIL_MESSAGES = { ...CUSTOMER, ...AGENT }
export type EmailMessageKey = keyof typeof EMAIL_MESSAGES

/** A catalogue sentence of an email, in `language` (English when we lack it). */
export function emailMessage(key: EmailMessageKey, language: string | null | undefined, values: Record<string, string | number> = {}): string {
  const table = EMAIL_MESSAGES[key] as Record<string, string>
  const template = table[language ?? 'en'] ?? (table.en as string)
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
}

/** The customer-email language for a conversation's detected language (English when we lack it). */
export const customerEmailLanguage = (language: string | null | undefined): CustomerLanguage =>
  (CUSTOMER_EMAIL_LANGUAGES as readonly string[]).includes(language ?? '') ? (language as CustomerLanguage) : 'en'
