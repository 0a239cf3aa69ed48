/**
 * A small multilingual lexicon of customer-support vocabulary: per language, the start of a
 * word (normalised: lower case, no accents) or a short phrase, and the English word(s) it
 * means. Questions and articles both pass through it, so a Polish "hasło" and an English
 * article's "password" meet on the same term, whichever language the knowledge base is in.
 * It is general help-desk vocabulary (accounts, billing, content, access, integrations), the
 * list a support team would keep for any SaaS product, not phrases of any message.
 */
import type { Language } from './language.ts'

const RAW: Record<Language, string> = {
  en: `pasword|passwd|pwd=password; login|log in|logon|signin=sign in; logout|log out=sign out; 2fa|mfa|totp|two step|two-step|2 factor=two factor;
    otp=code; token=key; colleague|coworker|co-worker|teammate|employee|staff=member; pricing|cost=price; how much=price; reimburs=refund; money back=refund;
    erase=delete; undelet|recover|undo=restore; get back=restore; wifi|wi-fi|no internet|without internet|no connection|airplane|plane|flight=offline;
    single sign|sign on|saml=sso; bill=billing; receipt=invoice; subscri=subscription; renew=renewal`,
  de: `passwort|kennwort=password; zurucksetz|zuruckgesetzt=reset; vergess=forgot; konto=account; anmeld|einlogg|eingelogg=sign in; abmeld|auslogg=sign out;
    rechnung|beleg|quittung=invoice; zahlung|bezahl=payment; kreditkart|karte=card; preis|kostet|kosten=price; kostenlos|gratis=free; tarif=plan; abonnement|abo=subscription;
    kundig|stornier=cancel; ruckerstatt|erstatt|geld zuruck=refund; abbuch|abgebucht|belast=charge; exportier=export; importier=import; seite=page; notiz=note;
    losch|geloscht=delete; papierkorb=trash; wiederherstell|wiederhergestell=restore; teilen|geteilt|freigeb=share; berechtig=permission; mitglied=member;
    einlad|eingeladen=invite; entfern=remove; kolleg=member; arbeitsbereich=workspace; handy|telefon=phone; zwei faktor|zweifaktor|zwei-faktor=two factor;
    authentifizier=authentication; synchronis=sync; schlussel=key; offentlich=public; veroffentlich=publish; bild=image; datei=file; steuer=tax; ust|mwst|umsatzsteuer=vat;
    adresse=address; firma|unternehmen=company; rolle=role; verbind=connect; kanal=channel; zertifikat=certificate; verlauf=history; sicherungscod=backup code;
    herunterlad=download; hochlad=upload; speicher=storage; jahrlich=annual; monatlich=monthly; ohne internet|ohne verbindung=offline`,
  es: `contrasena|clave=password; restablec|resete=reset; olvid=forgot; cuenta=account; iniciar sesion|inicio de sesion|acceder=sign in; cerrar sesion=sign out;
    correo=email; factura|recibo=invoice; pago|pagar=payment; tarjeta=card; precio|cuesta|costo|coste=price; gratis|gratuito=free; suscripcion=subscription;
    cancel|anular|dar de baja=cancel; reembols|devolucion=refund; cobr=charge; export=export; import=import; pagina=page; nota=note; borr|elimin=delete;
    papelera=trash; recuper|restaur=restore; compart=share; permiso=permission; miembro=member; invit=invite; quitar=remove; companer|colega=member;
    equipo=team; espacio de trabajo=workspace; telefono|movil=phone; codigo=code; dos factores|doble factor|dos pasos=two factor; autenticacion=authentication;
    sin conexion|sin internet=offline; sincroniz=sync; enlace=link; public=publish; imagen=image; archivo=file; impuesto=tax; iva=vat; direccion=address;
    empresa=company; conect=connect; canal=channel; dominio=domain; certificado=certificate; historial=history; descarg=download; subir=upload;
    almacenamiento=storage; anual=annual; mensual=monthly`,
  fr: `mot de passe|mdp=password; reinitialis=reset; oubli=forgot; compte=account; se connecter|connexion|identifi=sign in; deconnect=sign out; courriel=email;
    factur|recu=invoice; paiement|payer=payment; carte=card; prix|tarif|coute|cout=price; gratuit=free; forfait|formule=plan; abonnement=subscription;
    annul|resili=cancel; rembours=refund; prelev|debit=charge; exporter=export; importer=import; supprim|efface=delete; corbeille=trash; restaur|recuper=restore;
    partag=share; droit=permission; membre=member; invit=invite; retirer=remove; collegue=member; equipe=team; espace de travail=workspace;
    telephone|portable=phone; deux facteurs|double authentification|deux etapes=two factor; authentification=authentication; hors ligne|sans connexion|sans internet=offline;
    synchronis=sync; cle=key; lien=link; publi=publish; fichier=file; taxe=tax; tva=vat; adresse=address; entreprise|societe=company; connect=connect;
    domaine=domain; certificat=certificate; historique=history; telecharg=download; stockage=storage; annuel=annual; mensuel=monthly`,
  pt: `senha=password; redefin|resetar=reset; esquec=forgot; conta=account; entrar|acessar=sign in; sair=sign out; fatura|recibo=invoice; pagamento|pagar=payment;
    cartao=card; preco|custa|custo=price; gratis|gratuito=free; plano=plan; assinatura=subscription; cancel=cancel; reembols|estorno=refund; cobr=charge;
    export=export; import=import; pagina=page; nota=note; exclu|apag=delete; lixeira=trash; restaur|recuper=restore; compartilh=share; permiss=permission;
    membro=member; convid=invite; remov=remove; colega=member; equipe=team; espaco de trabalho=workspace; telefone|celular=phone; codigo=code;
    dois fatores|duas etapas=two factor; autenticacao=authentication; sem internet|sem conexao=offline; sincroniz=sync; chave=key; public=publish; imagem=image;
    arquivo=file; imposto=tax; endereco=address; empresa=company; conect=connect; dominio=domain; certificado=certificate; historico=history;
    armazenamento=storage; anual=annual; mensal=monthly`,
  it: `reimposta|resetta=reset; dimentic=forgot; accedere|accesso=sign in; disconnett=sign out; fattur|ricevut=invoice; pagament|pagare=payment; carta=card;
    prezz|costa|costo=price; gratis|gratuit=free; piano=plan; abbonament=subscription; disdi|annull|disattiv=cancel; rimbors=refund; addebit=charge; esport=export;
    import=import; pagin=page; elimin|cancellat=delete; cestino=trash; ripristin|recuper=restore; condivi=share; permess=permission; membr=member; invit=invite;
    rimuov=remove; collegh=member; colleg=connect; squadra=team; spazio di lavoro=workspace; telefono|cellulare=phone; codice=code; due fattori|due passaggi=two factor;
    autenticazione=authentication; senza connessione|senza internet=offline; sincronizz=sync; chiave=key; pubblic=publish; immagin=image; tasse=tax; iva=vat;
    indirizzo=address; azienda=company; ruolo=role; canale=channel; certificat=certificate; cronologia=history; scaric=download; archiviazione=storage;
    annual=annual; mensil=monthly`,
  nl: `wachtwoord=password; herstel=restore; vergeten=forgot; inlog|aanmeld=sign in; uitlog=sign out; factu|bonnetje=invoice; betal=payment; kaart=card;
    prijs|kost=price; gratis=free; abonnement=subscription; opzeg|annuleer=cancel; terugbetal|geld terug=refund; afgeschreven|afschrijving=charge; exporteer=export;
    importeer=import; pagina=page; notitie=note; verwijder=delete; prullenbak=trash; terugzet|terughal=restore; delen|deel=share; toestemming|rechten=permission;
    leden|lid=member; uitnodig|nodig=invite; collega=member; werkruimte=workspace; telefoon=phone; tweestaps|twee factor|tweefactor=two factor;
    authenticatie=authentication; zonder internet|zonder verbinding=offline; synchronis=sync; sleutel=key; openbaar=public; publiceer=publish;
    afbeelding=image; bestand=file; belasting=tax; btw=vat; adres=address; bedrijf=company; koppel|verbind=connect; kanaal=channel; domein=domain;
    certificaat=certificate; geschiedenis=history; opslag=storage; jaarlijks=annual; maandelijks=monthly`,
  pl: `haslo|hasla|hasel=password; resetow|zresetow=reset; zapomnial=forgot; konto|konta=account; zaloguj|logowan=sign in; wyloguj=sign out; faktur|paragon=invoice;
    platnos|zaplac|oplat=payment; karta|karty|karte=card; cena|ceny|cennik|kosztuj|koszt=price; darmow|bezplatn=free; subskrypc|abonament=subscription;
    anulow|rezygn=cancel; zwrot=refund; obciaz|pobral=charge; eksport|wyeksport=export; import|zaimport=import; stron=page; notat=note; usun=delete; kosz=trash;
    przywroc|przywrac|odzyska=restore; udostep=share; uprawnien=permission; czlon=member; zapros=invite; zespol=team; przestrzen robocz=workspace;
    telefon=phone; kod=code; dwuskladnik|dwuetap=two factor; uwierzytelnian=authentication; bez internetu|bez polaczenia=offline; synchroniz=sync; klucz=key;
    lacze=link; publiczn=public; opublik=publish; obraz|zdjec=image; plik=file; podatek=tax; adres=address; firma|firmy=company; rola=role; polacz=connect;
    kanal=channel; domen=domain; certyfikat=certificate; histori=history; pobierz=download; przechowywan=storage; roczn=annual; miesieczn=monthly`,
}

export interface ConceptEntry { key: string; english: string[] }

/** Per language: phrases (several words) and word starts, longest first so "collegh" wins over "colleg". */
export const CONCEPTS: Record<Language, { phrases: ConceptEntry[]; prefixes: ConceptEntry[] }> = Object.fromEntries(
  (Object.entries(RAW) as [Language, string][]).map(([language, raw]) => {
    const entries: ConceptEntry[] = []
    for (const rule of raw.split(';')) {
      const [keys, english] = rule.split('=').map((s) => s.trim()) as [string, string]
      for (const key of keys.split('|')) entries.push({ key: key.trim(), english: english.split(' ') })
    }
    const byLength = (a: ConceptEntry, b: ConceptEntry) => b.key.length - a.key.length
    return [language, { phrases: entries.filter((e) => /[\s-]/.test(e.key)).sort(byLength), prefixes: entries.filter((e) => !/[\s-]/.test(e.key)).sort(byLength) }]
  }),
) as Record<Language, { phrases: ConceptEntry[]; prefixes: ConceptEntry[] }>

/** Every word the lexicon knows (keys and English targets): never treated as a stop word. */
export const DOMAIN_WORDS: ReadonlySet<string> = new Set(
  Object.values(CONCEPTS).flatMap(({ phrases, prefixes }) => [...phrases, ...prefixes].flatMap((e) => [e.key, ...e.english])),
)

/** Per language, the words of its lexicon: evidence for language detection. */
export const CONCEPT_CUES: Record<Language, ReadonlySet<string>> = Object.fromEntries(
  (Object.entries(CONCEPTS) as [Language, (typeof CONCEPTS)[Language]][]).map(([l, { prefixes }]) => [l, new Set(prefixes.filter((e) => e.key.length >= 4).map((e) => e.key))]),
) as unknown as Record<Language, ReadonlySet<string>>

/** The English words a word means, trying its language first and then the others (long keys only). */
export function conceptOf(word: string, language: Language): string[] | null {
  const own = CONCEPTS[language].prefixes.find((e) => matches(word, e.key))
  if (own) return own.english
  // English is the knowledge base's usual language: its words are not reinterpreted as another's.
  if (language === 'en') return null
  for (const other of Object.keys(CONCEPTS) as Language[]) {
    if (other === language) continue
    const found = CONCEPTS[other].prefixes.find((e) => e.key.length >= 5 && matches(word, e.key))
    if (found) return found.english
  }
  return null
}

/** A short key must be the whole word ("abo", "iva"); a longer one may start it ("rechnung" → "rechnungen"). */
const matches = (word: string, key: string) => (key.length <= 4 ? word === key : word.startsWith(key))

/** The text with every phrase of the language (and of English) replaced by its English words. */
export function replacePhrases(normalized: string, language: Language): string {
  let out = ` ${normalized.replace(/[^\p{L}\p{N}]+/gu, ' ')} `
  for (const l of new Set<Language>([language, 'en'])) {
    for (const { key, english } of CONCEPTS[l].phrases) {
      const pattern = ` ${key.replace(/-/g, ' ')} `
      while (out.includes(pattern)) out = out.replace(pattern, ` ${english.join(' ')} `)
    }
  }
  return out.trim()
}
