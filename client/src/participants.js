// The participants list: one entry per connected client that announced a name, me first.

/** `[{ id, name, color, me }]` from awareness states, me first, then by name. Pure. */
export const participantsFrom = (states, myId) => {
  const people = []
  for (const [id, state] of states) {
    const user = state?.user
    if (!user || typeof user.name !== 'string' || user.name === '') continue
    people.push({ id, name: user.name, color: String(user.color ?? ''), me: id === myId })
  }
  return people.sort((a, b) => (b.me - a.me) || a.name.localeCompare(b.name))
}

const SAFE_COLOUR = /^#[0-9a-f]{3,8}$/i

/** Replace the children of `list` with one `<li>` per participant. Names are text, never HTML. */
export const renderParticipants = (list, people, youLabel) => {
  list.replaceChildren(...people.map((person) => {
    const item = document.createElement('li')
    const swatch = document.createElement('span')
    swatch.className = 'swatch'
    swatch.setAttribute('aria-hidden', 'true')
    if (SAFE_COLOUR.test(person.color)) swatch.style.backgroundColor = person.color
    const name = document.createElement('span')
    name.className = 'participant-name'
    name.textContent = person.name
    item.append(swatch, name)
    if (person.me) {
      const you = document.createElement('span')
      you.className = 'you'
      you.textContent = ` ${youLabel}`
      item.append(you)
    }
    return item
  }))
}
