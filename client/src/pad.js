// The pad page /p/{id}?k={key}. The socket opens at once, in parallel with the metadata request,
// so the editor is live as early as possible. The document lives only in memory: no IndexedDB or
// localStorage copy, so that once a pad's addresses are purged no browser keeps them.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import * as decoding from 'lib0/decoding'
import { initLanguage, language, onLanguageChange, t } from './strings.js'
import { awarenessUser, colourFor, saveName, savedName } from './identity.js'
import { FULL_CLOSE, PURGED_CLOSE, watchConnection } from './connection.js'
import { participantsFrom, renderParticipants } from './participants.js'
import { padBanner, promiseLine, scheduleLine } from './schedule.js'
import { createEditor } from './editor.js'
import { citedLinks } from './links.js'
import { initTabs } from './tabs.js'
import { askName } from './name-dialog.js'
import { padApi } from './api.js'

const PAD_EVENT = 100
const PANEL_DELAY_MS = 150

const $ = (id) => document.getElementById(id)

/** Run `fn` once, `delay` ms after the last of a burst of calls. */
const debounce = (fn, delay) => {
  let timer = null
  return () => {
    clearTimeout(timer)
    timer = setTimeout(fn, delay)
  }
}

const showError = (status) => {
  const key = [401, 403, 404].includes(status) ? `error.${status}` : 'error.other'
  $('loading').hidden = true
  $('pad').hidden = true
  const box = $('fatal')
  box.dataset.i18n = key
  box.textContent = t(key)
  box.hidden = false
  // Nothing to connect to nor to sign: no "Connexion…", no name button, and a way back.
  $('status').hidden = true
  $('rename').hidden = true
  $('way-back').hidden = false
}

const renderLinks = (links) => {
  $('links-tab').textContent = t('pad.links.count', { n: links.length })
  $('links-empty').hidden = links.length > 0
  $('links').replaceChildren(...links.map(({ url, context }) => {
    const item = document.createElement('li')
    const anchor = document.createElement('a')
    anchor.href = url
    anchor.title = context
    anchor.textContent = url.replace(/^https:\/\//, '')
    anchor.target = '_blank'
    anchor.rel = 'noopener noreferrer'
    item.append(anchor)
    return item
  }))
}

const start = () => {
  initLanguage($('lang'))
  const padId = decodeURIComponent(window.location.pathname.split('/')[2] ?? '')
  const key = new URLSearchParams(window.location.search).get('k') ?? ''

  const doc = new Y.Doc()
  const ytext = doc.getText('content')
  const wsBase = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/ws`
  // No BroadcastChannel: a read-only tab must not hand its edits to a writable tab of the same pad.
  const provider = new WebsocketProvider(wsBase, padId, doc, { params: { k: key }, disableBc: true })
  const { awareness } = provider

  let meta = null
  let editor = null

  const status = $('status')
  const renderStatus = (state = connection.current()) => {
    status.dataset.state = state
    $('status-text').textContent = t(`status.${state}`)
  }
  const connection = watchConnection(provider, doc, renderStatus)

  let myName = savedName()
  const guestName = () => t('pad.name.guest', { n: doc.clientID % 1000 })
  const renderName = () => {
    const shown = myName || guestName()
    $('rename').textContent = t('pad.name.button', { name: shown })
  }
  /**
   * The colours shown by the others present, so that mine differs from theirs; with
   * `olderOnly`, by those with a lower client id only: of two people showing one colour, the
   * later id moves, so that two pages never chase each other's colour.
   */
  const othersColours = (olderOnly = false) => new Set([...awareness.getStates()]
    .filter(([clientId]) => clientId !== doc.clientID && (!olderOnly || clientId < doc.clientID))
    .map(([, state]) => state?.user?.color))
  const announce = () => {
    const name = myName || guestName()
    awareness.setLocalStateField('user', awarenessUser(name, colourFor(name, othersColours())))
  }
  awareness.on('change', ({ added, updated }) => {
    const mine = awareness.getLocalState()?.user?.color
    const others = [...added, ...updated].filter((clientId) => clientId !== doc.clientID)
    if (others.length && othersColours(true).has(mine)) announce()
  })
  const rename = (name) => {
    myName = name
    saveName(name)
    announce()
    renderName()
  }
  announce()
  renderName()
  $('rename').addEventListener('click', () => askName($('name-dialog'), myName, rename))

  const renderPeople = () => {
    const people = participantsFrom(awareness.getStates(), doc.clientID)
    $('participants-count').textContent = t('pad.participants.count', { n: people.length })
    renderParticipants($('participants'), people, t('pad.participants.you'))
  }
  awareness.on('change', renderPeople)
  renderPeople()

  // The Markdown renderer is a third of the bundle and nobody needs it to start typing: it
  // loads once the editor is ready.
  let renderMarkdown = null
  let previewShown = true
  const renderPanels = () => {
    const text = ytext.toString()
    renderLinks(citedLinks(text))
    if (previewShown && renderMarkdown) $('preview').innerHTML = renderMarkdown(text)
  }
  const schedulePanels = debounce(renderPanels, PANEL_DELAY_MS)
  ytext.observe(schedulePanels)
  initTabs($('tabs'), (tabId) => {
    previewShown = tabId === 'preview-tab'
    if (previewShown) renderPanels()
  })
  renderPanels()

  const renderMeta = () => {
    if (!meta) return
    document.title = `${meta.title} · Skrid`
    $('title').textContent = meta.title
    $('schedule').textContent = scheduleLine(meta, language(), t)
    const promise = promiseLine(meta, language(), t)
    $('promise').hidden = promise === null
    $('promise').textContent = promise ?? ''
    const banner = padBanner(meta, language(), t)
    $('banner').hidden = banner === null
    $('banner-text').textContent = banner ?? ''
    document.body.dataset.writable = String(Boolean(meta.writable))
  }

  const undoButton = $('undo')
  const redoButton = $('redo')
  const renderUndo = () => {
    const writable = Boolean(meta?.writable)
    undoButton.disabled = !writable || !editor || editor.undoManager.undoStack.length === 0
    redoButton.disabled = !writable || !editor || editor.undoManager.redoStack.length === 0
  }

  // Lifecycle news (close, reopen) arrives on the socket: switch to read-only without a reload.
  provider.messageHandlers[PAD_EVENT] = (_encoder, decoder) => {
    const news = JSON.parse(decoding.readVarString(decoder))
    if (!meta) return
    meta = { ...meta, state: news.state, writable: Boolean(news.writable) }
    editor?.setWritable(meta.writable)
    renderMeta()
    renderUndo()
  }

  provider.on('closed', ({ code }) => {
    if (code === 4401) showError(401)
    else if (code === 4404) showError(404)
    else if (code === PURGED_CLOSE) provider.connect()
    else if (code === FULL_CLOSE) editor?.setWritable(false)
  })

  const markReady = () => {
    if (!editor || !provider.synced || document.body.dataset.ready) return
    document.body.dataset.ready = 'true'
    performance.mark('skrid:ready')
    import('./preview.js').then((preview) => {
      renderMarkdown = preview.renderMarkdown
      renderPanels()
    })
  }
  provider.on('sync', markReady)

  window.addEventListener('beforeunload', (event) => {
    if (connection.current() === 'offline_unsent') event.preventDefault()
  })

  onLanguageChange(() => {
    renderStatus()
    renderName()
    renderPeople()
    renderPanels()
    renderMeta()
    editor?.setLabels(t('pad.editor.label'), t('pad.editor.placeholder'))
  })

  padApi(padId, key).pad().then((loaded) => {
    meta = loaded
    $('loading').hidden = true
    $('pad').hidden = false
    renderMeta()
    editor = createEditor({
      parent: $('editor'),
      ytext,
      awareness,
      writable: Boolean(meta.writable),
      label: t('pad.editor.label'),
      hint: t('pad.editor.placeholder'),
      nonce: document.querySelector('link[nonce]')?.nonce ?? ''
    })
    for (const event of ['stack-item-added', 'stack-item-popped', 'stack-cleared']) {
      editor.undoManager.on(event, renderUndo)
    }
    undoButton.addEventListener('click', () => editor.undoManager.undo())
    redoButton.addEventListener('click', () => editor.undoManager.redo())
    renderUndo()
    markReady()
    // Only someone who may write is asked a name at once (the cursor it labels goes with
    // writing); anyone may still give one with the name button. The editor has the focus back.
    $('name-dialog').addEventListener('close', () => { if (meta.writable) editor.view.focus() })
    if (!myName && meta.writable) askName($('name-dialog'), '', rename)
  }, (error) => {
    provider.destroy()
    showError(error.status)
  })
}

start()
