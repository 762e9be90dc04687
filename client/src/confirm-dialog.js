// The confirmation asked before an irreversible move (purge, delete): a modal <dialog> whose
// form uses method="dialog", so Escape and "Cancel" close it without acting. Focus starts on
// "Cancel" (autofocus): a stray Enter never destroys anything.

/**
 * Show `dialog` with a title, an explanation and the confirm button's text; resolve to true
 * only when the person pressed the confirm button (value "ok").
 */
export const confirmAction = (dialog, { title, text, confirm }) => new Promise((resolve) => {
  dialog.querySelector('h2').textContent = title
  dialog.querySelector('p').textContent = text
  dialog.querySelector('button[value="ok"]').textContent = confirm
  dialog.returnValue = ''
  dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true })
  dialog.showModal()
})
