// The pure modules of the pad page: languages, dates in Paris, banners, participants.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { STRINGS, preferredLanguage, t } from '../src/strings.js'
import { zonedIso } from '../src/clock.js'
import { padBanner, promiseLine, scheduleLine, scheduleProblem } from '../src/schedule.js'
import { participantsFrom } from '../src/participants.js'
import { cleanName, colourFor, MAX_NAME_CHARS, PALETTE } from '../src/identity.js'

test('French unless the browser prefers English or the person chose it', () => {
  assert.equal(preferredLanguage(null, []), 'fr')
  assert.equal(preferredLanguage(null, ['de-DE', 'fr-FR', 'en']), 'fr')
  assert.equal(preferredLanguage(null, ['en-GB', 'fr']), 'en')
  assert.equal(preferredLanguage(null, ['de', 'es']), 'fr')
  assert.equal(preferredLanguage('fr', ['en-US']), 'fr')
  assert.equal(preferredLanguage('xx', ['en-US']), 'en')
})

test('both languages have exactly the same keys, and pages use only known keys', () => {
  assert.deepEqual(Object.keys(STRINGS.en).sort(), Object.keys(STRINGS.fr).sort())
  const known = Object.keys(STRINGS.fr)
  // A key built in a template loop ("home.link.{{ role }}") must match at least one known key.
  const pattern = (key) => new RegExp(`^${key.replace(/\./g, '\\.').replace(/\{\{[^}]*\}\}/g, '[\\w-]+')}$`)
  for (const page of ['home.html', 'pad.html', 'console.html', 'link_blocks.html']) {
    const html = readFileSync(new URL(`../../server/templates/${page}`, import.meta.url), 'utf8')
    for (const [, key] of html.matchAll(/data-i18n(?:-label|-placeholder)?="([^"]+)"/g)) {
      assert.ok(known.some((name) => pattern(key).test(name)), `${page} uses unknown key ${key}`)
    }
  }
})

test('French says it one way: the typographic apostrophe, the host as l’organisation', () => {
  for (const [key, text] of Object.entries(STRINGS.fr)) {
    assert.doesNotMatch(text, /'/, `${key} has a straight apostrophe`)
    assert.doesNotMatch(text, /organisateur|[Pp]urger|Purgé/, `${key} says it the other way`)
  }
})

test('placeholders are filled and an unknown key shows as itself', () => {
  assert.equal(t('pad.participants.count', { n: 3 }), '3 en ligne')
  assert.equal(t('no.such.key'), 'no.such.key')
})

test('wall-clock times in Paris get the offset of their date, across DST changes', () => {
  assert.equal(zonedIso('2025-01-15', '14:30', 'Europe/Paris'), '2025-01-15T14:30:00+01:00')
  assert.equal(zonedIso('2025-07-15', '09:05', 'Europe/Paris'), '2025-07-15T09:05:00+02:00')
  assert.equal(zonedIso('2025-03-30', '01:30', 'Europe/Paris'), '2025-03-30T01:30:00+01:00')
  assert.equal(zonedIso('2025-03-30', '03:30', 'Europe/Paris'), '2025-03-30T03:30:00+02:00')
  assert.equal(zonedIso('2025-10-26', '04:00', 'Europe/Paris'), '2025-10-26T04:00:00+01:00')
})

const meta = {
  title: 'Atelier',
  starts_at: '2025-06-12T12:00:00+00:00',
  ends_at: '2025-06-12T14:00:00+00:00',
  purge_after_minutes: 120,
  purge_at: '2025-06-12T16:00:00+00:00',
  timezone: 'Europe/Paris',
  state: 'live',
  role: 'edit',
  writable: true
}

test('the schedule is shown in Paris time', () => {
  assert.equal(scheduleLine(meta, 'fr', t), 'jeudi 12 juin 2025, 14:00 – 16:00')
  assert.equal(scheduleLine({ ...meta, starts_at: null, ends_at: null }, 'fr', t), 'Sans horaire')
})

test('the home form says what is wrong with a schedule before creating the pad', () => {
  const now = new Date('2026-12-04T19:00:00+01:00').getTime()
  assert.equal(scheduleProblem('2026-12-04', '18:00', '21:00', 'Europe/Paris', now), null)
  assert.equal(scheduleProblem('2026-12-04', '18:00', '', 'Europe/Paris', now), null)
  assert.equal(scheduleProblem('', '', '', 'Europe/Paris', now), null)
  assert.equal(scheduleProblem('', '18:00', '', 'Europe/Paris', now), 'home.error.time_without_date')
  assert.equal(scheduleProblem('', '', '21:00', 'Europe/Paris', now), 'home.error.time_without_date')
  assert.equal(scheduleProblem('2026-12-04', '18:00', '17:00', 'Europe/Paris', now), 'home.error.end_before_start')
  assert.equal(scheduleProblem('2026-12-04', '17:00', '18:30', 'Europe/Paris', now), 'home.error.end_passed')
  assert.equal(scheduleProblem('2026-12-03', '', '21:00', 'Europe/Paris', now), 'home.error.end_passed')
})

test('the banner says why the pad is read-only and until when', () => {
  assert.equal(padBanner(meta, 'fr', t), null)
  assert.match(padBanner({ ...meta, role: 'view', writable: false }, 'fr', t), /Lecture seule/)
  const closed = padBanner({ ...meta, state: 'closed', writable: false }, 'fr', t)
  assert.match(closed, /fermé/)
  assert.match(closed, /numéros de téléphone et les noms des participants seront effacés/)
  assert.match(closed, /12 juin 2025 à 18:00/)
  // Closed by hand with no scheduled end: the server counts from the closing.
  const unscheduled = { ...meta, ends_at: null, purge_at: '2025-06-13T08:30:00+00:00' }
  assert.match(padBanner({ ...unscheduled, state: 'closed', writable: false }, 'fr', t),
    /13 juin 2025 à 10:30/)
  const unknown = { ...meta, purge_at: null, state: 'closed', writable: false }
  assert.equal(padBanner(unknown, 'fr', t), 'Le pad est fermé : le webinaire est terminé.')
  const purged = padBanner({ ...meta, state: 'purged', writable: false }, 'fr', t)
  assert.match(purged, /numéros de téléphone/)
  assert.doesNotMatch(purged, /archiv|publi/)
  assert.match(padBanner({ ...meta, state: 'published', writable: false }, 'fr', t),
    /publiées dans l’archive publique/)
  assert.match(padBanner({ ...meta, state: 'purging', writable: false }, 'fr', t), /en cours/)
})

test('the host of a closed pad is told that only the host still writes', () => {
  const host = { ...meta, role: 'host', state: 'closed', writable: true }
  assert.match(padBanner(host, 'fr', t), /vous seul·e pouvez encore/)
  assert.match(padBanner(host, 'fr', t), /12 juin 2025 à 18:00/)
  assert.match(padBanner({ ...host, purge_at: null }, 'fr', t), /mettre les notes au propre\.$/)
  assert.equal(padBanner({ ...host, state: 'live' }, 'fr', t), null)
})

test('the promise says what the purge will erase and when, until the close', () => {
  const live = { ...meta, state: 'live' }
  assert.equal(promiseLine(live, 'fr', t),
    'Les adresses e-mail, les numéros de téléphone et les noms des participants seront ' +
    'effacés le 12 juin 2025 à 18:00 ; les notes, anonymisées, pourront ensuite être publiées.')
  assert.match(promiseLine({ ...live, state: 'scheduled' }, 'fr', t), /le 12 juin 2025 à 18:00/)
  assert.match(promiseLine({ ...live, purge_at: null }, 'fr', t), /effacés après le webinaire/)
  for (const state of ['closed', 'purging', 'purged', 'published']) {
    assert.equal(promiseLine({ ...live, state }, 'fr', t), null)
  }
})

test('a colour derived from the name, unlike the others present', () => {
  const anne = colourFor('Anne', new Set())
  assert.equal(colourFor('Anne', new Set()), anne)
  assert.ok(PALETTE.includes(anne))
  const other = colourFor('Anne', new Set([anne]))
  assert.notEqual(other, anne)
  assert.ok(PALETTE.includes(other))
  assert.equal(colourFor('Anne', new Set(PALETTE)), anne)
  const everyone = ['Anne', 'Bruno', 'Chloé', 'Dominique', 'Ewen', 'Fanch', 'Gwen', 'Hélène']
  const shown = new Set()
  for (const name of everyone) shown.add(colourFor(name, shown))
  assert.equal(shown.size, PALETTE.length)
})

test('participants: named clients only, me first, then by name', () => {
  const states = new Map([
    [3, { user: { name: 'Zoé', color: '#123456' } }],
    [1, { user: { name: 'Anne', color: '#abcdef' } }],
    [2, {}],
    [7, { user: { name: 'Moi', color: '#000' } }]
  ])
  assert.deepEqual(participantsFrom(states, 7).map((p) => [p.name, p.me]), [
    ['Moi', true], ['Anne', false], ['Zoé', false]
  ])
})

test('names are trimmed and kept to the limit; one past it is cut', () => {
  assert.equal(cleanName('  Anne   Marie '), 'Anne Marie')
  assert.equal(cleanName('a'.repeat(MAX_NAME_CHARS)).length, MAX_NAME_CHARS)
  assert.equal(cleanName('a'.repeat(MAX_NAME_CHARS + 1)).length, MAX_NAME_CHARS)
})
