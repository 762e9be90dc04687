// Who I am to the others: a name (asked once, kept in localStorage, changeable) and a colour
// derived from it. Only the name is stored in the browser, never the document.

const NAME_KEY = 'skrid.name'
export const MAX_NAME_CHARS = 40

// Dark enough for white caret labels, distinct from each other.
export const PALETTE = ['#1f6feb', '#c2410c', '#15803d', '#9333ea', '#be123c', '#0e7490', '#a16207', '#4338ca']

const storage = {
  get: (key) => {
    try {
      return window.localStorage.getItem(key)
    } catch {
      return null
    }
  },
  set: (key, value) => {
    try {
      window.localStorage.setItem(key, value)
    } catch {}
  }
}

/** Trim and shorten a typed name; an empty result means "no name". */
export const cleanName = (raw) => raw.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_CHARS)

export const savedName = () => cleanName(storage.get(NAME_KEY) ?? '')

export const saveName = (name) => storage.set(NAME_KEY, cleanName(name))

/**
 * A person's colour: the same for the same name on every visit (a hash of the name picks it),
 * unless someone else present already shows it, then the next one free (all taken: the hashed
 * one anyway).
 */
export const colourFor = (name, taken) => {
  let hash = 0
  for (const char of name) hash = (hash * 31 + char.codePointAt(0)) >>> 0
  const first = hash % PALETTE.length
  for (let step = 0; step < PALETTE.length; step++) {
    const candidate = PALETTE[(first + step) % PALETTE.length]
    if (!taken.has(candidate)) return candidate
  }
  return PALETTE[first]
}

/** The awareness `user` field, in the y-codemirror.next convention. */
export const awarenessUser = (name, color) => ({ name, color, colorLight: `${color}33` })
