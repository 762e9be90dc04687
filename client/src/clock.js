// Dates in the pad's time zone (Europe/Paris), whatever the browser's own zone is. Pure.

/** The zone's offset from UTC, in minutes, at the instant `epochMs`. */
const offsetMinutes = (epochMs, timeZone) => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit'
  }).formatToParts(new Date(epochMs))
  const get = (type) => Number(parts.find((part) => part.type === type).value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60000)
}

const pad2 = (n) => String(Math.abs(n)).padStart(2, '0')

/**
 * ISO-8601 with offset for a wall-clock `date` ("2025-03-30") and `time` ("14:30") in `timeZone`.
 * The offset is found by asking the zone twice, which settles across daylight-saving changes.
 */
export const zonedIso = (date, time, timeZone) => {
  const [year, month, day] = date.split('-').map(Number)
  const [hour, minute] = time.split(':').map(Number)
  const wall = Date.UTC(year, month - 1, day, hour, minute)
  let offset = offsetMinutes(wall, timeZone)
  offset = offsetMinutes(wall - offset * 60000, timeZone)
  const sign = offset < 0 ? '-' : '+'
  return `${date}T${pad2(hour)}:${pad2(minute)}:00${sign}${pad2(Math.trunc(offset / 60))}:${pad2(offset % 60)}`
}

/** "jeudi 12 juin 2025" / "Thursday, June 12, 2025". */
export const formatDay = (iso, lang, timeZone) =>
  new Intl.DateTimeFormat(lang, { timeZone, dateStyle: 'full' }).format(new Date(iso))

/** "14:30" / "2:30 PM". */
export const formatTime = (iso, lang, timeZone) =>
  new Intl.DateTimeFormat(lang, { timeZone, timeStyle: 'short' }).format(new Date(iso))

/** "12 juin 2025 à 14:30" / "June 12, 2025 at 2:30 PM". */
export const formatMoment = (iso, lang, timeZone) =>
  new Intl.DateTimeFormat(lang, { timeZone, dateStyle: 'long', timeStyle: 'short' })
    .format(new Date(iso))
