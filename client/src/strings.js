// Every string the interface shows, French first. Pages carry `data-i18n` keys only, so that
// switching language re-renders in place without reloading (a reload would drop offline edits).

export const LANGUAGES = ['fr', 'en']
const STORAGE_KEY = 'skrid.lang'

export const STRINGS = {
  fr: {
    'app.name': 'Skrid',
    'lang.label': 'Langue',
    'lang.fr': 'Français',
    'lang.en': 'English',

    'home.title': 'Créer un pad pour un webinaire',
    'home.intro': 'Un pad est un bloc-notes partagé : les participants y écrivent ensemble pendant le webinaire. Les adresses e-mail laissées dans le pad sont effacées après la réunion.',
    'home.field.title': 'Titre du webinaire',
    'home.field.date': 'Date',
    'home.field.start': 'Début',
    'home.field.end': 'Fin',
    'home.timezone': 'Heures de Paris.',
    'home.submit': 'Créer le pad',
    'home.creating': 'Création…',
    'home.created': 'Pad créé : « {title} »',
    'home.link.edit': 'Lien à partager avec les participants',
    'home.link.edit.help': "C'est celui-ci qu'il faut envoyer aux participants : il permet d'écrire dans le pad.",
    'home.link.host': "Lien de l'organisateur",
    'home.link.host.help': 'Gardez-le pour vous : il permet de fermer, purger et publier le pad.',
    'home.link.view': 'Lien de lecture seule',
    'home.link.view.help': 'Pour les personnes qui doivent suivre sans écrire.',
    'home.copy': 'Copier',
    'home.copied': 'Copié',
    'home.copy.label': 'Copier le {link}',
    'home.error.end_before_start': "L'heure de fin doit suivre l'heure de début.",
    'home.error.network': 'Le serveur ne répond pas. Réessayez.',
    'home.error.server': 'Le pad n’a pas pu être créé : {message}',

    'pad.loading': 'Chargement du pad…',
    'pad.notes': 'Notes',
    'pad.editor.label': 'Notes du webinaire (Markdown)',
    'pad.editor.placeholder': 'Prenez vos notes ici, en Markdown…',
    'pad.undo': 'Annuler',
    'pad.redo': 'Rétablir',
    'pad.undo.label': 'Annuler ma dernière modification',
    'pad.redo.label': 'Rétablir ma dernière modification annulée',
    'pad.name.button': 'Nom : {name}',
    'pad.name.title': 'Comment vous appelez-vous ?',
    'pad.name.help': 'Votre nom s’affiche à côté de votre curseur pour les autres participants.',
    'pad.name.label': 'Votre nom',
    'pad.name.save': 'Valider',
    'pad.name.guest': 'Invité·e {n}',
    'pad.participants': 'Participants',
    'pad.participants.count': '{n} en ligne',
    'pad.participants.you': '(vous)',
    'pad.tabs.label': 'Panneaux',
    'pad.preview': 'Aperçu',
    'pad.links': 'Liens cités',
    'pad.links.count': 'Liens cités ({n})',
    'pad.links.empty': 'Aucun lien pour l’instant.',
    'pad.schedule.range': '{day}, {start} – {end}',
    'pad.schedule.from': 'À partir du {start}',
    'pad.schedule.none': 'Sans horaire',

    'status.connecting': 'Connexion…',
    'status.connected': 'Connecté',
    'status.reconnecting': 'Reconnexion…',
    'status.offline_unsent': 'Hors ligne : modifications pas encore envoyées',
    'status.refused': 'Connexion refusée',

    'banner.view': 'Lecture seule : ce lien permet de lire le pad, pas d’y écrire.',
    'banner.closed': 'Le pad est fermé : le webinaire est terminé. Les adresses e-mail seront effacées le {purge}.',
    'banner.closed.unknown': 'Le pad est fermé : le webinaire est terminé.',
    'banner.purged': 'Le pad est archivé : les adresses e-mail en ont été effacées.',
    'banner.published': 'Le pad est publié : il ne peut plus être modifié.',
    'banner.readonly': 'Ce pad est en lecture seule.',

    'error.401': 'Ce lien n’est pas valide : la clé est absente ou incorrecte.',
    'error.403': 'Ce lien ne donne pas accès à ce pad.',
    'error.404': 'Ce pad n’existe pas ou a été supprimé.',
    'error.other': 'Le pad n’a pas pu être chargé. Réessayez dans un instant.'
  },
  en: {
    'app.name': 'Skrid',
    'lang.label': 'Language',
    'lang.fr': 'Français',
    'lang.en': 'English',

    'home.title': 'Create a pad for a webinar',
    'home.intro': 'A pad is a shared notebook: attendees write in it together during the webinar. E-mail addresses left in the pad are erased after the meeting.',
    'home.field.title': 'Webinar title',
    'home.field.date': 'Date',
    'home.field.start': 'Start',
    'home.field.end': 'End',
    'home.timezone': 'Paris time.',
    'home.submit': 'Create the pad',
    'home.creating': 'Creating…',
    'home.created': 'Pad created: “{title}”',
    'home.link.edit': 'Link to share with attendees',
    'home.link.edit.help': 'This is the one to send to attendees: it lets them write in the pad.',
    'home.link.host': 'Host link',
    'home.link.host.help': 'Keep it to yourself: it closes, purges and publishes the pad.',
    'home.link.view': 'Read-only link',
    'home.link.view.help': 'For people who should follow without writing.',
    'home.copy': 'Copy',
    'home.copied': 'Copied',
    'home.copy.label': 'Copy the {link}',
    'home.error.end_before_start': 'The end time must come after the start time.',
    'home.error.network': 'The server does not answer. Please try again.',
    'home.error.server': 'The pad could not be created: {message}',

    'pad.loading': 'Loading the pad…',
    'pad.notes': 'Notes',
    'pad.editor.label': 'Webinar notes (Markdown)',
    'pad.editor.placeholder': 'Take your notes here, in Markdown…',
    'pad.undo': 'Undo',
    'pad.redo': 'Redo',
    'pad.undo.label': 'Undo my last change',
    'pad.redo.label': 'Redo my last undone change',
    'pad.name.button': 'Name: {name}',
    'pad.name.title': 'What is your name?',
    'pad.name.help': 'Your name is shown next to your cursor to the other attendees.',
    'pad.name.label': 'Your name',
    'pad.name.save': 'Save',
    'pad.name.guest': 'Guest {n}',
    'pad.participants': 'Participants',
    'pad.participants.count': '{n} online',
    'pad.participants.you': '(you)',
    'pad.tabs.label': 'Panels',
    'pad.preview': 'Preview',
    'pad.links': 'Cited links',
    'pad.links.count': 'Cited links ({n})',
    'pad.links.empty': 'No links yet.',
    'pad.schedule.range': '{day}, {start} – {end}',
    'pad.schedule.from': 'From {start}',
    'pad.schedule.none': 'No schedule',

    'status.connecting': 'Connecting…',
    'status.connected': 'Connected',
    'status.reconnecting': 'Reconnecting…',
    'status.offline_unsent': 'Offline: changes not sent yet',
    'status.refused': 'Connection refused',

    'banner.view': 'Read-only: this link lets you read the pad, not write in it.',
    'banner.closed': 'The pad is closed: the webinar is over. E-mail addresses will be erased on {purge}.',
    'banner.closed.unknown': 'The pad is closed: the webinar is over.',
    'banner.purged': 'The pad is archived: its e-mail addresses have been erased.',
    'banner.published': 'The pad is published: it can no longer be changed.',
    'banner.readonly': 'This pad is read-only.',

    'error.401': 'This link is not valid: the key is missing or wrong.',
    'error.403': 'This link does not give access to this pad.',
    'error.404': 'This pad does not exist or was deleted.',
    'error.other': 'The pad could not be loaded. Try again in a moment.'
  }
}

let current = 'fr'
const listeners = new Set()

/** The saved choice, else the first of the browser's languages that we speak, else French. */
export const preferredLanguage = (saved, browserLanguages) => {
  if (LANGUAGES.includes(saved)) return saved
  for (const tag of browserLanguages) {
    const base = String(tag).toLowerCase().split('-')[0]
    if (LANGUAGES.includes(base)) return base
  }
  return 'fr'
}

const readSaved = () => {
  try {
    return window.localStorage.getItem(STORAGE_KEY)
  } catch {
    return null
  }
}

export const language = () => current

/** Translate `key`, filling `{name}` placeholders from `vars`. An unknown key shows as itself. */
export const t = (key, vars = {}) => {
  const template = STRINGS[current][key] ?? STRINGS.fr[key] ?? key
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole))
}

/** Fill every `data-i18n` (text), `data-i18n-placeholder` and `data-i18n-label` element. */
export const applyStrings = (root = document) => {
  document.documentElement.lang = current
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n)
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.placeholder = t(el.dataset.i18nPlaceholder)
  }
  for (const el of root.querySelectorAll('[data-i18n-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nLabel))
  }
}

/** Switch language, remember the choice, and re-render everything that registered. */
export const setLanguage = (lang) => {
  if (!LANGUAGES.includes(lang)) return
  current = lang
  try {
    window.localStorage.setItem(STORAGE_KEY, lang)
  } catch {}
  applyStrings()
  for (const listener of listeners) listener(lang)
}

export const onLanguageChange = (listener) => listeners.add(listener)

/** Pick the language at start-up and wire the `<select>` that lets the person change it. */
export const initLanguage = (select) => {
  current = preferredLanguage(readSaved(), navigator.languages ?? [navigator.language])
  applyStrings()
  if (!select) return
  select.replaceChildren(...LANGUAGES.map((lang) => new Option(t(`lang.${lang}`), lang)))
  select.value = current
  select.addEventListener('change', () => setLanguage(select.value))
}
