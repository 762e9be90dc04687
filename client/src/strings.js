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
    'home.timezone': 'Heure de Paris.',
    'home.submit': 'Créer le pad',
    'home.field.speakers': 'Intervenant·es',
    'home.speakers.note': 'Séparés par des virgules. Leurs noms sont publics : l’anonymisation les garde.',
    'home.field.template': 'Notes',
    'home.template.webinar': 'Modèle de webinaire (intervenant·es, participants, mel, questions, tour de parole)',
    'home.template.plain': 'Pad vide',
    'home.creating': 'Création…',
    'home.created': 'Pad créé : « {title} »',
    'home.link.edit': 'Lien à partager avec les participants',
    'home.link.edit.help': 'C’est celui-ci qu’il faut envoyer aux participants : il permet d’écrire dans le pad.',
    'home.link.host': 'Lien de l’organisation',
    'home.link.host.help': 'Gardez-le pour vous : il permet de fermer le pad, d’en effacer les données personnelles et de publier les notes.',
    'home.link.view': 'Lien de lecture seule',
    'home.link.view.help': 'Pour les personnes qui doivent suivre sans écrire.',
    'home.copy': 'Copier',
    'home.copied': 'Copié',
    'home.copy.label': 'Copier le {link}',
    'home.error.end_before_start': 'L’heure de fin doit suivre l’heure de début.',
    'home.error.time_without_date': 'Indiquez la date du webinaire : une heure sans date ne peut pas être enregistrée.',
    'home.error.end_passed': 'Cette fin est déjà passée : le pad serait fermé dès sa création, et ses données personnelles bientôt effacées. Choisissez une fin à venir.',
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
    'pad.promise.label': 'Ce que deviennent vos notes',
    'pad.promise': 'Les adresses e-mail, les numéros de téléphone et les noms des participants seront effacés le {purge} ; les notes, anonymisées, pourront ensuite être publiées.',
    'pad.promise.later': 'Les adresses e-mail, les numéros de téléphone et les noms des participants seront effacés après le webinaire ; les notes, anonymisées, pourront ensuite être publiées.',

    'status.connecting': 'Connexion…',
    'status.connected': 'Connecté',
    'status.reconnecting': 'Reconnexion…',
    'status.offline_unsent': 'Hors ligne : modifications pas encore envoyées',
    'status.refused': 'Connexion refusée',
    'status.full': 'Pad plein : votre dernière modification n’a pas été enregistrée (copiez-la ailleurs)',

    'banner.view': 'Lecture seule : ce lien permet de lire le pad, pas d’y écrire.',
    'banner.closed': 'Le pad est fermé : le webinaire est terminé. Les adresses e-mail, les numéros de téléphone et les noms des participants seront effacés le {purge}.',
    'banner.closed.unknown': 'Le pad est fermé : le webinaire est terminé.',
    'banner.closed.host': 'Le pad est fermé : les participants le lisent sans écrire ; vous seul·e pouvez encore mettre les notes au propre. Les adresses e-mail, les numéros de téléphone et les noms des participants seront effacés le {purge}.',
    'banner.closed.host.unknown': 'Le pad est fermé : les participants le lisent sans écrire ; vous seul·e pouvez encore mettre les notes au propre.',
    'banner.purging': 'Effacement en cours : les adresses e-mail, les numéros de téléphone et les noms des participants sont en train d’être effacés ; plus personne n’écrit.',
    'banner.purged': 'Les adresses e-mail, les numéros de téléphone et les noms des participants ont été effacés : les notes sont anonymisées et ne peuvent plus être modifiées.',
    'banner.published': 'Les notes anonymisées sont publiées dans l’archive publique : elles ne peuvent plus être modifiées.',
    'banner.readonly': 'Ce pad est en lecture seule.',

    'state.scheduled': 'Programmé',
    'state.live': 'En cours',
    'state.closed': 'Fermé',
    'state.purging': 'Effacement en cours',
    'state.purged': 'Anonymisé',
    'state.published': 'Publié',

    'duration.days': '{d} j {h} h {m} min',
    'duration.hours': '{h} h {m} min {s} s',
    'duration.minutes': '{m} min {s} s',
    'duration.seconds': '{s} s',

    'console.eyebrow': 'Console de l’organisation',
    'console.loading': 'Chargement de la console…',
    'console.open': 'Ouvrir le pad',
    'console.offline': 'Le serveur ne répond pas : nouvel essai dans quelques secondes…',
    'console.state.heading': 'État et calendrier',
    'console.state.scheduled': 'Le webinaire n’a pas commencé ; les participants peuvent déjà écrire.',
    'console.state.live': 'Les participants écrivent dans le pad.',
    'console.state.closed': 'Les participants lisent sans écrire ; vous pouvez encore mettre les notes au propre, et rouvrir le pad jusqu’à l’effacement des données personnelles.',
    'console.state.purging': 'L’effacement a commencé ; il se termine de lui-même dès que la base de données le permet (un autre programme la lit peut-être, ou le disque est plein).',
    'console.state.purged': 'Les adresses e-mail et les numéros de téléphone sont effacés ; plus personne n’écrit.',
    'console.state.published': 'Les notes anonymisées sont dans l’archive publique.',
    'console.next.start': 'Ouverture',
    'console.next.close': 'Fermeture automatique',
    'console.next.purge': 'Effacement automatique des données personnelles',
    'console.next.in': '{action} dans {left} ({when})',
    'console.next.due': '{action} imminente (prévue le {when})',
    'console.next.none': 'Aucune étape automatique prévue : le pad se ferme à la main.',
    'console.time.starts': 'Début',
    'console.time.ends': 'Fin',
    'console.time.closed': 'Fermé le',
    'console.time.purge': 'Effacement prévu',
    'console.time.purged': 'Anonymisé le',
    'console.time.published': 'Publié le',
    'console.actions.label': 'Changer l’état du pad',
    'console.action.close': 'Fermer le pad',
    'console.action.reopen': 'Rouvrir le pad',
    'console.action.purge': 'Effacer les données personnelles',
    'console.action.delete': 'Supprimer le pad',
    'console.done.close': 'Pad fermé : les participants ne peuvent plus écrire.',
    'console.done.reopen': 'Pad rouvert : les participants peuvent de nouveau écrire.',
    'console.done.purge': 'Données personnelles effacées.',
    'console.done.publish': 'Pad publié dans l’archive publique.',
    'console.done.unpublish': 'Pad retiré de l’archive publique.',
    'console.deleted': 'Le pad a été supprimé, avec toutes ses données.',
    'console.confirm.cancel': 'Annuler',
    'console.confirm.purge.title': 'Effacer les données personnelles maintenant ?',
    'console.confirm.purge.text': 'Les adresses e-mail et les numéros de téléphone seront effacés du pad pour toujours, et la liste de contacts avec eux. Plus personne ne pourra écrire. Téléchargez la liste de contacts avant si vous en avez besoin.',
    'console.confirm.purge.ok': 'Effacer définitivement',
    'console.confirm.delete.title': 'Supprimer le pad ?',
    'console.confirm.delete.text': 'Le pad, ses notes et tout son historique seront supprimés pour toujours. Ses liens ne fonctionneront plus.',
    'console.confirm.delete.ok': 'Supprimer définitivement',
    'console.contacts.heading': 'Liste de contacts',
    'console.contacts.help': 'Les adresses e-mail que les participants ont laissées dans le pad. Elles seront effacées avec les autres données personnelles : téléchargez la liste avant.',
    'console.review.heading': 'Avant l’effacement : ce qui sera retiré',
    'console.review.help': 'Calculé comme l’effacement le fera, avec vos décisions : l’effacement programmé les applique même si personne ne revient ici.',
    'console.review.counts': '{email} adresse(s), {phone} téléphone(s), {name} nom(s), {list} liste(s) personnelle(s)',
    'console.review.computing': 'Calcul en cours…',
    'console.review.failed': 'La décision n’a pas été enregistrée : {message}',
    'console.review.no_model': 'Noms trouvés par les règles et les noms connus seulement (modèle de langue absent).',
    'console.review.empty': 'Rien à retirer pour l’instant.',
    'console.review.contacts': 'Adresses et téléphones',
    'console.review.lists': 'Listes personnelles (retirées entières)',
    'console.review.known': 'Noms connus (affichés dans le pad, inscrits dans une liste)',
    'console.review.found.one': '{n} nom trouvé dans le texte',
    'console.review.found.other': '{n} noms trouvés dans le texte',
    'console.review.line': 'ligne {n}',
    'console.review.keep': 'Garder',
    'console.review.kept': 'Gardés : {names}',
    'console.review.remove': 'Un mot ou un nom à retirer partout',
    'console.review.speaker': 'Un·e intervenant·e à garder',
    'console.review.add': 'Ajouter',
    'console.review.refresh': 'Recalculer',
    'console.review.preview': 'Les notes après l’effacement',
    'console.contacts.count.one': '{n} adresse e-mail',
    'console.contacts.count.other': '{n} adresses e-mail',
    'console.contacts.download': 'Télécharger la liste (CSV)',
    'console.purged.heading': 'Ce que l’effacement a retiré',
    'console.purged.help': 'La liste de contacts a été effacée avec les autres données personnelles ; seuls ces nombres sont conservés.',
    'console.purged.email': 'Adresses e-mail',
    'console.purged.phone': 'Numéros de téléphone',
    'console.purged.contributors': 'Participants ayant écrit',
    'console.publish.label': 'Publié dans l’archive publique',
    'console.publish.on': 'Tout le monde peut lire les notes anonymisées, sans lien.',
    'console.publish.off': 'Seules les personnes qui ont un lien peuvent lire les notes.',
    'console.publish.page': 'Voir la page publique des notes',
    'console.links.heading': 'Liens du pad',
    'console.link.edit.after': 'Depuis l’effacement, ce lien permet seulement de lire les notes anonymisées.',
    'console.link.view.after': 'Depuis l’effacement, ce lien permet seulement de lire les notes anonymisées.',
    'console.link.host.after': 'Gardez-le pour vous : il permet de publier les notes anonymisées, de les retirer de l’archive et de supprimer le pad.',
    'console.exports.heading': 'Télécharger les notes',
    'console.exports.before': 'Avant l’effacement, les exports contiennent encore les adresses e-mail.',
    'console.exports.after': 'Les exports contiennent les notes anonymisées.',
    'console.export.md': 'Markdown (.md)',
    'console.export.html': 'Page web (.html)',
    'console.export.txt': 'Texte brut (.txt)',
    'console.export.json': 'JSON avec les liens (.json)',
    'console.export.yjs': 'Copie technique, pour les développeurs (Yjs, .yjs)',
    'console.export.zip': 'Tout en un (.zip)',
    'console.delete.heading': 'Supprimer le pad',
    'console.delete.help': 'Efface le pad et toutes ses données, à tout moment. C’est irréversible.',
    'console.error.edit': 'Ce lien est celui des participants : il permet d’écrire dans le pad, pas de le gérer. Ouvrez le lien de l’organisation pour accéder à la console.',
    'console.error.view': 'Ce lien est celui de lecture seule : il ne permet pas de gérer le pad. Ouvrez le lien de l’organisation pour accéder à la console.',
    'console.error.conflict': 'Impossible : l’état du pad a changé entre-temps. La console est à jour.',
    'console.error.action': 'L’action a échoué. Réessayez dans un instant.',
    'console.error.download': 'Le téléchargement a échoué. Réessayez dans un instant.',

    'error.401': 'Ce lien n’est pas valide : la clé est absente ou incorrecte.',
    'error.403': 'Ce lien ne donne pas accès à ce pad.',
    'error.404': 'Ce pad n’existe pas ou a été supprimé.',
    'error.other': 'Le pad n’a pas pu être chargé. Réessayez dans un instant.',
    'error.home': 'Retour à l’accueil de Skrid'
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
    'home.field.speakers': 'Speakers',
    'home.speakers.note': 'Separated by commas. Their names are public: anonymisation keeps them.',
    'home.field.template': 'Notes',
    'home.template.webinar': 'Webinar template (speakers, participants, mel, questions, round of speaking)',
    'home.template.plain': 'Empty pad',
    'home.creating': 'Creating…',
    'home.created': 'Pad created: “{title}”',
    'home.link.edit': 'Link to share with attendees',
    'home.link.edit.help': 'This is the one to send to attendees: it lets them write in the pad.',
    'home.link.host': 'Host link',
    'home.link.host.help': 'Keep it to yourself: it closes the pad, erases its personal data and publishes the notes.',
    'home.link.view': 'Read-only link',
    'home.link.view.help': 'For people who should follow without writing.',
    'home.copy': 'Copy',
    'home.copied': 'Copied',
    'home.copy.label': 'Copy the {link}',
    'home.error.end_before_start': 'The end time must come after the start time.',
    'home.error.time_without_date': 'Give the webinar’s date: a time without a date cannot be kept.',
    'home.error.end_passed': 'This end has already passed: the pad would be closed as soon as it is created, and its personal data soon erased. Choose an end to come.',
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
    'pad.promise.label': 'What becomes of your notes',
    'pad.promise': 'E-mail addresses, phone numbers and attendees’ names will be erased on {purge}; the notes, anonymised, may then be published.',
    'pad.promise.later': 'E-mail addresses, phone numbers and attendees’ names will be erased after the webinar; the notes, anonymised, may then be published.',

    'status.connecting': 'Connecting…',
    'status.connected': 'Connected',
    'status.reconnecting': 'Reconnecting…',
    'status.offline_unsent': 'Offline: changes not sent yet',
    'status.refused': 'Connection refused',
    'status.full': 'Pad full: your last change was not saved (copy it elsewhere)',

    'banner.view': 'Read-only: this link lets you read the pad, not write in it.',
    'banner.closed': 'The pad is closed: the webinar is over. E-mail addresses, phone numbers and attendees’ names will be erased on {purge}.',
    'banner.closed.unknown': 'The pad is closed: the webinar is over.',
    'banner.closed.host': 'The pad is closed: attendees read it without writing; only you can still tidy the notes. E-mail addresses, phone numbers and attendees’ names will be erased on {purge}.',
    'banner.closed.host.unknown': 'The pad is closed: attendees read it without writing; only you can still tidy the notes.',
    'banner.purging': 'Erasing: e-mail addresses, phone numbers and attendees’ names are being erased; nobody writes any more.',
    'banner.purged': 'E-mail addresses, phone numbers and attendees’ names have been erased: the notes are anonymised and can no longer be changed.',
    'banner.published': 'The anonymised notes are published in the public archive: they can no longer be changed.',
    'banner.readonly': 'This pad is read-only.',

    'state.scheduled': 'Scheduled',
    'state.live': 'Live',
    'state.closed': 'Closed',
    'state.purging': 'Erasing',
    'state.purged': 'Anonymised',
    'state.published': 'Published',

    'duration.days': '{d} d {h} h {m} min',
    'duration.hours': '{h} h {m} min {s} s',
    'duration.minutes': '{m} min {s} s',
    'duration.seconds': '{s} s',

    'console.eyebrow': 'Host console',
    'console.loading': 'Loading the console…',
    'console.open': 'Open the pad',
    'console.offline': 'The server does not answer: trying again in a few seconds…',
    'console.state.heading': 'State and schedule',
    'console.state.scheduled': 'The webinar has not started; attendees can already write.',
    'console.state.live': 'Attendees are writing in the pad.',
    'console.state.closed': 'Attendees read without writing; you can still tidy the notes, and reopen the pad until its personal data is erased.',
    'console.state.purging': 'The erasure has begun; it completes by itself as soon as the database allows (another program may be reading it, or the disk is full).',
    'console.state.purged': 'E-mail addresses and phone numbers are erased; nobody writes any more.',
    'console.state.published': 'The anonymised notes are in the public archive.',
    'console.next.start': 'Opening',
    'console.next.close': 'Automatic close',
    'console.next.purge': 'Automatic erasure of personal data',
    'console.next.in': '{action} in {left} ({when})',
    'console.next.due': '{action} due now (planned for {when})',
    'console.next.none': 'No automatic step planned: the pad closes by hand.',
    'console.time.starts': 'Start',
    'console.time.ends': 'End',
    'console.time.closed': 'Closed on',
    'console.time.purge': 'Erasure planned',
    'console.time.purged': 'Anonymised on',
    'console.time.published': 'Published on',
    'console.actions.label': 'Change the pad’s state',
    'console.action.close': 'Close the pad',
    'console.action.reopen': 'Reopen the pad',
    'console.action.purge': 'Erase personal data',
    'console.action.delete': 'Delete the pad',
    'console.done.close': 'Pad closed: attendees can no longer write.',
    'console.done.reopen': 'Pad reopened: attendees can write again.',
    'console.done.purge': 'Personal data erased.',
    'console.done.publish': 'Pad published in the public archive.',
    'console.done.unpublish': 'Pad withdrawn from the public archive.',
    'console.deleted': 'The pad was deleted, with all its data.',
    'console.confirm.cancel': 'Cancel',
    'console.confirm.purge.title': 'Erase personal data now?',
    'console.confirm.purge.text': 'E-mail addresses and phone numbers will be erased from the pad for good, and the contact list with them. Nobody will be able to write any more. Download the contact list first if you need it.',
    'console.confirm.purge.ok': 'Erase for good',
    'console.confirm.delete.title': 'Delete the pad?',
    'console.confirm.delete.text': 'The pad, its notes and all its history will be deleted for good. Its links will stop working.',
    'console.confirm.delete.ok': 'Delete for good',
    'console.contacts.heading': 'Contact list',
    'console.contacts.help': 'The e-mail addresses attendees left in the pad. They will be erased with the other personal data: download the list before.',
    'console.review.heading': 'Before the erasure: what will be removed',
    'console.review.help': 'Computed as the erasure will do it, with your decisions: the scheduled erasure applies them even if nobody comes back here.',
    'console.review.counts': '{email} address(es), {phone} phone(s), {name} name(s), {list} personal list(s)',
    'console.review.computing': 'Computing…',
    'console.review.failed': 'The decision was not saved: {message}',
    'console.review.no_model': 'Names found by the rules and the known names only (no language model).',
    'console.review.empty': 'Nothing to remove so far.',
    'console.review.contacts': 'Addresses and phones',
    'console.review.lists': 'Personal lists (removed whole)',
    'console.review.known': 'Known names (shown in the pad, written in a list)',
    'console.review.found.one': '{n} name found in the text',
    'console.review.found.other': '{n} names found in the text',
    'console.review.line': 'line {n}',
    'console.review.keep': 'Keep',
    'console.review.kept': 'Kept: {names}',
    'console.review.remove': 'A word or name to remove everywhere',
    'console.review.speaker': 'A speaker to keep',
    'console.review.add': 'Add',
    'console.review.refresh': 'Compute again',
    'console.review.preview': 'The notes after the erasure',
    'console.contacts.count.one': '{n} e-mail address',
    'console.contacts.count.other': '{n} e-mail addresses',
    'console.contacts.download': 'Download the list (CSV)',
    'console.purged.heading': 'What the erasure removed',
    'console.purged.help': 'The contact list was erased with the other personal data; only these numbers are kept.',
    'console.purged.email': 'E-mail addresses',
    'console.purged.phone': 'Phone numbers',
    'console.purged.contributors': 'Attendees who wrote',
    'console.publish.label': 'Published in the public archive',
    'console.publish.on': 'Anyone can read the anonymised notes, without a link.',
    'console.publish.off': 'Only people with a link can read the notes.',
    'console.publish.page': 'See the notes’ public page',
    'console.links.heading': 'The pad’s links',
    'console.link.edit.after': 'Since the erasure, this link only lets people read the anonymised notes.',
    'console.link.view.after': 'Since the erasure, this link only lets people read the anonymised notes.',
    'console.link.host.after': 'Keep it to yourself: it publishes the anonymised notes, withdraws them from the archive and deletes the pad.',
    'console.exports.heading': 'Download the notes',
    'console.exports.before': 'Before the erasure, exports still hold the e-mail addresses.',
    'console.exports.after': 'Exports hold the anonymised notes.',
    'console.export.md': 'Markdown (.md)',
    'console.export.html': 'Web page (.html)',
    'console.export.txt': 'Plain text (.txt)',
    'console.export.json': 'JSON with links (.json)',
    'console.export.yjs': 'Technical copy, for developers (Yjs, .yjs)',
    'console.export.zip': 'Everything (.zip)',
    'console.delete.heading': 'Delete the pad',
    'console.delete.help': 'Erases the pad and all its data, at any time. This cannot be undone.',
    'console.error.edit': 'This is the attendees’ link: it lets you write in the pad, not manage it. Open the host link to reach the console.',
    'console.error.view': 'This is the read-only link: it does not let you manage the pad. Open the host link to reach the console.',
    'console.error.conflict': 'Not possible: the pad’s state changed meanwhile. The console is up to date.',
    'console.error.action': 'The action failed. Try again in a moment.',
    'console.error.download': 'The download failed. Try again in a moment.',

    'error.401': 'This link is not valid: the key is missing or wrong.',
    'error.403': 'This link does not give access to this pad.',
    'error.404': 'This pad does not exist or was deleted.',
    'error.other': 'The pad could not be loaded. Try again in a moment.',
    'error.home': 'Back to Skrid’s home page'
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

/**
 * Translate `key` for the count `n`, by the language's plural rules: `KEY.one` or `KEY.other`
 * (French says "0 adresse", English "0 addresses"). Rules past these two fall back on `other`.
 */
export const tn = (key, n) => {
  const form = `${key}.${new Intl.PluralRules(current).select(n)}`
  return t(form in STRINGS[current] ? form : `${key}.other`, { n })
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
