// The connection indicator's state, derived from the provider's events. "Unsent" means the
// person typed while the socket was down: those edits leave on the next sync, and the indicator
// says so until then, so nobody closes the tab believing they are saved.

export const STATES = ['connecting', 'connected', 'reconnecting', 'offline_unsent', 'refused', 'full']

/** The server closed the socket after the purge: the stored, purged notes are one reconnect away. */
export const PURGED_CLOSE = 4410
/** The server refused an update that would take the pad past its size limit. */
export const FULL_CLOSE = 4413

/** Watch `provider` and `doc`; call `onChange(state)` whenever the indicator should change. */
export const watchConnection = (provider, doc, onChange) => {
  let everSynced = false
  let unsent = false
  let refused = false
  let full = false
  let last = null

  const compute = () => {
    if (full) return 'full'
    if (refused) return 'refused'
    if (provider.wsconnected && provider.synced) return 'connected'
    if (unsent) return 'offline_unsent'
    return everSynced ? 'reconnecting' : 'connecting'
  }
  const update = () => {
    const state = compute()
    if (state !== last) {
      last = state
      onChange(state)
    }
  }

  doc.on('update', (_update, origin) => {
    if (origin !== provider && !(provider.wsconnected && provider.synced)) {
      unsent = true
      update()
    }
  })
  provider.on('status', update)
  provider.on('sync', (synced) => {
    // Our own sync step 2 (the edits the server lacks) answers the server's step 1, which the
    // server sends before its step 2: once we are synced, the offline edits have been sent.
    if (synced) {
      everSynced = true
      unsent = false
    }
    update()
  })
  provider.on('closed', ({ code }) => {
    if (code === PURGED_CLOSE) return
    if (code === FULL_CLOSE) full = true
    else refused = true
    update()
  })
  update()
  return { current: () => last }
}
