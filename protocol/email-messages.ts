/**
 * The sentences of Parley's emails, in the catalogue form of `messages.ts` (placeholders are
 * `{name}`; a language we lack falls back to English). Every sentence is in every language of
 * `CUSTOMER_EMAIL_LANGUAGES` (a missing one is a type error): customers read them in their
 * conversation's language, agents in their own (server/email/agent-language.ts), which are the
 * agent app's five.
 */
import type { Language } from './messages.ts'

export const CUSTOMER_EMAIL_LANGUAGES = ['en', 'de', 'es', 'fr', 'pt'] as const
export type EmailLanguage = (typeof CUSTOMER_EMAIL_LANGUAGES)[number]
type CustomerLanguage = EmailLanguage
type ForEveryone = Record<CustomerLanguage, string> & Partial<Record<Language, string>>

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
  /** An emailed reply's file that did not become an attachment, said in the message instead. */
  notImportedTooBig: {
    en: '[attachment not imported: {name}, {size}: over the limit of {limit}]', de: '[Anhang nicht übernommen: {name}, {size}: über der Grenze von {limit}]',
    es: '[adjunto no importado: {name}, {size}: supera el límite de {limit}]', fr: '[pièce jointe non importée : {name}, {size} : au-delà de la limite de {limit}]',
    pt: '[anexo não importado: {name}, {size}: acima do limite de {limit}]',
  },
  notImportedType: {
    en: '[attachment not imported: {name}: files of this type ({type}) are not accepted]', de: '[Anhang nicht übernommen: {name}: Dateien dieses Typs ({type}) werden nicht angenommen]',
    es: '[adjunto no importado: {name}: no se aceptan archivos de este tipo ({type})]', fr: '[pièce jointe non importée : {name} : les fichiers de ce type ({type}) ne sont pas acceptés]',
    pt: '[anexo não importado: {name}: arquivos deste tipo ({type}) não são aceitos]',
  },
  notImportedTooMany: {
    en: '[attachment not imported: {name}: a message carries at most {max} files]', de: '[Anhang nicht übernommen: {name}: Eine Nachricht trägt höchstens {max} Dateien]',
    es: '[adjunto no importado: {name}: un mensaje lleva como máximo {max} archivos]', fr: '[pièce jointe non importée : {name} : un message porte au plus {max} fichiers]',
    pt: '[anexo não importado: {name}: uma mensagem leva no máximo {max} arquivos]',
  },
} satisfies Record<string, ForEveryone>

const AGENT = {
  inviteSubject: {
    en: '{inviter} invited you to {workspace} on Parley', de: '{inviter} hat Sie zu {workspace} auf Parley eingeladen', es: '{inviter} le invitó a {workspace} en Parley',
    fr: '{inviter} vous invite à rejoindre {workspace} sur Parley', pt: '{inviter} convidou você para {workspace} no Parley',
  },
  inviteIntro: {
    en: '{inviter} invited you to join {workspace} as {role}. Choose your password to accept.',
    de: '{inviter} hat Sie eingeladen, {workspace} als {role} beizutreten. Wählen Sie Ihr Passwort, um die Einladung anzunehmen.',
    es: '{inviter} le invitó a unirse a {workspace} como {role}. Elija su contraseña para aceptar.',
    fr: '{inviter} vous invite à rejoindre {workspace} en tant que {role}. Choisissez votre mot de passe pour accepter.',
    pt: '{inviter} convidou você para entrar em {workspace} como {role}. Escolha sua senha para aceitar.',
  },
  inviteAction: { en: 'Accept the invitation', de: 'Einladung annehmen', es: 'Aceptar la invitación', fr: 'Accepter l’invitation', pt: 'Aceitar o convite' },
  inviteExpiry: {
    en: 'The link works once and expires on {expires}. If you did not expect it, ignore this email.',
    de: 'Der Link funktioniert einmal und läuft am {expires} ab. Wenn Sie ihn nicht erwartet haben, ignorieren Sie diese E-Mail.',
    es: 'El enlace funciona una vez y caduca el {expires}. Si no lo esperaba, ignore este correo.',
    fr: 'Le lien fonctionne une fois et expire le {expires}. Si vous ne l’attendiez pas, ignorez cet e-mail.',
    pt: 'O link funciona uma vez e expira em {expires}. Se você não esperava por ele, ignore este e-mail.',
  },
  roleAdmin: { en: 'an admin', de: 'Admin', es: 'administrador', fr: 'administrateur', pt: 'administrador' },
  roleAgent: { en: 'an agent', de: 'Agent', es: 'agente', fr: 'agent', pt: 'agente' },
  roleViewer: { en: 'a viewer', de: 'Betrachter', es: 'observador', fr: 'observateur', pt: 'observador' },
  resetSubject: { en: 'Reset your Parley password', de: 'Ihr Parley-Passwort zurücksetzen', es: 'Restablezca su contraseña de Parley', fr: 'Réinitialisez votre mot de passe Parley', pt: 'Redefina sua senha do Parley' },
  resetIntro: {
    en: 'Someone (hopefully you) asked to reset the password of your Parley account {email}.',
    de: 'Jemand (hoffentlich Sie) hat verlangt, das Passwort Ihres Parley-Kontos {email} zurückzusetzen.',
    es: 'Alguien (esperamos que usted) pidió restablecer la contraseña de su cuenta de Parley {email}.',
    fr: 'Quelqu’un (vous, espérons-le) a demandé à réinitialiser le mot de passe de votre compte Parley {email}.',
    pt: 'Alguém (esperamos que você) pediu para redefinir a senha da sua conta do Parley {email}.',
  },
  resetAction: { en: 'Choose a new password', de: 'Neues Passwort wählen', es: 'Elegir una contraseña nueva', fr: 'Choisir un nouveau mot de passe', pt: 'Escolher uma nova senha' },
  resetExpiry: {
    en: 'The link works once and expires on {expires}. If you did not ask, ignore this email: your password stays as it is.',
    de: 'Der Link funktioniert einmal und läuft am {expires} ab. Wenn Sie das nicht verlangt haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt, wie es ist.',
    es: 'El enlace funciona una vez y caduca el {expires}. Si no lo pidió, ignore este correo: su contraseña no cambia.',
    fr: 'Le lien fonctionne une fois et expire le {expires}. Si vous n’avez rien demandé, ignorez cet e-mail : votre mot de passe reste le même.',
    pt: 'O link funciona uma vez e expira em {expires}. Se você não pediu, ignore este e-mail: sua senha continua a mesma.',
  },
  assignedSubject: {
    en: '[{workspace}] Assigned to you: {subject}', de: '[{workspace}] Ihnen zugewiesen: {subject}', es: '[{workspace}] Asignada a usted: {subject}',
    fr: '[{workspace}] Attribuée à vous : {subject}', pt: '[{workspace}] Atribuída a você: {subject}',
  },
  assignedIntro: {
    en: 'A conversation with {customer} was assigned to you.', de: 'Ein Gespräch mit {customer} wurde Ihnen zugewiesen.', es: 'Se le asignó una conversación con {customer}.',
    fr: 'Une conversation avec {customer} vous a été attribuée.', pt: 'Uma conversa com {customer} foi atribuída a você.',
  },
  customerRepliedSubject: {
    en: '[{workspace}] {customer} replied: {subject}', de: '[{workspace}] {customer} hat geantwortet: {subject}', es: '[{workspace}] {customer} respondió: {subject}',
    fr: '[{workspace}] {customer} a répondu : {subject}', pt: '[{workspace}] {customer} respondeu: {subject}',
  },
  customerRepliedIntro: {
    en: '{customer} replied while you were away:', de: '{customer} hat geantwortet, während Sie abwesend waren:', es: '{customer} respondió mientras estaba ausente:',
    fr: '{customer} a répondu pendant votre absence :', pt: '{customer} respondeu enquanto você estava ausente:',
  },
  slaSubject: {
    en: '[{workspace}] SLA about to breach: {subject}', de: '[{workspace}] SLA läuft bald ab: {subject}', es: '[{workspace}] SLA a punto de incumplirse: {subject}',
    fr: '[{workspace}] SLA bientôt dépassé : {subject}', pt: '[{workspace}] SLA prestes a estourar: {subject}',
  },
  slaFirstResponse: {
    en: 'The conversation with {customer} needs its first reply by {due} ({minutes} min left).',
    de: 'Das Gespräch mit {customer} braucht bis {due} eine erste Antwort (noch {minutes} Min.).',
    es: 'La conversación con {customer} necesita su primera respuesta antes de {due} (quedan {minutes} min).',
    fr: 'La conversation avec {customer} attend sa première réponse avant {due} (encore {minutes} min).',
    pt: 'A conversa com {customer} precisa da primeira resposta até {due} (faltam {minutes} min).',
  },
  slaResolution: {
    en: 'The conversation with {customer} is due to be resolved by {due} ({minutes} min left).',
    de: 'Das Gespräch mit {customer} soll bis {due} gelöst sein (noch {minutes} Min.).',
    es: 'La conversación con {customer} debe resolverse antes de {due} (quedan {minutes} min).',
    fr: 'La conversation avec {customer} doit être résolue avant {due} (encore {minutes} min).',
    pt: 'A conversa com {customer} deve ser resolvida até {due} (faltam {minutes} min).',
  },
  slaUnassigned: {
    en: 'Nobody has taken it yet.', de: 'Noch niemand hat es übernommen.', es: 'Nadie la ha tomado todavía.', fr: 'Personne ne l’a encore prise.', pt: 'Ninguém a assumiu ainda.',
  },
  openConversation: { en: 'Open the conversation', de: 'Gespräch öffnen', es: 'Abrir la conversación', fr: 'Ouvrir la conversation', pt: 'Abrir a conversa' },
  notificationFooter: {
    en: 'You get this email because of your notification settings in {workspace}. Change them under Your account → Notification emails.',
    de: 'Sie erhalten diese E-Mail wegen Ihrer Benachrichtigungseinstellungen in {workspace}. Ändern Sie sie unter Ihr Konto → Benachrichtigungs-E-Mails.',
    es: 'Recibe este correo por su configuración de notificaciones en {workspace}. Cámbiela en Su cuenta → Correos de notificación.',
    fr: 'Vous recevez cet e-mail en raison de vos réglages de notification dans {workspace}. Modifiez-les dans Votre compte → E-mails de notification.',
    pt: 'Você recebe este e-mail por causa das suas configurações de notificação em {workspace}. Altere-as em Sua conta → E-mails de notificação.',
  },
  signupSubject: {
    en: 'Confirm your email to create {workspace} on Parley', de: 'Bestätigen Sie Ihre E-Mail, um {workspace} auf Parley zu erstellen', es: 'Confirme su correo para crear {workspace} en Parley',
    fr: 'Confirmez votre e-mail pour créer {workspace} sur Parley', pt: 'Confirme seu e-mail para criar {workspace} no Parley',
  },
  signupIntro: {
    en: 'Someone (hopefully you) signed up for Parley as {email} to create the workspace {workspace}. Confirm your email and choose your password to finish.',
    de: 'Jemand (hoffentlich Sie) hat sich als {email} bei Parley angemeldet, um den Arbeitsbereich {workspace} zu erstellen. Bestätigen Sie Ihre E-Mail und wählen Sie Ihr Passwort, um abzuschließen.',
    es: 'Alguien (esperamos que usted) se registró en Parley como {email} para crear el espacio de trabajo {workspace}. Confirme su correo y elija su contraseña para terminar.',
    fr: 'Quelqu’un (vous, espérons-le) s’est inscrit sur Parley avec {email} pour créer l’espace de travail {workspace}. Confirmez votre e-mail et choisissez votre mot de passe pour terminer.',
    pt: 'Alguém (esperamos que você) se cadastrou no Parley como {email} para criar o espaço de trabalho {workspace}. Confirme seu e-mail e escolha sua senha para concluir.',
  },
  signupAction: { en: 'Confirm and create the workspace', de: 'Bestätigen und Arbeitsbereich erstellen', es: 'Confirmar y crear el espacio de trabajo', fr: 'Confirmer et créer l’espace de travail', pt: 'Confirmar e criar o espaço de trabalho' },
  signupExpiry: {
    en: 'The link works once and expires on {expires}. If you did not sign up, ignore this email: nothing is created.',
    de: 'Der Link funktioniert einmal und läuft am {expires} ab. Wenn Sie sich nicht angemeldet haben, ignorieren Sie diese E-Mail: Es wird nichts erstellt.',
    es: 'El enlace funciona una vez y caduca el {expires}. Si no se registró, ignore este correo: no se crea nada.',
    fr: 'Le lien fonctionne une fois et expire le {expires}. Si vous ne vous êtes pas inscrit, ignorez cet e-mail : rien n’est créé.',
    pt: 'O link funciona uma vez e expira em {expires}. Se você não se cadastrou, ignore este e-mail: nada é criado.',
  },
  accountExistsSubject: { en: 'You already have a Parley account', de: 'Sie haben bereits ein Parley-Konto', es: 'Ya tiene una cuenta de Parley', fr: 'Vous avez déjà un compte Parley', pt: 'Você já tem uma conta do Parley' },
  accountExistsIntro: {
    en: 'Someone (hopefully you) tried to sign up for Parley as {email}, but this email already has an account. Sign in instead: you can create another workspace from the app.',
    de: 'Jemand (hoffentlich Sie) wollte sich als {email} bei Parley anmelden, aber für diese E-Mail gibt es bereits ein Konto. Melden Sie sich stattdessen an: In der App können Sie einen weiteren Arbeitsbereich erstellen.',
    es: 'Alguien (esperamos que usted) intentó registrarse en Parley como {email}, pero este correo ya tiene una cuenta. Inicie sesión: puede crear otro espacio de trabajo desde la aplicación.',
    fr: 'Quelqu’un (vous, espérons-le) a essayé de s’inscrire sur Parley avec {email}, mais cet e-mail a déjà un compte. Connectez-vous plutôt : vous pouvez créer un autre espace de travail depuis l’application.',
    pt: 'Alguém (esperamos que você) tentou se cadastrar no Parley como {email}, mas este e-mail já tem uma conta. Entre com ela: você pode criar outro espaço de trabalho pelo aplicativo.',
  },
  accountExistsAction: { en: 'Sign in', de: 'Anmelden', es: 'Iniciar sesión', fr: 'Se connecter', pt: 'Entrar' },
  accountExistsFooter: {
    en: 'Forgot your password? Reset it from the sign-in page. If it was not you, ignore this email: nothing changed.',
    de: 'Passwort vergessen? Setzen Sie es auf der Anmeldeseite zurück. Wenn Sie es nicht waren, ignorieren Sie diese E-Mail: Es hat sich nichts geändert.',
    es: '¿Olvidó su contraseña? Restablézcala desde la página de inicio de sesión. Si no fue usted, ignore este correo: nada cambió.',
    fr: 'Mot de passe oublié ? Réinitialisez-le depuis la page de connexion. Si ce n’était pas vous, ignorez cet e-mail : rien n’a changé.',
    pt: 'Esqueceu a senha? Redefina-a na página de entrada. Se não foi você, ignore este e-mail: nada mudou.',
  },
} satisfies Record<string, ForEveryone>

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
