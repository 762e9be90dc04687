"""Every word the public archive shows, French first, then English: one dict per language.

Pages, feed and activity picture all read their wording here, so a translation is one edit.
Counted phrases hold a (one, many) pair: French says « 0 lien » and « 1 lien », English
"0 links" and "1 link", so each language's `plural` rule picks the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from exports.human_time import LANGUAGES

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
"""Each language in its own words, for the switch between them."""

TEXTS: dict[str, dict[str, Any]] = {
    "fr": {
        "archive_title": "Archives des webinaires",
        "language": "Langue",
        "archive_intro": "Les notes prises ensemble pendant les webinaires du réseau, "
        "publiées une fois les adresses et numéros de téléphone retirés.",
        "no_entries": "Aucune note publiée pour l’instant.",
        "feed": "Fil Atom",
        "back": "Toutes les notes",
        "notes": "Notes",
        "links": "Liens cités",
        "no_links": "Aucun lien cité.",
        "line": "ligne {line} :",
        "activity": "Activité pendant le webinaire",
        "downloads": "Télécharger",
        "published": "Publié le {date}",
        "removed_none": "Aucune adresse ni numéro de téléphone n’était à retirer.",
        "removed_intro": "Retirés avant publication :",
        "counts": {
            "link": ("{n} lien", "{n} liens"),
            "email": ("{n} adresse e-mail retirée", "{n} adresses e-mail retirées"),
            "phone": ("{n} numéro de téléphone retiré", "{n} numéros de téléphone retirés"),
            "other": ("{n} élément retiré ({kind})", "{n} éléments retirés ({kind})"),
            "contributors": ("{n} personne a écrit", "{n} personnes ont écrit"),
            "edits": ("{n} modification", "{n} modifications"),
        },
        "activity_title": "Modifications par minute",
        "activity_desc": "{edits} en {minutes} min ; {contributors}.",
        "activity_desc_alone": "{edits} en {minutes} min.",
        "activity_bucket": "{minutes} min par barre",
        "activity_empty": "Aucune modification enregistrée.",
        "bar": "{start}–{end} min : {edits}",
        "formats": {
            "md": "Markdown",
            "txt": "Texte brut",
            "html": "Page web",
            "json": "JSON (avec les liens)",
            "yjs": "Copie technique (Yjs)",
            "zip": "Tout (ZIP)",
        },
    },
    "en": {
        "archive_title": "Webinar archive",
        "language": "Language",
        "archive_intro": "Notes taken together during the network's webinars, published once "
        "e-mail addresses and phone numbers were removed.",
        "no_entries": "No notes published yet.",
        "feed": "Atom feed",
        "back": "All notes",
        "notes": "Notes",
        "links": "Cited links",
        "no_links": "No links cited.",
        "line": "line {line}:",
        "activity": "Activity during the webinar",
        "downloads": "Download",
        "published": "Published on {date}",
        "removed_none": "There were no addresses or phone numbers to remove.",
        "removed_intro": "Removed before publication:",
        "counts": {
            "link": ("{n} link", "{n} links"),
            "email": ("{n} e-mail address removed", "{n} e-mail addresses removed"),
            "phone": ("{n} phone number removed", "{n} phone numbers removed"),
            "other": ("{n} item removed ({kind})", "{n} items removed ({kind})"),
            "contributors": ("{n} person wrote", "{n} people wrote"),
            "edits": ("{n} edit", "{n} edits"),
        },
        "activity_title": "Edits per minute",
        "activity_desc": "{edits} over {minutes} min; {contributors}.",
        "activity_desc_alone": "{edits} over {minutes} min.",
        "activity_bucket": "{minutes} min per bar",
        "activity_empty": "No edits recorded.",
        "bar": "{start}–{end} min: {edits}",
        "formats": {
            "md": "Markdown",
            "txt": "Plain text",
            "html": "Web page",
            "json": "JSON (with the links)",
            "yjs": "Technical copy (Yjs)",
            "zip": "Everything (ZIP)",
        },
    },
}

_PLURAL: dict[str, Callable[[int], bool]] = {
    "fr": lambda n: n > 1,
    "en": lambda n: n != 1,
}
"""Whether `n` takes the plural form: French keeps 0 and 1 singular."""


def texts(lang: str) -> dict[str, Any]:
    """The wording of `lang`; an unknown language is a caller's bug, not a visitor's wish."""
    if lang not in TEXTS:
        raise ValueError(f"unknown language {lang!r}, expected one of {LANGUAGES}")
    return TEXTS[lang]


def counted(lang: str, key: str, n: int, **values: object) -> str:
    """`n` things of kind `key` in words: `counted("fr", "link", 2)` is « 2 liens »."""
    one: str
    many: str
    one, many = texts(lang)["counts"][key]
    return (many if _PLURAL[lang](n) else one).format(n=n, **values)
