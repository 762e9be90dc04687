// Who I am to the others: a name (asked once, kept in localStorage, changeable) and a colour.
// Only these two preferences are stored in the browser, never the document.

const NAME_KEY = 'skrid.name'
const COLOR_KEY = 'skrid.color'
export const MAX_NAME_CHARS = 40

// Dark enough for white caret labels, distinct from each other.
const PALETTE = ['#1f6feb', '#c2410c', '#15803d', '#9333ea', '#be123c', '#0e7490', '#a16207', '#4338ca']

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

/** The remembered colour, or a new one picked at random and remembered. */
export const colour = () => {
  const saved = storage.get(COLOR_KEY)
  if (PALETTE.includes(saved)) return saved
  const picked = PALETTE[Math.floor(Math.random() * PALETTE.length)]
  storage.set(COLOR_KEY, picked)
  return picked
}

/** The awareness `user` field, in the y-codemirror.next convention. */
export const awarenessUser = (name, color) => ({ name, color, colorLight: `${color}33` })
