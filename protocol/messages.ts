/**
 * The fixed sentences Parley itself sends to customers (the bot's greeting, the handover, the
 * queue position, the clarifying question, "nobody is available"...), in every language the
 * bot understands. One typed catalogue: a missing translation is a type error. Filled in by the
 * same mechanism as the widget's and the agent app's catalogues (`i18n.ts`): `{name}`
 * placeholders, ICU plurals.
 */
import { formatMessage, type MessageValues } from './i18n.ts'

export const LANGUAGES = ['en', 'de', 'es', 'fr', 'pt', 'it', 'nl', 'pl'] as const
export type Language = (typeof LANGUAGES)[number]

export type MessageKey =
  | 'greeting' | 'greetingReply' | 'thanksReply' | 'handover' | 'queuePosition' | 'nobodyAvailable'
  | 'clarify' | 'clarifyOptions' | 'answerIntro' | 'answerOutro' | 'followUp'

type Catalogue = Record<MessageKey, Record<Language, string>>

export const MESSAGES: Catalogue = {
  greeting: {
    en: 'Hi! I am the support assistant. Ask me anything, or ask for a person at any time.',
    de: 'Hallo! Ich bin der Support-Assistent. Fragen Sie mich etwas, oder verlangen Sie jederzeit einen Menschen.',
    es: '¡Hola! Soy el asistente de soporte. Pregúnteme lo que quiera, o pida hablar con una persona en cualquier momento.',
    fr: 'Bonjour ! Je suis l’assistant du support. Posez-moi votre question, ou demandez une personne à tout moment.',
    pt: 'Olá! Sou o assistente de suporte. Pergunte o que quiser, ou peça para falar com uma pessoa a qualquer momento.',
    it: 'Ciao! Sono l’assistente del supporto. Chiedimi pure, oppure chiedi di parlare con una persona in qualsiasi momento.',
    nl: 'Hallo! Ik ben de support-assistent. Stel gerust je vraag, of vraag op elk moment om een medewerker.',
    pl: 'Dzień dobry! Jestem asystentem wsparcia. Proszę pytać śmiało albo w każdej chwili poprosić o rozmowę z człowiekiem.',
  },
  greetingReply: {
    en: 'Hello! How can I help you today?',
    de: 'Hallo! Wie kann ich Ihnen helfen?',
    es: '¡Hola! ¿En qué puedo ayudarle?',
    fr: 'Bonjour ! Comment puis-je vous aider ?',
    pt: 'Olá! Como posso ajudar?',
    it: 'Ciao! Come posso aiutarti?',
    nl: 'Hallo! Waarmee kan ik je helpen?',
    pl: 'Dzień dobry! W czym mogę pomóc?',
  },
  thanksReply: {
    en: 'Glad I could help! Is there anything else I can do for you?',
    de: 'Gern geschehen! Kann ich sonst noch etwas für Sie tun?',
    es: '¡Con gusto! ¿Hay algo más en lo que pueda ayudarle?',
    fr: 'Avec plaisir ! Puis-je vous aider pour autre chose ?',
    pt: 'Por nada! Posso ajudar em mais alguma coisa?',
    it: 'Prego! Posso aiutarti in qualcos’altro?',
    nl: 'Graag gedaan! Kan ik je nog ergens anders mee helpen?',
    pl: 'Cieszę się, że mogłem pomóc! Czy mogę pomóc w czymś jeszcze?',
  },
  handover: {
    en: 'I’m handing this conversation to a person from our team; they will reply here.',
    de: 'Ich übergebe dieses Gespräch an eine Person aus unserem Team; sie antwortet Ihnen hier.',
    es: 'Paso esta conversación a una persona de nuestro equipo; le responderá aquí.',
    fr: 'Je transmets cette conversation à une personne de notre équipe ; elle vous répondra ici.',
    pt: 'Vou passar esta conversa para uma pessoa da nossa equipe; ela responderá aqui.',
    it: 'Passo questa conversazione a una persona del nostro team; ti risponderà qui.',
    nl: 'Ik geef dit gesprek door aan iemand van ons team; die antwoordt je hier.',
    pl: 'Przekazuję tę rozmowę osobie z naszego zespołu; odpowie tutaj.',
  },
  queuePosition: {
    en: 'You are number {position} in the queue.',
    de: 'Sie sind Nummer {position} in der Warteschlange.',
    es: 'Usted es el número {position} en la cola.',
    fr: 'Vous êtes numéro {position} dans la file d’attente.',
    pt: 'Você é o número {position} na fila.',
    it: 'Sei il numero {position} in coda.',
    nl: 'Je bent nummer {position} in de wachtrij.',
    pl: 'Jesteś numerem {position} w kolejce.',
  },
  nobodyAvailable: {
    en: 'Nobody from our team is available right now. Leave your email and we will get back to you.',
    de: 'Gerade ist niemand aus unserem Team erreichbar. Hinterlassen Sie Ihre E-Mail-Adresse, wir melden uns.',
    es: 'Ahora mismo no hay nadie de nuestro equipo disponible. Deje su correo y le responderemos.',
    fr: 'Personne de notre équipe n’est disponible pour le moment. Laissez votre e-mail et nous vous répondrons.',
    pt: 'Ninguém da nossa equipe está disponível agora. Deixe seu e-mail e entraremos em contato.',
    it: 'Al momento nessuno del nostro team è disponibile. Lascia la tua email e ti ricontatteremo.',
    nl: 'Er is nu niemand van ons team beschikbaar. Laat je e-mailadres achter, dan nemen we contact op.',
    pl: 'Nikt z naszego zespołu nie jest teraz dostępny. Zostaw swój e-mail, a odezwiemy się.',
  },
  clarify: {
    en: 'I want to make sure I point you to the right answer.',
    de: 'Ich möchte sichergehen, dass ich Ihnen die richtige Antwort gebe.',
    es: 'Quiero asegurarme de darle la respuesta correcta.',
    fr: 'Je veux être sûr de vous donner la bonne réponse.',
    pt: 'Quero ter certeza de indicar a resposta certa.',
    it: 'Voglio essere sicuro di darti la risposta giusta.',
    nl: 'Ik wil zeker weten dat ik je het juiste antwoord geef.',
    pl: 'Chcę mieć pewność, że wskażę właściwą odpowiedź.',
  },
  clarifyOptions: {
    en: 'Is your question about {options}? A few more details help, or ask for a person at any time.',
    de: 'Geht es um {options}? Ein paar Details mehr helfen, oder verlangen Sie jederzeit einen Menschen.',
    es: '¿Su pregunta es sobre {options}? Unos detalles más ayudan, o pida una persona en cualquier momento.',
    fr: 'Votre question porte-t-elle sur {options} ? Quelques détails de plus aident, ou demandez une personne à tout moment.',
    pt: 'Sua pergunta é sobre {options}? Mais alguns detalhes ajudam, ou peça uma pessoa a qualquer momento.',
    it: 'La tua domanda riguarda {options}? Qualche dettaglio in più aiuta, oppure chiedi una persona in qualsiasi momento.',
    nl: 'Gaat je vraag over {options}? Een paar details meer helpen, of vraag op elk moment om een medewerker.',
    pl: 'Czy pytanie dotyczy {options}? Kilka szczegółów więcej pomoże; można też w każdej chwili poprosić o człowieka.',
  },
  answerIntro: {
    en: 'I found this in our help center, in "{title}":',
    de: 'Das habe ich in unserem Hilfe-Center gefunden, in „{title}“:',
    es: 'Encontré esto en nuestro centro de ayuda, en "{title}":',
    fr: 'J’ai trouvé ceci dans notre centre d’aide, dans « {title} » :',
    pt: 'Encontrei isto na nossa central de ajuda, em "{title}":',
    it: 'Ho trovato questo nel nostro centro assistenza, in "{title}":',
    nl: 'Dit vond ik in ons helpcentrum, in "{title}":',
    pl: 'Znalazłem to w naszym centrum pomocy, w „{title}”:',
  },
  answerOutro: {
    en: 'Does that answer your question? If not, just ask for a person.',
    de: 'Beantwortet das Ihre Frage? Wenn nicht, verlangen Sie einfach einen Menschen.',
    es: '¿Responde esto a su pregunta? Si no, pida hablar con una persona.',
    fr: 'Cela répond-il à votre question ? Sinon, demandez simplement une personne.',
    pt: 'Isso responde à sua pergunta? Se não, é só pedir uma pessoa.',
    it: 'Risponde alla tua domanda? Altrimenti chiedi pure una persona.',
    nl: 'Beantwoordt dit je vraag? Zo niet, vraag dan gewoon om een medewerker.',
    pl: 'Czy to odpowiada na pytanie? Jeśli nie, wystarczy poprosić o człowieka.',
  },
  followUp: {
    en: 'The article is in English; a person from our team can help in your language.',
    de: 'Der Artikel ist auf Englisch; eine Person aus unserem Team hilft gern auf Deutsch.',
    es: 'El artículo está en inglés; una persona de nuestro equipo puede ayudarle en español.',
    fr: 'L’article est en anglais ; une personne de notre équipe peut vous aider en français.',
    pt: 'O artigo está em inglês; uma pessoa da nossa equipe pode ajudar em português.',
    it: 'L’articolo è in inglese; una persona del nostro team può aiutarti in italiano.',
    nl: 'Het artikel is in het Engels; iemand van ons team helpt je graag in het Nederlands.',
    pl: 'Artykuł jest po angielsku; osoba z naszego zespołu pomoże po polsku.',
  },
}

/** A catalogue sentence in a language (English when the language is not one we have). */
export function message(key: MessageKey, language: string | null | undefined, values: MessageValues = {}): string {
  const table = MESSAGES[key] as Record<string, string>
  const known = language && language in table ? language : 'en'
  return formatMessage(table[known]!, values, known)
}

/** Whether a text starts with a catalogue sentence in any language (e.g. the bot's clarifying question). */
export function startsWithMessage(text: string, key: MessageKey): boolean {
  return Object.values(MESSAGES[key]).some((sentence) => text.startsWith(sentence.split('{')[0] as string))
}
