import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { intentOf, sentimentOf } from './intents.ts'
import { detectLanguage } from './text-analysis.ts'

const kind = (text: string) => { const i = intentOf(text); return i.kind === 'staff' ? i.topic : i.kind }

test('requests for a person, direct and indirect, in every supported language', () => {
  for (const text of [
    'Could you put me through to a human agent?', 'hello?? anybody here?', 'honestly this chat is pointless',
    'Kann ich bitte mit jemandem vom Support sprechen?', 'Hallo, ist hier wer?',
    '¿Puedo hablar con un agente?', 'esto no me sirve de nada',
    'Est-ce que je peux parler à un conseiller ?', 'ça ne sert à rien',
    'Posso falar com um humano?', 'alguém aqui?',
    'Posso parlare con una persona vera?', 'non mi aiuta per niente',
    'Kan ik met iemand van support praten?', 'dit helpt me niet',
    'Chciałbym porozmawiać z człowiekiem', 'czy ktoś tam jest?',
  ]) assert.is(kind(text), 'person', text)
})

test('topics staff must handle, each with its priority', () => {
  const cases: [string, string][] = [
    ['My card was billed twice this week', 'billing dispute'],
    ['Ihr habt nach meiner Kündigung noch abgebucht', 'billing dispute'],
    ['On m’a prélevé deux fois ce mois-ci', 'billing dispute'],
    ['somebody logged into my account from another country', 'account security'],
    ['Alguém mudou a senha da minha conta', 'account security'],
    ['Iemand heeft mijn e-mailadres gewijzigd', 'account security'],
    ['we will take legal action', 'legal or compliance'],
    ['Mi avvocato vi contatterà', 'legal or compliance'],
    ['I removed the entire workspace by accident and everything is gone', 'suspected data loss'],
    ['Usunąłem całą przestrzeń roboczą', 'suspected data loss'],
  ]
  for (const [text, topic] of cases) assert.is(kind(text), topic, text)
  const dispute = intentOf('My card was billed twice this week')
  assert.is(dispute.kind === 'staff' && dispute.priority, 'high')
})

test('small talk: greetings and thanks, not questions that start with a greeting', () => {
  for (const text of ['hey there', 'Guten Morgen', 'buenas tardes', 'salut', 'oi', 'buongiorno', 'goedemorgen', 'cześć']) assert.is(kind(text), 'greeting', text)
  for (const text of ['thank you so much!', 'ok', 'Danke schön', 'merci beaucoup', 'grazie mille', 'dzięki']) assert.is(kind(text), 'thanks', text)
  assert.is(kind('hi, how do I export a page?'), 'question')
  assert.is(kind('thanks, but where are the invoices?'), 'question')
})

test('ordinary support questions are questions, even when they mention people or deleting', () => {
  for (const text of ['How do I change someone\'s role to admin?', 'can I delete a page from a shared workspace', 'Wie lade ich einen Mitarbeiter ein?', 'how do I remove a person from the team']) {
    assert.is(kind(text), 'question', text)
  }
})

test('sentiment: anger in several languages and shouting', () => {
  assert.is(sentimentOf('Das ist eine Frechheit'), 'negative')
  assert.is(sentimentOf('WHERE IS MY EXPORT, NOTHING WORKS'), 'negative')
  assert.is(sentimentOf('how do I invite people'), 'neutral')
})

test('language: long messages by detection, short ones by their words, otherwise the hint', () => {
  assert.is(detectLanguage('Ich habe eine Frage zu meiner letzten Rechnung'), 'de')
  assert.is(detectLanguage('Hoe kan ik mijn abonnement opzeggen?'), 'nl')
  assert.is(detectLanguage('Gdzie mogę zmienić hasło?'), 'pl')
  assert.is(detectLanguage('merci'), 'fr')
  assert.is(detectLanguage('2fa', 'it'), 'it', 'no evidence: the hint')
  assert.is(detectLanguage('Slack', 'de'), 'de')
})

test('more ways of asking for a person, and questions that merely mention people, agents or calls', () => {
  const person = [
    'get me a real human please', 'can someone from support call me back', 'I need to speak with a manager', 'hello? is this a bot?', 'you are not helping at all', 'transfer me to an agent',
    'Ich brauche einen echten Menschen', 'Kann mich jemand anrufen?', 'Sind Sie ein Bot?', 'Das bringt mir nichts', 'Verbinden Sie mich mit einem Mitarbeiter',
    'necesito hablar con alguien', '¿eres un robot?', 'pásame con un agente humano', 'esto es inútil',
    'je veux un humain', 'passez-moi un conseiller', 'vous êtes un robot ?', 'ça ne m’aide pas',
    'quero falar com alguém', 'isso não ajuda', 'me passa para um atendente', 'você é um robô?',
    'voglio parlare con qualcuno', 'sei un bot?', 'mi passi un operatore', 'non mi serve a niente',
    'ik wil een mens spreken', 'kan iemand me bellen?', 'ben je een robot?', 'dit is nutteloos',
    'chcę rozmawiać z człowiekiem', 'czy mogę porozmawiać z kimś?', 'jesteś botem?', 'to nic nie pomaga',
  ]
  const questions = [
    'how do I give someone admin rights', 'can I share a page with a person outside the company', 'does the API support pagination', 'how do I add an agent to Slack', 'how do I contact my workspace admin',
    'Wie kann ich jemandem Zugriff auf eine Seite geben?', '¿Cómo comparto una página con alguien?', 'Comment partager une page avec quelqu’un ?', 'Como compartilhar uma página com alguém?',
    'Come condivido una pagina con qualcuno?', 'Hoe geef ik iemand toegang?', 'Jak udostępnić stronę komuś?', 'how do I call the API from python', 'my team wants to talk about pricing plans',
  ]
  for (const text of person) assert.is(kind(text), 'person', text)
  for (const text of questions) assert.is(kind(text), 'question', text)
})

test.run()
