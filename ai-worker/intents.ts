/**
 * What a message is, before anything is looked up: small talk, a request for a person, or a
 * topic staff must handle (a disputed charge, an account takeover, a legal threat, data loss,
 * a bug). General rules in every supported language, applied whatever language was detected
 * (a misdetected short message must still reach a person). The rules combine word classes
 * ("someone" + "changed" + "my") rather than listing sentences, so new wording still matches.
 * Text is normalised first: lower case, no accents, French/Italian elisions split.
 */
import type { Priority } from '../protocol/index.ts'
import { DOMAIN_WORDS } from './concepts.ts'
import { normalize, words, type Language } from './language.ts'

export type Intent =
  | { kind: 'greeting' }
  | { kind: 'thanks' }
  | { kind: 'person'; indirect: boolean }
  | { kind: 'staff'; topic: StaffTopic; priority: Priority }
  | { kind: 'question' }

export type StaffTopic = 'billing dispute' | 'account security' | 'legal or compliance' | 'suspected data loss' | 'bug report' | 'hosting or contract terms'

const any = (...alternatives: string[]) => new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${alternatives.join('|')})`, 'u')

/** Asking to be put in touch: a verb of talking or contacting... */
const TALK = any('talk', 'speak', 'chat (to|with)', 'contact', 'reach (you|someone|somebody|support|an?)', 'call (you|me|us|someone|somebody|support|an?)', 'transfer me', 'connect me', 'put me through', 'escalat',
  'sprech', 'reden', 'chatten', 'kontakt', 'erreich', 'verbind', 'anruf', 'hablar', 'comunicar', 'contactar', 'llamar', 'parler', 'contacter', 'joindre', 'appeler', 'discuter',
  'passe[zr]? moi', 'mettez moi en relation', 'pasame', 'pasa me', 'comuniqueme', 'me passa', 'me transfira', 'transferir', 'mi passi', 'passami', 'verbind me', 'doorverbind',
  'przelacz', 'polacz mnie', 'falar', 'conversar', 'contatar', 'ligar para', 'parlare', 'contattare', 'chiamare', 'praten', 'spreken', 'bellen', 'rozmawia', 'porozmawia', 'rozmow', 'skontaktow', 'zadzwoni')
/** ... and a person to be put in touch with. */
const SOMEONE = any('person', 'human', 'agent', 'someone', 'somebody', 'anyone', 'representative', 'rep\\b', 'operator', 'staff', 'support', 'manager',
  'mensch', 'mitarbeiter', 'jemand', 'berater', 'persona', 'humano', 'alguien', 'asesor', 'operador', 'soporte', 'personne', 'humain', 'quelquun', 'conseiller',
  'operateur', 'pessoa', 'alguem', 'atendente', 'suporte', 'umano', 'qualcuno', 'operatore', 'assistenza', 'consulente', 'persoon', 'mens\\b', 'iemand',
  'medewerker', 'osob', 'czlowiek', 'konsultant', 'ktos', 'kims', 'pracownik')
/** A person asked for outright, whatever the verb. */
const PERSON_OUTRIGHT = any('humans?\\b', '(real|actual|live) (person|human|agent)', 'live agent', 'human being', 'customer (service|care)', 'representative',
  'einem? mensch', 'echte[nm]? (person|mensch)', 'persona real', 'humano\\b', 'humain\\b', 'umano\\b', 'vraie personne', 'un humain', 'pessoa real', 'atendente', 'persona (vera|reale)',
  'operatore', 'echte? (persoon|mens)', 'czlowiek', 'konsultant')
/** Indirect: checking whether anyone is there, saying the bot does not help, asking for a phone line. */
const PERSON_INDIRECT = any('(is|are) (there )?(any ?one|any ?body|someone|somebody) (there|here|around|real|available|alive)', 'any ?(one|body) (there|here|home|around)',
  // "Is this a bot?": whoever asks that wants to know whether a person is there.
  '(is (this|it)|are you|am i (talking|chatting) (to|with)) (a |an |just a )?(bot|robot|machine|ai)\\b', '(sind sie|bist du|ist das) (nur )?(ein|eine) (bot|roboter|maschine|ki)\\b',
  '(eres|es esto|es) (un )?(bot|robot|maquina)\\b', '(etes vous|vous etes|es tu|tu es|c est) un (bot|robot)\\b', '(voce e|e) um (bot|robo)\\b', '(sei|e) un (bot|robot)\\b',
  '(ben je|is dit) een (bot|robot)\\b', '(czy )?(jestes|to) (botem|robotem|bot)\\b',
  'useless', 'not help(ing|ful)', '(doesnt|does not|didnt|did not) help', 'no help', 'waste of time', 'pointless', 'are you (a )?(bot|robot|real|human)', 'phone number', 'call me',
  'ist (da|hier) (jemand|wer)', 'nutzlos', 'sinnlos', 'hilft (mir )?(nicht|nichts|kein)', 'bringt (mir |uns )?(nichts|gar nichts)', 'bist du ein (bot|roboter)', 'telefonnummer', 'ruf\\w* mich',
  'hay alguien', 'inutil', 'no (me )?(sirve|ayuda)', 'eres un (bot|robot)', 'llamenme', 'llameme',
  'y a (t )?(il )?quelquun', 'quelquun (est )?la', 'sert a rien', 'm?aide pas', '(etes|es) vous un (bot|robot)', 'numero de telephone', 'appelez moi',
  '(tem|ha) alguem', 'alguem (ai|aqui|ai)', 'nao (me )?(ajuda|serve)', 'e um (bot|robo)', 'me liga',
  'ce qualcuno', 'non (mi )?(serve|aiuta)', 'sei un (bot|robot)', 'numero di telefono', 'chiamatemi',
  'is (er|daar) iemand', 'nutteloos', 'helpt (me |mij )?niet', 'ben je een (bot|robot)', 'telefoonnummer', 'bel me',
  '(jest )?(tu|tam) ktos', 'ktos (jest )?(tu|tam)', 'bezuzyteczn', 'do niczego', 'nie pomaga', 'jestes (botem|robotem)', 'numer telefonu')

/** A charge that happened ... */
const CHARGED = any('charg(ed|ing)', 'billed', 'debited', 'took (my |the )?money', 'abgebucht', 'abbuchung', 'belastet', 'berechnet', 'abgezogen',
  'cobr', 'cargaron', 'cargo', 'preleve', 'prelevement', 'debite', 'facture', 'cobrado', 'cobraram', 'cobranca', 'debitado', 'addebit', 'prelevat',
  'afgeschreven', 'afschrijving', 'gefactureerd', 'in rekening', 'obciaz', 'pobran', 'pobral', 'pobrali')
/** ... that the customer disputes. */
const DISPUTED = any('twice', 'double', 'duplicate', 'two times', 'again', 'still', 'after (i |we )?(had )?cancel', 'unauthori[sz]', 'authori[sz]e', 'wrong', 'overcharg', 'fraud', 'scam',
  'refund', 'money back', 'never (agreed|signed|ordered|asked)', 'without (my )?(permission|consent)',
  'zweimal', 'doppelt', 'nach (der |meiner )?kundig', 'gekundigt', 'ohne (meine )?zustimmung', 'unberechtigt', 'falsch', 'betrug', 'geld zuruck', 'erstatt',
  'dos veces', 'doble', 'duplicad', '(despues de|tras) (cancelar|anular)', 'cancele', 'autoriz', 'fraude', 'estafa', 'reembols', 'devuel',
  'deux fois', 'apres (avoir )?(annule|resilie)', 'annule', 'autoris', 'arnaque', 'contest', 'rembours',
  'duas vezes', 'depois de cancelar', 'cancelei', 'estorn', 'due volte', 'doppi', 'dopo (aver )?(disdetto|annullato|cancellato)', 'disdetto', 'truffa', 'rimbors',
  'twee keer', 'dubbel', 'na (het )?opzeggen', 'opgezegd', 'zonder toestemming', 'onterecht', 'oplichting', 'terugbetal', 'geld terug',
  'dwa razy', 'podwojn', 'po anulow', 'anulowal', 'bez (mojej )?zgody', 'nieautoryz', 'oszust', 'reklamac', 'zwrot')
const DISPUTE_OUTRIGHT = any('chargeback', 'dispute', 'ruckbuchung', 'contracargo', 'contestar (el |la |o |a )?(cobr|cargo)', 'contester', 'betwist', 'reklamacj')

const SECURITY_OUTRIGHT = any('hack', 'compromis', 'compromet', 'comprometid', 'kompromittiert', 'phishing', 'pirat', 'wlamal', 'wlamanie', 'account takeover',
  'stolen account', 'security (issue|hole|bug|problem|flaw)', 'vulnerab', 'exploit', 'xss', 'sicherheitslucke', 'faille', 'kwetsbaarheid', 'luka w zabezpiecz', 'suspicious (login|sign|activity|email)', 'unknown (login|device)', '(wasnt|was not|not) me', 'nicht ich', 'no fui yo', 'ce netait pas moi', 'nao fui eu',
  'non sono stato io', 'niet ik', 'to nie ja', 'unauthori[sz]ed (access|login)', 'verdachtig', 'sospech', 'suspeit', 'sospett', 'podejrzan')
const SOMEONE_ELSE = any('someone', 'somebody', 'stranger', 'jemand', 'alguien', 'quelquun', 'alguem', 'qualcuno', 'iemand', 'ktos')
const TOOK_OVER = any('changed', 'reset', 'accessed', 'logged (in|into)', 'got in', 'broke in', 'using my', 'geandert', 'zuruckgesetzt', 'eingeloggt', 'zugegriffen',
  'cambi', 'entro', 'accedio', 'change', 'modifie', 'connecte', 'mudou', 'alterou', 'trocou', 'entrou', 'acessou', 'modificat', 'entrat', 'accedut',
  'gewijzigd', 'veranderd', 'ingelogd', 'zmienil', 'zalogowal')
const MINE = any('my', 'mein', 'mi', 'mon', 'ma', 'mes', 'meu', 'minha', 'mio', 'mia', 'mijn', 'moj', 'moje', 'moja', 'moim', 'moich')

const LEGAL = any('lawyer', 'attorney', 'legal action', 'sue\\b', 'suing', 'lawsuit', 'court', 'gdpr', 'dsgvo', 'rgpd', 'lgpd', 'avg\\b', 'subpoena', 'data processing agreement', 'dpa\\b',
  'anwalt', 'klage', 'verklag', 'gericht', 'rechtliche schritte', 'abmahnung', 'abogado', 'demanda', 'tribunal', 'accion legal', 'denuncia', 'avocat', 'poursuite', 'plainte',
  'mise en demeure', 'en justice', 'advogado', 'processar', 'procon', 'acao judicial', 'avvocat', 'tribunale', 'azione legale', 'causa legale', 'diffida',
  'advocaat', 'rechtszaak', 'rechter', 'aanklagen', 'juridische', 'prawnik', 'adwokat', 'pozew', 'do sadu', 'sadow')

const LOST = any('deleted', 'lost', 'wiped', 'gone', 'disappeared', 'vanished', 'erased', 'geloscht', 'verloren', 'weg\\b', 'verschwunden', 'borr', 'elimin', 'perd',
  'desaparec', 'supprim', 'disparu', 'efface', 'exclu', 'apag', 'sumi', 'cancellat', 'pers[oia]\\b', 'spari', 'scompars', 'verwijderd', 'kwijt', 'verdwenen',
  'usun', 'stracil', 'znikn', 'przepad')
const EVERYTHING = any('whole', 'entire', 'everything', 'all (of )?(my|our|the) (data|pages|notes|work|content)', 'workspace', 'data loss',
  'ganze', 'gesamte', 'alles', 'alle (meine|unsere)', 'arbeitsbereich', 'daten', 'todo', 'toda', 'todos', 'espacio de trabajo', 'datos', 'tout', 'toutes', 'tous', 'entier',
  'espace de travail', 'donnees', 'tudo', 'espaco de trabalho', 'dados', 'tutto', 'tutti', 'tutte', 'intero', 'spazio di lavoro', 'dati', 'hele', 'gehele', 'werkruimte', 'gegevens',
  'wszystk', 'cal[aey]\\b', 'przestrzen', 'dane')
const CONTRACT = any('on[- ]?prem', 'self[- ]?host', 'sla\\b', 'contract', 'procurement', 'vertrag', 'contrato', 'contrat', 'contratto', 'umow', 'eigen server', 'servidor propio', 'propre serveur')
const BUG = any('bug', 'crash', 'bogue', 'absturz', 'sturzt', 'plante', 'si blocca', 'se cuelga', 'trava', 'kaputt', 'broken', 'glitch', 'zawiesza', 'awaria')

const GREETING = new Set(normalizeAll('hi hello hey hiya howdy yo morning afternoon evening good hallo servus moin guten tag morgen abend gruss gott hola buenos buenas dias tardes noches bonjour salut bonsoir coucou ola oi bom boa dia tarde noite ciao salve buongiorno buonasera hoi goedemorgen goedemiddag goedenavond goeiedag dag czesc dzien dobry witam witaj hej wieczor there team all everyone'))
const THANKS = new Set(normalizeAll('thanks thank thx ty cheers danke dankeschon gracias merci obrigado obrigada valeu grazie bedankt dank dankjewel bedankt dziekuje dzieki'))
const OK = new Set(normalizeAll('ok okay oke okey k kk cool great perfect awesome nice got it alright fine good super perfekt alles klar vale perfecto genial parfait daccord perfeito beleza perfetto va bene prima top mooi swietnie dobrze jasne'))
const FILLER = new Set(normalizeAll('that this it was is so very much a lot you for the your help helped helpful works worked again now all of vielen viel sehr fur die hilfe muchas mil por la ayuda beaucoup pour votre aide muito pela ajuda mille per laiuto wel je voor de hulp bardzo za pomoc and und y et e en i'))

function normalizeAll(list: string): string[] { return list.split(/\s+/).map(normalize) }

/** Greetings and thanks per language: what a one-word message's language is recognised by. */
export const SMALL_TALK_CUES: Record<Language, ReadonlySet<string>> = {
  en: new Set(normalizeAll('hi hello hey thanks thank thx cheers okay')),
  de: new Set(normalizeAll('hallo danke dankeschön moin servus guten morgen abend tschüss')),
  es: new Set(normalizeAll('hola gracias buenos buenas días vale adiós')),
  fr: new Set(normalizeAll('bonjour salut merci bonsoir coucou daccord')),
  pt: new Set(normalizeAll('olá oi obrigado obrigada valeu bom boa dia tchau')),
  it: new Set(normalizeAll('ciao grazie buongiorno buonasera salve')),
  nl: new Set(normalizeAll('hallo hoi bedankt dankjewel goedemorgen goedemiddag goedenavond')),
  pl: new Set(normalizeAll('cześć dziękuję dzięki dzień dobry witam')),
}

/** Normalised, with French and Italian elisions ("l'abonnement", "c'è") split into words. */
export function normalizeForIntent(text: string): string {
  // Hyphens join words in French questions ("passez-moi", "y a-t-il"): they count as spaces.
  return normalize(text.replace(/\b(l|d|j|c|qu|n|s|m|t|un|dell|all|nell|sull)['’](?=\p{L})/giu, '$1 ')).replace(/(?<=\p{L})-(?=\p{L})/gu, ' ')
}

const isDomainWord = (w: string) => w.length >= 4 && [...DOMAIN_WORDS].some((d) => d.length >= 4 && w.startsWith(d))

export function intentOf(text: string): Intent {
  const n = normalizeForIntent(text)
  const tokens = words(n)
  if (SECURITY_OUTRIGHT.test(n) || (SOMEONE_ELSE.test(n) && TOOK_OVER.test(n) && MINE.test(n))) return { kind: 'staff', topic: 'account security', priority: 'high' }
  if (DISPUTE_OUTRIGHT.test(n) || (CHARGED.test(n) && DISPUTED.test(n))) return { kind: 'staff', topic: 'billing dispute', priority: 'high' }
  if (LEGAL.test(n)) return { kind: 'staff', topic: 'legal or compliance', priority: 'high' }
  if (LOST.test(n) && EVERYTHING.test(n)) return { kind: 'staff', topic: 'suspected data loss', priority: 'high' }
  if (PERSON_OUTRIGHT.test(n) || (TALK.test(n) && SOMEONE.test(n))) return { kind: 'person', indirect: false }
  if (PERSON_INDIRECT.test(n)) return { kind: 'person', indirect: true }
  if (CONTRACT.test(n)) return { kind: 'staff', topic: 'hosting or contract terms', priority: 'normal' }
  if (BUG.test(n)) return { kind: 'staff', topic: 'bug report', priority: 'normal' }
  // Small talk: short, no question, nothing but greeting / thanks words and filler.
  if (tokens.length > 0 && tokens.length <= 8 && !text.includes('?') && !tokens.some((w) => isDomainWord(w) && !GREETING.has(w) && !THANKS.has(w) && !OK.has(w))) {
    const rest = tokens.filter((w) => !FILLER.has(w))
    if (rest.some((w) => THANKS.has(w)) || (rest.length > 0 && rest.every((w) => OK.has(w)))) return { kind: 'thanks' }
    if (rest.length > 0 && rest.every((w) => GREETING.has(w) || OK.has(w))) return { kind: 'greeting' }
  }
  return { kind: 'question' }
}

const ANGRY = any('angry', 'furious', 'terrible', 'awful', 'useless', 'ridiculous', 'unacceptable', 'worst', 'scam', 'disappointed', 'frustrat', 'annoy', 'wtf', 'asap', 'urgent',
  'immediately', 'wutend', 'sauer', 'unverschamt', 'frechheit', 'dringend', 'sofort', 'nutzlos', 'enfadad', 'furioso', 'inaceptable', 'urgente', 'inutil', 'verguenza',
  'furieux', 'inacceptable', 'scandal', 'immediatement', 'inutile', 'irritad', 'absurd', 'inaceitavel', 'pessim', 'arrabbiat', 'inaccettabile', 'vergogna', 'subito',
  'boos', 'woedend', 'onacceptabel', 'belachelijk', 'meteen', 'nutteloos', 'schandalig', 'wsciek', 'skandal', 'pilne', 'natychmiast', 'bezuzyteczn')
const HAPPY = any('thanks', 'thank you', 'great', 'awesome', 'love', 'perfect', 'excellent', 'danke', 'gracias', 'merci', 'obrigad', 'grazie', 'bedankt', 'dziekuje', 'wonderful', 'super')

export function sentimentOf(text: string): 'positive' | 'neutral' | 'negative' {
  const n = normalizeForIntent(text)
  // Shouting: several words in capitals (acronyms such as API or VAT are short).
  const shouting = (text.match(/\b\p{Lu}{4,}\b/gu) ?? []).length >= 2
  if (ANGRY.test(n) || shouting || /!!|\?\?/.test(text)) return 'negative'
  return HAPPY.test(n) ? 'positive' : 'neutral'
}
