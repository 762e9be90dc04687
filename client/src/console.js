// The host's console /host/{id}?k={host_key}: the pad's state and schedule, a countdown to the
// next scheduled transition, the host's moves, the contact list before the purge, the removal
// counts and the publish switch after it, the three links and the exports.
//
// The metadata is polled every REFRESH_MS, so a transition made by the schedule (or by the host
// in another tab) shows up without a reload. The contact list is read from the CSV itself, on
// load, when the state changes, every CONTACTS_REFRESH_MS and right before each download: its
// count is the count of what the host will download, a few seconds behind the text at most (a
// console open keeps the pad's live document in the server's memory, as an attendee does).
import { ApiError, padApi } from './api.js'
import { confirmAction } from './confirm-dialog.js'
import { initReview } from './review.js'
import { initCopyButtons } from './copy.js'
import { fileName, saveBlob } from './download.js'
import {
  IRREVERSIBLE, afterPurge, allowedActions, beforePurge, contactCount, countdownLine, timeline
} from './lifecycle.js'
import { formatMoment } from './clock.js'
import { scheduleLine } from './schedule.js'
import { initLanguage, language, onLanguageChange, t, tn } from './strings.js'

const REFRESH_MS = 5000
const CONTACTS_REFRESH_MS = 5000
const TICK_MS = 1000

const $ = (id) => document.getElementById(id)

const start = () => {
  initLanguage($('lang'))
  initCopyButtons()
  const padId = decodeURIComponent(window.location.pathname.split('/')[2] ?? '')
  const key = new URLSearchParams(window.location.search).get('k') ?? ''
  const api = padApi(padId, key)
  const actionButtons = [...document.querySelectorAll('[data-action]')]
  const review = initReview({ api, t, tn })

  let meta = null
  let contacts = null
  let fatalKey = null
  let noticeKey = null
  let busy = false
  // A poll answer that left the server before a move of ours finished would show the old state
  // until the next poll: answers asked before the latest move are dropped.
  let moves = 0
  const timers = []

  const stop = () => timers.forEach(clearInterval)

  /** Replace the console by a message that stays: a refused key, a missing or deleted pad. */
  const fail = (messageKey) => {
    stop()
    fatalKey = messageKey
    $('loading').hidden = true
    $('console').hidden = true
    $('open-pad').hidden = true
    $('fatal').textContent = t(messageKey)
    $('fatal').hidden = false
    $('way-back').hidden = false
  }

  const failFor = (status) => fail([401, 403, 404].includes(status) ? `error.${status}` : 'error.other')

  const notify = (messageKey) => {
    noticeKey = messageKey
    $('notice').textContent = messageKey ? t(messageKey) : ''
  }

  const renderCountdown = () => {
    if (!meta) return
    const line = countdownLine(meta.next, Date.now(), language(), meta.timezone, t)
    const box = $('countdown')
    box.textContent = line ?? (beforePurge(meta.state) ? t('console.next.none') : '')
    box.hidden = box.textContent === ''
  }

  const renderTimeline = () => {
    $('timeline').replaceChildren(...timeline(meta).map(([label, at]) => {
      const row = document.createElement('div')
      const term = document.createElement('dt')
      const value = document.createElement('dd')
      term.textContent = t(label)
      value.textContent = formatMoment(at, language(), meta.timezone)
      row.append(term, value)
      return row
    }))
  }

  const renderContacts = () => {
    $('contacts-box').hidden = !beforePurge(meta.state)
    $('contacts-count').textContent = contacts === null ? '…' : tn('console.contacts.count', contacts)
  }

  const renderPurge = () => {
    const purged = afterPurge(meta.state)
    $('purge-box').hidden = !purged
    if (!purged) return
    $('count-email').textContent = String(meta.purge_counts?.email ?? 0)
    $('count-phone').textContent = String(meta.purge_counts?.phone ?? 0)
    // People who wrote under a name; none known (0) is shown as nothing, never as a wrong figure.
    $('count-contributors').textContent = String(meta.contributors ?? 0)
    $('count-contributors').parentElement.hidden = !meta.contributors
    const published = meta.state === 'published'
    $('publish').setAttribute('aria-checked', String(published))
    $('publish-help').textContent = t(published ? 'console.publish.on' : 'console.publish.off')
    $('public-page').hidden = !published
    $('public-page-link').href = `/archive/${encodeURIComponent(padId)}`
  }

  /** What each link lets people do now: after the purge, nobody writes with any of them. */
  const renderLinkHelp = () => {
    for (const role of ['edit', 'host', 'view']) {
      const after = !beforePurge(meta.state)
      $(`help-${role}`).textContent = t(after ? `console.link.${role}.after` : `home.link.${role}.help`)
    }
  }

  const render = () => {
    if (fatalKey) {
      $('fatal').textContent = t(fatalKey)
      return
    }
    if (!meta) return
    document.title = `${meta.title} · ${t('console.eyebrow')} · Skrid`
    $('title').textContent = meta.title
    $('schedule').textContent = scheduleLine(meta, language(), t)
    const state = $('state')
    state.dataset.state = meta.state
    state.textContent = t(`state.${meta.state}`)
    $('state-help').textContent = t(`console.state.${meta.state}`)
    renderTimeline()
    renderCountdown()
    const allowed = allowedActions(meta.state)
    for (const button of actionButtons) {
      button.hidden = !allowed.includes(button.dataset.action)
      button.disabled = busy
    }
    $('publish').disabled = busy
    renderContacts()
    renderPurge()
    renderLinkHelp()
    $('review-box').hidden = meta.state !== 'closed'
    review.render()
    const exportsNote = beforePurge(meta.state) ? 'console.exports.before' : 'console.exports.after'
    $('exports-help').textContent = t(exportsNote)
  }

  const refreshContacts = async () => {
    if (!meta || !beforePurge(meta.state)) return null
    const response = await api.file('/contacts')
    const csv = await response.text()
    contacts = contactCount(csv)
    renderContacts()
    return { csv, name: fileName(response.headers.get('content-disposition'), 'contacts.csv') }
  }

  /** Take fresh metadata; a host key is required, any other key gets a clear refusal. */
  const show = (loaded) => {
    if (loaded.role !== 'host') {
      fail(`console.error.${loaded.role === 'edit' ? 'edit' : 'view'}`)
      return
    }
    const stateChanged = meta?.state !== loaded.state
    meta = loaded
    // The links come with GET only: an action's answer carries the metadata without them.
    if (loaded.links) {
      for (const role of ['edit', 'host', 'view']) {
        $(`link-${role}`).value = new URL(loaded.links[role], window.location.origin).href
      }
    }
    $('open-pad').href = `/p/${encodeURIComponent(padId)}?k=${encodeURIComponent(key)}`
    $('open-pad').hidden = false
    $('loading').hidden = true
    $('console').hidden = false
    render()
    if (stateChanged) refreshContacts().catch(() => {})
    if (stateChanged && meta.state === 'closed') review.refresh().catch(() => {})
  }

  const refresh = async () => {
    const asked = moves
    try {
      const loaded = await api.pad()
      $('offline').hidden = true
      if (!fatalKey && asked === moves) show(loaded)
    } catch (error) {
      if (error instanceof ApiError) failFor(error.status)
      else $('offline').hidden = false
    }
  }

  /** Run a host move, after a confirmation when it cannot be undone. */
  const perform = async (action) => {
    if (IRREVERSIBLE.has(action)) {
      const confirmed = await confirmAction($('confirm'), {
        title: t(`console.confirm.${action}.title`),
        text: t(`console.confirm.${action}.text`),
        confirm: t(`console.confirm.${action}.ok`)
      })
      if (!confirmed) return
    }
    busy = true
    moves += 1
    render()
    try {
      if (action === 'delete') {
        await api.remove()
        fail('console.deleted')
        return
      }
      const after = await api.act(action)
      moves += 1
      show(after)
      notify(`console.done.${action}`)
    } catch (error) {
      moves += 1
      notify(error instanceof ApiError && error.status === 409
        ? 'console.error.conflict'
        : 'console.error.action')
      await refresh()
    } finally {
      busy = false
      render()
    }
  }

  const downloadContacts = async () => {
    try {
      const file = await refreshContacts()
      if (file) saveBlob(new Blob([file.csv], { type: 'text/csv' }), file.name)
    } catch {
      notify('console.error.download')
    }
  }

  const downloadExport = async (extension) => {
    try {
      const response = await api.file(`/export.${extension}`)
      const name = fileName(response.headers.get('content-disposition'), `skrid.${extension}`)
      saveBlob(await response.blob(), name)
    } catch {
      notify('console.error.download')
    }
  }

  for (const button of actionButtons) {
    button.addEventListener('click', () => perform(button.dataset.action))
  }
  $('publish').addEventListener('click', () =>
    perform(meta.state === 'published' ? 'unpublish' : 'publish'))
  $('contacts-download').addEventListener('click', downloadContacts)
  for (const button of document.querySelectorAll('[data-export]')) {
    button.addEventListener('click', () => downloadExport(button.dataset.export))
  }
  onLanguageChange(() => {
    render()
    notify(noticeKey)
  })

  refresh()
  timers.push(
    setInterval(refresh, REFRESH_MS),
    setInterval(renderCountdown, TICK_MS),
    setInterval(() => refreshContacts().catch(() => {}), CONTACTS_REFRESH_MS)
  )
}

start()
