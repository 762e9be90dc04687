// The name prompt: a modal <dialog> shown on the first visit and from the "Name" button.
import { cleanName } from './identity.js'

/**
 * Show `dialog` with `initial` in its input; call `onName(name)` when the person validates a
 * non-empty name. Escape closes it without changing anything.
 */
export const askName = (dialog, initial, onName) => {
  const form = dialog.querySelector('form')
  const input = dialog.querySelector('input')
  input.value = initial
  const submit = (event) => {
    event.preventDefault()
    const name = cleanName(input.value)
    if (!name) {
      input.focus()
      return
    }
    dialog.close()
    onName(name)
  }
  form.addEventListener('submit', submit)
  dialog.addEventListener('close', () => form.removeEventListener('submit', submit), { once: true })
  dialog.showModal()
  input.select()
}
