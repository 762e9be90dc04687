// What the host's console shows about a pad's lifecycle. Pure: takes the pad's metadata
// (GET /api/pads/{id}), times and a translate function, returns data and strings.
// The moves mirror server/lifecycle.py; the server stays the judge (409 when a move is refused).
import { formatMoment } from './clock.js'

export const STATES = ['scheduled', 'live', 'closed', 'purging', 'purged', 'published']
const BEFORE_PURGE = ['scheduled', 'live', 'closed']

/**
 * The host's buttons, in the order they appear, with the states each one is offered from. The
 * purge is offered from the close on: beside "close the pad" while the webinar runs, it invited
 * the wrong click (the API still purges a pad before its close).
 */
const MOVES = {
  close: ['scheduled', 'live'],
  reopen: ['closed'],
  purge: ['closed', 'purging'],
  delete: STATES
}

/** Moves that cannot be undone: the console asks for a confirmation first. */
export const IRREVERSIBLE = new Set(['purge', 'delete'])

/** The host actions allowed from `state`, in display order. */
export const allowedActions = (state) =>
  Object.keys(MOVES).filter((action) => MOVES[action].includes(state))

/** Whether the contact list still exists (the purge erases it for good). */
export const beforePurge = (state) => BEFORE_PURGE.includes(state)

/** Whether the pad is purged or published, so that the removal counts and the switch apply. */
export const afterPurge = (state) => ['purged', 'published'].includes(state)

/**
 * The number of addresses in the contacts CSV (an `email` header, then one address a line).
 * Addresses hold no line breaks, so lines are records.
 */
export const contactCount = (csv) =>
  csv.split(/\r?\n/).slice(1).filter((line) => line.trim() !== '').length

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** "2 j 3 h 05 min", "1 h 05 min 09 s", "4 min 09 s": the time left until a transition. */
export const formatDuration = (ms, t) => {
  const left = Math.max(0, ms)
  const days = Math.floor(left / DAY)
  const hours = Math.floor((left % DAY) / HOUR)
  const minutes = String(Math.floor((left % HOUR) / MINUTE)).padStart(2, '0')
  const seconds = String(Math.floor((left % MINUTE) / SECOND)).padStart(2, '0')
  if (days > 0) return t('duration.days', { d: days, h: hours, m: minutes })
  if (hours > 0) return t('duration.hours', { h: hours, m: minutes, s: seconds })
  if (Number(minutes) > 0) return t('duration.minutes', { m: Number(minutes), s: seconds })
  return t('duration.seconds', { s: Number(seconds) })
}

/**
 * The countdown line: what the schedule does next and how long until then, or null when
 * nothing is planned. A due transition runs within the scheduler's tick, so past its time the
 * line says it is imminent rather than counting below zero.
 */
export const countdownLine = (next, nowMs, lang, zone, t) => {
  if (!next) return null
  const action = t(`console.next.${next.action}`)
  const when = formatMoment(next.at, lang, zone)
  const left = new Date(next.at).getTime() - nowMs
  if (left <= 0) return t('console.next.due', { action, when })
  return t('console.next.in', { action, left: formatDuration(left, t), when })
}

/**
 * The pad's timeline as [string key, ISO time] rows, in the order they happen: planned times
 * first, then what did happen. The purge row reads "planned" until the purge has run.
 */
export const timeline = (meta) => {
  const rows = [
    ['console.time.starts', meta.starts_at],
    ['console.time.ends', meta.ends_at],
    ['console.time.closed', meta.closed_at],
    meta.purged_at ? ['console.time.purged', meta.purged_at] : ['console.time.purge', meta.purge_at],
    ['console.time.published', meta.published_at]
  ]
  return rows.filter(([, at]) => at)
}
