// What the pad's header and banner say about its schedule and lifecycle. Pure: takes the pad's
// metadata (GET /api/pads/{id}) and a translate function, returns strings.
import { formatDay, formatMoment, formatTime, zonedIso } from './clock.js'

/**
 * What is wrong with a schedule typed in the home page's form (a date and times in `zone`, as
 * the inputs give them, and now in ms), as a string key, or null. Said before the pad is created: a
 * time without a date would be dropped, and a webinar already over would be created closed, its
 * personal data about to be erased. A start in the past is fine (the webinar has begun).
 */
export const scheduleProblem = (date, start, end, zone, now) => {
  if (!date) return start || end ? 'home.error.time_without_date' : null
  const starts = start ? new Date(zonedIso(date, start, zone)).getTime() : null
  const ends = end ? new Date(zonedIso(date, end, zone)).getTime() : null
  if (starts !== null && ends !== null && ends <= starts) return 'home.error.end_before_start'
  if (ends !== null && ends <= now) return 'home.error.end_passed'
  return null
}

/** "jeudi 12 juin 2025, 14:00 – 16:00" (the end's day is shown when it differs). */
export const scheduleLine = (meta, lang, t) => {
  const zone = meta.timezone
  if (!meta.starts_at) return t('pad.schedule.none')
  const start = formatTime(meta.starts_at, lang, zone)
  if (!meta.ends_at) return t('pad.schedule.from', { start: formatMoment(meta.starts_at, lang, zone) })
  const sameDay = formatDay(meta.starts_at, lang, zone) === formatDay(meta.ends_at, lang, zone)
  const end = sameDay ? formatTime(meta.ends_at, lang, zone) : formatMoment(meta.ends_at, lang, zone)
  return t('pad.schedule.range', { day: formatDay(meta.starts_at, lang, zone), start, end })
}

/**
 * What happens to what attendees type, shown from the pad's first line while they may still
 * type it (scheduled, live): the purge's promise with its real time. Past the close the banner
 * says it (`padBanner`); null then.
 */
export const promiseLine = (meta, lang, t) => {
  if (meta.state !== 'scheduled' && meta.state !== 'live') return null
  if (!meta.purge_at) return t('pad.promise.later')
  return t('pad.promise', { purge: formatMoment(meta.purge_at, lang, meta.timezone) })
}

/**
 * The banner: why the editor is read-only and until when, or what the host alone may still do
 * on a closed pad; null when there is nothing to say. Past the live phase the lifecycle state
 * explains more than the key does, so it wins; before, only a view key makes a pad read-only.
 */
export const padBanner = (meta, lang, t) => {
  const zone = meta.timezone
  // The server's purge time: after the scheduled end, or after the closing when the pad had no
  // end (DESIGN.md: on schedule).
  const purge = meta.purge_at ? formatMoment(meta.purge_at, lang, zone) : null
  if (meta.writable) {
    if (meta.state !== 'closed') return null
    return purge ? t('banner.closed.host', { purge }) : t('banner.closed.host.unknown')
  }
  switch (meta.state) {
    case 'closed':
      return purge ? t('banner.closed', { purge }) : t('banner.closed.unknown')
    case 'purging':
      return t('banner.purging')
    case 'purged':
      return t('banner.purged')
    case 'published':
      return t('banner.published')
    default:
      return meta.role === 'view' ? t('banner.view') : t('banner.readonly')
  }
}
