"""Error pages for people: a browser that asks for a page (an unknown path, an archive id that
is not published) gets HTML in its language with a way back, not the API's JSON in English.

Only what a person opens gets one: a GET or HEAD outside `/api/` and `/static/` whose `Accept`
names `text/html` (what a browser's address bar sends, and `fetch` does not). The API, its
clients and the pages' own scripts keep the JSON error they read.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from .pages import render

NOT_FOR_PAGES = ("/api/", "/static/", "/ws/")
OTHER = 0
MESSAGES: dict[str, dict[int, tuple[str, str]]] = {
    "fr": {
        404: ("Page introuvable", "Cette page n’existe pas, ou plus."),
        OTHER: ("Erreur", "Le serveur n’a pas pu répondre. Réessayez dans un instant."),
    },
    "en": {
        404: ("Page not found", "This page does not exist, or no longer does."),
        OTHER: ("Error", "The server could not answer. Try again in a moment."),
    },
}
"""Each language's title and message, by status (OTHER: any other)."""
WAYS_BACK = {
    "fr": ("Retour à l’accueil de Skrid", "Les archives des webinaires"),
    "en": ("Back to Skrid’s home page", "The webinar archive"),
}


def wants_page(request: Request) -> bool:
    """Whether a person's browser asked for this page (see the module)."""
    if request.method not in ("GET", "HEAD") or request.url.path.startswith(NOT_FOR_PAGES):
        return False
    return "text/html" in request.headers.get("accept", "")


def language(request: Request) -> str:
    """French unless the browser prefers English (the first of the two it names)."""
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower().split("-")[0]
        if tag in MESSAGES:
            return tag
    return "fr"


def error_page(request: Request, status: int) -> Response:
    lang = language(request)
    messages = MESSAGES[lang]
    title, message = messages.get(status, messages[OTHER])
    home, archive = WAYS_BACK[lang]
    from_archive = request.url.path.startswith("/archive")
    return render(
        request,
        "error.html",
        None,
        status,
        lang=lang,
        title=title,
        message=message,
        home=home,
        archive=archive if from_archive else None,
    )
