// The copy buttons beside the read-only link fields (home page and host console). Each button
// `data-copy="ROLE"` copies the field `#link-ROLE` and says so for a moment.
import { onLanguageChange, t } from './strings.js'

const COPIED_MS = 2000

const copy = async (button, input) => {
  try {
    await navigator.clipboard.writeText(input.value)
  } catch {
    input.select()
    document.execCommand('copy')
  }
  button.textContent = t('home.copied')
  setTimeout(() => { button.textContent = t('home.copy') }, COPIED_MS)
}

/** Name each button after its link for screen readers ("Copier le lien de l'organisateur"). */
const label = (buttons) => {
  for (const button of buttons) {
    const link = t(`home.link.${button.dataset.copy}`).toLowerCase()
    button.setAttribute('aria-label', t('home.copy.label', { link }))
  }
}

/** Wire every copy button of the page, and keep their labels in the chosen language. */
export const initCopyButtons = () => {
  const buttons = [...document.querySelectorAll('[data-copy]')]
  for (const button of buttons) {
    const input = document.getElementById(`link-${button.dataset.copy}`)
    button.addEventListener('click', () => copy(button, input))
  }
  label(buttons)
  onLanguageChange(() => label(buttons))
}
