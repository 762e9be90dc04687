// The home page: create a pad for a webinar, then show its three links with copy buttons and
// say plainly which one goes to attendees.
import { zonedIso } from './clock.js'
import { scheduleProblem } from './schedule.js'
import { initCopyButtons } from './copy.js'
import { initLanguage, onLanguageChange, t } from './strings.js'

const TIMEZONE = 'Europe/Paris'
const $ = (id) => document.getElementById(id)
let createdTitle = null

/** Today's date in Paris as YYYY-MM-DD, the form's default. */
const todayInParis = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: TIMEZONE }).format(new Date())

const showError = (message) => {
  const box = $('form-error')
  box.textContent = message
  box.hidden = false
}

const renderCreated = () => {
  if (createdTitle !== null) $('created-title').textContent = t('home.created', { title: createdTitle })
}

const showLinks = (created, title) => {
  createdTitle = title
  renderCreated()
  for (const role of ['edit', 'host', 'view']) {
    $(`link-${role}`).value = new URL(created.links[role], window.location.origin).href
  }
  $('result').hidden = false
  $('result-heading').focus()
}

const submit = async (event) => {
  event.preventDefault()
  $('form-error').hidden = true
  const title = $('title').value.trim()
  const date = $('date').value
  const body = { title, template: document.querySelector('input[name=template]:checked').value }
  const speakers = $('speakers').value.split(',').map((name) => name.trim()).filter(Boolean)
  if (speakers.length) body.speakers = speakers
  const problem = scheduleProblem(date, $('start').value, $('end').value, TIMEZONE, Date.now())
  if (problem) {
    showError(t(problem))
    return
  }
  if (date && $('start').value) body.starts_at = zonedIso(date, $('start').value, TIMEZONE)
  if (date && $('end').value) body.ends_at = zonedIso(date, $('end').value, TIMEZONE)
  const button = $('create')
  button.disabled = true
  button.textContent = t('home.creating')
  try {
    const response = await fetch('/api/pads', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body)
    })
    const answer = await response.json().catch(() => ({}))
    if (response.status === 201) showLinks(answer, title)
    else showError(t('home.error.server', { message: answer.error?.message ?? response.status }))
  } catch {
    showError(t('home.error.network'))
  } finally {
    button.disabled = false
    button.textContent = t('home.submit')
  }
}

const start = () => {
  initLanguage($('lang'))
  initCopyButtons()
  onLanguageChange(renderCreated)
  $('date').value = todayInParis()
  $('create-form').addEventListener('submit', submit)
}

start()
