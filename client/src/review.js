// The purge's review in the host's console, from the close until the purge: everything the
// purge will remove, each in its line, and the notes as it will leave them. The host keeps a
// found name, adds a word to remove or a speaker; the server stores those decisions and the
// scheduled purge applies them. The server computes the review with the purge's own function
// (GET/PUT /api/pads/{id}/purge-plan), so what is shown here is what the purge does.

const $ = (id) => document.getElementById(id)

const item = (text, context, line, t) => {
  const li = document.createElement('li')
  const what = document.createElement('strong')
  what.textContent = text
  const where = document.createElement('span')
  where.className = 'review-context'
  where.textContent = ` — ${t('console.review.line', { n: line })} : ${context}`
  li.append(what, where)
  return li
}

/** Mount the review; `api` is the console's padApi, `t`/`tn` its strings. */
export const initReview = ({ api, t, tn }) => {
  let plan = null
  let busy = false

  const fill = (listId, entries) => {
    const list = $(listId)
    list.replaceChildren(...entries)
    list.hidden = entries.length === 0
  }

  const render = () => {
    if (!plan) return
    const counts = plan.counts
    $('review-counts').textContent = t('console.review.counts', {
      email: counts.email, phone: counts.phone, name: counts.name, list: counts.list
    })
    fill('review-contacts', plan.contacts.items.map((c) => item(c.value, c.context, c.line, t)))
    fill('review-lists', plan.lists.items.map((l) =>
      item(l.heading, l.entries.join(', '), l.line, t)))
    fill('review-known', plan.known_names.items.map((n) =>
      item(`${n.written} → ${n.replacement}`, n.context, n.line, t)))
    fill('review-found', plan.found_names.items.map((n) => {
      const li = item(`${n.written} → ${n.replacement}`, n.context, n.line, t)
      const keep = document.createElement('button')
      keep.type = 'button'
      keep.className = 'review-keep'
      keep.dataset.name = n.name
      keep.textContent = t('console.review.keep')
      keep.disabled = busy
      li.append(' ', keep)
      return li
    }))
    $('review-empty').hidden = counts.email + counts.phone + counts.name + counts.list > 0
    $('review-kept').textContent = plan.decisions.keep.length
      ? t('console.review.kept', { names: plan.decisions.keep.join(', ') })
      : ''
    $('review-text').textContent = plan.text
    $('review-model').textContent = plan.model ? '' : t('console.review.no_model')
    $('review-found-count').textContent = tn('console.review.found', plan.found_names.count)
    $('review-found-count').hidden = false  // an empty heading until the plan is computed
  }

  const show = (answer) => {
    plan = answer
    $('review-status').textContent = ''
    render()
  }

  const refresh = async () => {
    $('review-status').textContent = t('console.review.computing')
    show(await api.plan())
  }

  const decide = async (change) => {
    if (!plan || busy) return
    busy = true
    render()
    try {
      const decisions = { ...plan.decisions }
      for (const [field, value] of Object.entries(change)) {
        if (!decisions[field].includes(value)) decisions[field] = [...decisions[field], value]
      }
      show(await api.decide(decisions))
    } catch (error) {
      $('review-status').textContent = t('console.review.failed', { message: error.message })
    } finally {
      busy = false
      render()
    }
  }

  $('review-found').addEventListener('click', (event) => {
    const name = event.target.closest('.review-keep')?.dataset.name
    if (name) decide({ keep: name })
  })
  for (const [formId, field] of [['review-remove-form', 'remove'], ['review-speaker-form', 'speakers']]) {
    $(formId).addEventListener('submit', (event) => {
      event.preventDefault()
      const input = event.target.querySelector('input')
      const value = input.value.trim()
      input.value = ''
      if (value) decide({ [field]: value })
    })
  }
  $('review-refresh').addEventListener('click', () => refresh().catch(() => {}))

  return { refresh, render }
}
