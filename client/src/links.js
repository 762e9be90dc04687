// The "Liens cités" panel's list: every web link of the pad, bare domains included, each once, in
// order of first appearance, with the line that cites it. Pure. This is the browser twin of
// exports/links.py and exports/urls.py (same linkify-it rule, same normal form); both must give
// the results of tests/exports/links_cases.json. The lists the rule uses are shared with
// exports/urls.py: exports/link_rules.json, and the `links` group of anonymizer/tlds.json (the TLDs
// added to linkify-it's default set: every two-letter country code, com, org, net...).
import LinkifyIt from 'linkify-it'
import RULES from '../../exports/link_rules.json' with { type: 'json' }
import TLDS from '../../anonymizer/tlds.json' with { type: 'json' }

export const CONTEXT_CHARS = 200
const ELLIPSIS = '…'
const LINE_BREAK = /\r\n?|\n/

// Country codes that are far more often file extensions in notes: links only after `www.`.
const FILE_EXTENSIONS = new Set(RULES.file_extensions)
const TRACKING_PREFIXES = RULES.tracking_prefixes
const TRACKING_PARAMETERS = new Set(RULES.tracking_parameters)
const TRAILING_PUNCTUATION = RULES.trailing_punctuation
const CLOSERS = RULES.closing_brackets

// Web links only: no ftp:, no mailto:, and no e-mail address (the purge's business).
const finder = new LinkifyIt(
  Object.fromEntries(RULES.disabled_schemas.map((schema) => [schema, null])), { fuzzyEmail: false }
)
finder.tlds(TLDS.links, true)
finder.normalize = (match) => {
  if (!match.schema) match.url = `https://${match.url}`
  else if (match.schema === '//') match.url = `https:${match.url}`
}

const count = (text, char, end) => text.slice(0, end).split(char).length - 1

const isWebLink = (link, text) => {
  if (link.schema) return true
  if (text.startsWith('@', link.lastIndex)) return false
  const host = link.raw.split(/[/?#]/, 1)[0].split('@').pop().split(':')[0].toLowerCase()
  return host.startsWith('www.') || !FILE_EXTENSIONS.has(host.split('.').pop())
}

/** Drop closing punctuation that linkify-it keeps (`:`, `»`, `*`, unbalanced brackets). */
const trimmed = (link) => {
  let cut = link.raw.length
  while (cut && TRAILING_PUNCTUATION.includes(link.raw[cut - 1])) {
    const char = link.raw[cut - 1]
    const opener = CLOSERS[char]
    if (opener && count(link.raw, opener, cut) >= count(link.raw, char, cut)) break
    cut -= 1
  }
  const dropped = link.raw.length - cut
  if (dropped === 0) return link
  link.raw = link.text = link.raw.slice(0, cut)
  link.url = link.url.slice(0, -dropped)
  link.lastIndex -= dropped
  return link
}

const findLinks = (line) => {
  const spaced = line.replaceAll('`', ' ')
  return (finder.match(spaced) ?? []).filter((link) => isWebLink(link, spaced)).map(trimmed)
}

const tracks = (pair) => {
  const name = pair.split('=', 1)[0].toLowerCase()
  return TRACKING_PARAMETERS.has(name) || TRACKING_PREFIXES.some((prefix) => name.startsWith(prefix))
}

/**
 * The form that tells two citations apart: scheme and host lowercased, no credentials, no lone
 * `/` path, no tracking parameters, no empty query or fragment; the rest byte for byte.
 */
export const normaliseUrl = (url) => {
  const parts = /^([^:/?#]+):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s.exec(url)
  if (!parts) return url
  const [, scheme, netloc, path, query = '', fragment = ''] = parts
  const host = netloc.split('@').pop().toLowerCase()
  const kept = query.split('&').filter((pair) => pair && !tracks(pair)).join('&')
  return `${scheme.toLowerCase()}://${host}${path === '/' ? '' : path}` +
    (kept ? `?${kept}` : '') + (fragment ? `#${fragment}` : '')
}

/** The stripped line, or the `limit` characters (code points) centred on the link. */
const contextOf = (line, start, end, limit) => {
  const chars = Array.from(line)
  const toChars = (index) => Array.from(line.slice(0, index)).length
  const lead = chars.length - Array.from(line.trimStart()).length
  const stripped = Array.from(line.trim())
  if (stripped.length <= limit) return stripped.join('')
  const from = toChars(start) - lead
  const to = toChars(end) - lead
  const slack = Math.max(0, limit - (to - from))
  const begin = Math.min(Math.max(0, from - Math.floor(slack / 2)), stripped.length - limit)
  const before = begin > 0 ? ELLIPSIS : ''
  const after = begin + limit < stripped.length ? ELLIPSIS : ''
  return before + stripped.slice(begin, begin + limit).join('') + after
}

/** `[{ url, context, line }]`: each link of `text` once, `line` counting from 1. */
export const citedLinks = (text, contextChars = CONTEXT_CHARS) => {
  const seen = new Set()
  const found = []
  text.split(LINE_BREAK).forEach((line, index) => {
    for (const link of findLinks(line)) {
      const url = normaliseUrl(link.url)
      if (seen.has(url)) continue
      seen.add(url)
      found.push({ url, context: contextOf(line, link.index, link.lastIndex, contextChars), line: index + 1 })
    }
  })
  return found
}
