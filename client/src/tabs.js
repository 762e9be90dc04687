// A WAI-ARIA tab list: click or arrow keys switch panels; only the selected tab is in the tab
// order, as the pattern asks.

/** Wire every `[role=tab]` in `tablist` to the panel named by its aria-controls. */
export const initTabs = (tablist, onSelect = () => {}) => {
  const tabs = [...tablist.querySelectorAll('[role="tab"]')]
  const select = (chosen, focus) => {
    for (const tab of tabs) {
      const selected = tab === chosen
      tab.setAttribute('aria-selected', String(selected))
      tab.tabIndex = selected ? 0 : -1
      document.getElementById(tab.getAttribute('aria-controls')).hidden = !selected
    }
    if (focus) chosen.focus()
    onSelect(chosen.id)
  }
  for (const tab of tabs) tab.addEventListener('click', () => select(tab, false))
  tablist.addEventListener('keydown', (event) => {
    const index = tabs.indexOf(document.activeElement)
    if (index < 0) return
    const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -index, End: tabs.length - 1 - index }
    if (!(event.key in moves)) return
    event.preventDefault()
    select(tabs[(index + moves[event.key] + tabs.length) % tabs.length], true)
  })
  select(tabs.find((tab) => tab.getAttribute('aria-selected') === 'true') ?? tabs[0], false)
}
