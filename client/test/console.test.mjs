// The pure modules of the host console: allowed moves, the contacts count, the countdown,
// the timeline, plurals and download names.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  IRREVERSIBLE, STATES, afterPurge, allowedActions, beforePurge, contactCount, countdownLine,
  formatDuration, timeline
} from '../src/lifecycle.js'
import { fileName } from '../src/download.js'
import { setLanguage, t, tn } from '../src/strings.js'

// setLanguage touches the page and localStorage, which Node lacks: give it the least of both.
globalThis.document = { documentElement: {}, querySelectorAll: () => [] }
globalThis.window = { localStorage: { setItem: () => {} } }

test('the host moves allowed from each state mirror server/lifecycle.py', () => {
  assert.deepEqual(allowedActions('scheduled'), ['close', 'delete'])
  assert.deepEqual(allowedActions('live'), ['close', 'delete'])
  assert.deepEqual(allowedActions('closed'), ['reopen', 'purge', 'delete'])
  assert.deepEqual(allowedActions('purging'), ['purge', 'delete'])
  assert.deepEqual(allowedActions('purged'), ['delete'])
  assert.deepEqual(allowedActions('published'), ['delete'])
  assert.deepEqual([...IRREVERSIBLE].sort(), ['delete', 'purge'])
  assert.deepEqual(STATES.filter(beforePurge), ['scheduled', 'live', 'closed'])
  assert.deepEqual(STATES.filter(afterPurge), ['purged', 'published'])
})

test('the contact count is the number of addresses in the CSV, header left out', () => {
  assert.equal(contactCount('email\r\n'), 0)
  assert.equal(contactCount('email\r\na@exemple.fr\r\n'), 1)
  assert.equal(contactCount('email\r\na@exemple.fr\r\nb@exemple.fr\r\n'), 2)
  assert.equal(contactCount('email\na@exemple.fr\nb@exemple.fr'), 2)
})

test('durations: days, hours or minutes first, never negative', () => {
  const minute = 60_000
  assert.equal(formatDuration(4 * minute + 9_000, t), '4 min 09 s')
  assert.equal(formatDuration(65 * minute + 9_999, t), '1 h 05 min 09 s')
  assert.equal(formatDuration((2 * 24 * 60 + 3 * 60 + 5) * minute, t), '2 j 3 h 05 min')
  assert.equal(formatDuration(8_000, t), '8 s')
  assert.equal(formatDuration(-5000, t), '0 s')
})

test('the countdown names the next transition; a due one is imminent, none is null', () => {
  const next = { action: 'close', at: '2025-06-12T14:00:00+00:00' }
  const at = new Date(next.at).getTime()
  assert.equal(
    countdownLine(next, at - 61_000, 'fr', 'Europe/Paris', t),
    'Fermeture automatique dans 1 min 01 s (12 juin 2025 à 16:00)'
  )
  assert.equal(
    countdownLine(next, at + 1_000, 'fr', 'Europe/Paris', t),
    'Fermeture automatique imminente (prévue le 12 juin 2025 à 16:00)'
  )
  assert.equal(countdownLine(null, at, 'fr', 'Europe/Paris', t), null)
})

test('the timeline lists what is known, and the purge as planned until it has run', () => {
  const meta = {
    starts_at: '2025-06-12T12:00:00+00:00',
    ends_at: '2025-06-12T14:00:00+00:00',
    closed_at: null,
    purge_at: '2025-06-12T16:00:00+00:00',
    purged_at: null,
    published_at: null
  }
  assert.deepEqual(timeline(meta).map(([label]) => label), [
    'console.time.starts', 'console.time.ends', 'console.time.purge'
  ])
  const purged = { ...meta, closed_at: meta.ends_at, purged_at: '2025-06-12T16:00:05+00:00' }
  assert.deepEqual(timeline(purged).map(([label]) => label), [
    'console.time.starts', 'console.time.ends', 'console.time.closed', 'console.time.purged'
  ])
  assert.deepEqual(timeline({ ...meta, starts_at: null, ends_at: null, purge_at: null }), [])
})

test('plurals follow each language: French 0 and 1 are singular, English 1 only', () => {
  assert.equal(tn('console.contacts.count', 0), '0 adresse e-mail')
  assert.equal(tn('console.contacts.count', 1), '1 adresse e-mail')
  assert.equal(tn('console.contacts.count', 2), '2 adresses e-mail')
  assert.equal(tn('console.contacts.count', 1_000_000), '1000000 adresses e-mail')
  setLanguage('en')
  try {
    assert.equal(tn('console.contacts.count', 0), '0 e-mail addresses')
    assert.equal(tn('console.contacts.count', 1), '1 e-mail address')
  } finally {
    setLanguage('fr')
  }
})

test('a download is named by the server, else by the fallback', () => {
  assert.equal(fileName('attachment; filename="contacts-abc.csv"', 'x.csv'), 'contacts-abc.csv')
  assert.equal(fileName(null, 'x.csv'), 'x.csv')
  assert.equal(fileName('attachment', 'x.csv'), 'x.csv')
})
