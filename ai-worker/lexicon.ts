/**
 * Word lists of the built-in responder: stop words in English, German and Spanish, a help-desk
 * glossary that maps German and Spanish support vocabulary and common English variants onto
 * the words help-center articles use, and the phrases that always go to a person. These are
 * general help-desk lists (what a support team configures once), not tuned to any message.
 */

export const STOP_WORDS = new Set(`
a about above after again against all am an and any are aren as at be because been before being below between both but by
can cannot could couldn did didn do does doesn doing don down during each few for from further had hadn has hasn have haven
having he her here hers herself him himself his how i if in into is isn it its itself just let me more most my myself no nor
not of off on once only or other ought our ours ourselves out over own same shan she should so some such than that the their
theirs them themselves then there these they this those through to too under until up very was wasn we were weren what when
where which while who whom why will with won would you your yours yourself yourselves im ive id dont cant wont whats thats
hi hello hey please thanks thank pls plz also really just still already even yet ok okay like get got want need tried try
would could one two lot much many way thing things something anything someone everyone anyone every today tomorrow yesterday
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september
october november december morning evening tonight last next ago week day days go going know think see tell find use using used work works make able lumen help
der die das den dem des ein eine einen einem einer eines und oder aber ich du er sie es wir ihr mein meine meinen meinem
mich mir dich dir uns euch sich ist sind war waren bin bist hat habe haben hatte wird werden kann koennen kann muss nicht
kein keine mit von zu zum zur auf fuer an am im in aus bei nach ueber unter vor wie was wo wer warum wenn dass ob auch noch
nur schon sehr so da hier dort dann mehr alle alles hallo bitte danke guten tag mehr
el la los las un una unos unas y o pero yo tu el ella nosotros ellos mi mis me te se nos le les lo es son era fue ser estar
esta este esto estoy tengo tiene tienen hay que de del al a en con por para sin sobre como cuando donde quien porque si no
ya muy mas menos todo toda todos todas hola gracias puede puedo se tambien solo pero esa ese eso una uno
`.trim().split(/\s+/))

/**
 * Glossary: a word (already lower-cased, accents stripped) → the words help-center articles use.
 * German and Spanish support vocabulary, English spelling variants and everyday phrasings.
 */
export const GLOSSARY: Record<string, string> = {
  // German
  passwort: 'password', kennwort: 'password', vergessen: 'forgot', zuruecksetzen: 'reset', zurucksetzen: 'reset', konto: 'account',
  anmelden: 'sign in', anmeldung: 'sign in', einloggen: 'sign in', abmelden: 'sign out', rechnung: 'invoice', rechnungen: 'invoices',
  zahlung: 'payment', bezahlung: 'payment', kreditkarte: 'card', karte: 'card', preis: 'price', preise: 'pricing', kosten: 'price',
  kuendigen: 'cancel', kundigen: 'cancel', kuendigung: 'cancel', abo: 'subscription', abonnement: 'subscription', erstattung: 'refund',
  rueckerstattung: 'refund', ruckerstattung: 'refund', geld: 'money', exportieren: 'export', export: 'export', importieren: 'import',
  seite: 'page', seiten: 'pages', notiz: 'note', notizen: 'notes', geloescht: 'deleted', geloscht: 'deleted', loeschen: 'delete',
  loschen: 'delete', papierkorb: 'trash', wiederherstellen: 'restore', teilen: 'share', freigeben: 'share', berechtigung: 'permission',
  berechtigungen: 'permissions', mitglied: 'member', mitglieder: 'members', einladen: 'invite', entfernen: 'remove', kollegen: 'members',
  handy: 'phone', telefon: 'phone', code: 'code', codes: 'codes', zwei: 'two', faktor: 'factor', offline: 'offline', internet: 'internet',
  schluessel: 'key', schlussel: 'key', bilder: 'images', bild: 'image', arbeitsbereich: 'workspace', email: 'email', mail: 'email',
  // Spanish
  contrasena: 'password', clave: 'password', olvide: 'forgot', olvidado: 'forgot', restablecer: 'reset', recuperar: 'restore',
  cuenta: 'account', factura: 'invoice', facturas: 'invoices', pago: 'payment', tarjeta: 'card', precio: 'price', precios: 'pricing',
  cancelar: 'cancel', suscripcion: 'subscription', reembolso: 'refund', dinero: 'money', exportar: 'export', importar: 'import',
  pagina: 'page', paginas: 'pages', nota: 'note', notas: 'notes', borrado: 'deleted', borrada: 'deleted', eliminado: 'deleted',
  eliminada: 'deleted', borrar: 'delete', eliminar: 'delete', papelera: 'trash', compartir: 'share', permiso: 'permission', permisos: 'permissions',
  miembro: 'member', miembros: 'members', invitar: 'invite', quitar: 'remove', companeros: 'members', telefono: 'phone', movil: 'phone',
  imagenes: 'images', imagen: 'image', enlace: 'link', espacio: 'workspace', correo: 'email', sincronizar: 'sync',
  // English variants and everyday phrasings
  pasword: 'password', passwd: 'password', pwd: 'password', login: 'sign in', log: 'sign', signin: 'sign in',
  '2fa': 'two factor', mfa: 'two factor', otp: 'code', authenticator: 'authenticator two factor', totp: 'two factor',
  token: 'key', tokens: 'keys', colleagues: 'members', coworkers: 'members', teammates: 'members', employee: 'member', employees: 'members',
  staff: 'members', seat: 'seat', cost: 'price', costs: 'price', pricing: 'price', prices: 'price', refunded: 'refund', reimburse: 'refund', deleted: 'delete trash', accidently: 'accidentally', accidentaly: 'accidentally',
  erased: 'delete', removed: 'remove', notebooks: 'notebook notes', charged: 'charge', invoice: 'invoice', vat: 'vat', tax: 'tax', saml: 'sso saml', public: 'public publish', published: 'publish', renew: 'renewal', renews: 'renewal',
}

/** Phrases (after normalisation) that turn "A without B"-style wording into the article's word. */
export const PHRASES: [RegExp, string][] = [
  [/\bwithout (an )?(internet|connection|wifi|wi-fi|network)\b/g, 'offline'],
  [/\b(sin|ohne) (internet|conexion|verbindung)\b/g, 'offline'],
  [/\bno (internet|connection|wifi|signal)\b/g, 'offline'],
  [/\b(money back|refund me|reimburse me)\b/g, 'refund'],
  [/\bget (it|them|my \w+|the \w+) back\b/g, 'restore'],
  [/\btext me\b|\bsms\b|\btext message\b/g, 'sms'],
  [/\bhow much\b/g, 'price'],
  [/\bsign on\b/g, 'sso'],
  [/\bsingle sign\b/g, 'sso'],
  [/\btwo[- ]step\b|\btwo[- ]factor\b|\bzwei[- ]faktor\b|\bdos factores\b/g, 'two factor'],
  [/\bapi token\b/g, 'api key'],
  // Negation: what the customer says they do not use is not what they are asking about.
  [/\b(dont|do not|doesnt|does not|never) (use|have|own)( \w+){1,3}/g, ' '],
  [/\b(get|bring|add) (my |our |the |some |new )?(colleagues?|coworkers?|teammates?|team|people|users?|members?|staff|employees?) (in|into|to|onto)\b/g, 'invite members'],
]

/** Someone asking for a person: always handed over. */
export const HUMAN_REQUEST = [
  /\b(talk|speak|chat|write) (to|with) (a |an |some )?(real |actual |live )?(person|human|agent|someone|somebody|representative|rep|operator|staff|support)\b/,
  /\b(real|actual|live) (person|human|agent)\b/, /\bhuman (agent|being|support)\b/, /\bcustomer (service|support) (agent|rep|representative)\b/,
  /\b(mitarbeiter|mensch|menschen)\b/, /\bmit (einer|einem) (person|mitarbeiter)/, /\b(persona real|humano|agente)\b/, /\bhablar con (una persona|alguien)/,
  /\bthis bot\b.*\bnot help/, /\bstop (the )?bot\b/,
]

/**
 * Topics a help desk always routes to staff, whatever the knowledge base says: money
 * disputes, account security, legal and compliance, suspected data loss, contract terms.
 */
export const STAFF_TOPICS: { topic: string; priority: 'high' | 'normal'; patterns: RegExp[] }[] = [
  { topic: 'billing dispute', priority: 'high', patterns: [/\bcharged (twice|two times|double)\b/, /\b(double|duplicate|duplicated|unauthori[sz]ed|wrong) (charge|charges|payment|billing)\b/, /\bchargeback\b/, /\bdispute\b/, /\brefund(ed)? (all|everything|it all)\b/, /\ball of it refunded\b/, /\bdoppelt (abgebucht|belastet)\b/, /\bcobro (doble|duplicado)\b/] },
  { topic: 'account security', priority: 'high', patterns: [/\bhack(ed|er)?\b/, /\bcompromised\b/, /\b(someone|somebody) (got|get|logged|broke) (in|into)\b/, /\baccount takeover\b/, /\bsecurity (issue|hole|bug|problem|vulnerability)\b/, /\bvulnerabilit(y|ies)\b/, /\bexploit\b/, /\bxss\b/, /\bphishing\b/, /\bgehackt\b/, /\bhackeado\b/] },
  { topic: 'legal or compliance', priority: 'high', patterns: [/\bgdpr\b/, /\bdsgvo\b/, /\brgpd\b/, /\bhipaa\b/, /\bbaa\b/, /\bsubpoena\b/, /\blawyer\b/, /\blegal\b/, /\bdata processing agreement\b/, /\bdpa\b/, /\bpersonal data\b/, /\bsoc ?2\b/, /\biso ?27001\b/, /\bcompliance\b/] },
  { topic: 'suspected data loss', priority: 'high', patterns: [/\bbug\b/, /\bdata loss\b/, /\blost (all )?(my |our )?data\b/, /\b(disappeared|vanished)\b/, /\bjust gone\b/, /\bis gone\b/, /\bcorrupt(ed)?\b/] },
  { topic: 'hosting or contract terms', priority: 'normal', patterns: [/\bon[- ]?prem(ise|ises)?\b/, /\bself[- ]host(ed|ing)?\b/, /\bsla\b/, /\bcontract\b/, /\bprocurement\b/] },
]

/** A knowledge-base sentence that says staff must act: the bot hands over instead of answering. */
export const STAFF_ACTION = /\b(support must|support can|our team can|our team will|contact (lumen )?support|only [\w ]*support can|ask our \w+ team|on request|can't be done over chat)\b/

/** Customers' signals of urgency or frustration (sentiment and priority). */
export const NEGATIVE = /\b(angry|furious|terrible|awful|useless|ridiculous|unacceptable|worst|scam|disappointed|frustrat\w*|annoy\w*|broken|not helping|wtf|now!|asap|urgent|immediately|lose|losing|locked out)\b|!!|\?\?/
export const POSITIVE = /\b(thanks|thank you|great|awesome|love|perfect|excellent|danke|gracias|wonderful)\b/
