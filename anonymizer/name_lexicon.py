"""The word lists the name rules consult: first names, and what is never a name.

The lists are package data (`anonymizer/data/*.txt`, written by hand, read once) or small sets
here. Every entry is folded (see `folding`), so lookups take a token's `key`. The first-name
lexicon is what lets the rules trust a word at a line start, in a signature or after a cue
word: an ordinary capitalised word there is not taken for a name.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from anonymizer.folding import fold, fold_name


def _spaced(words: str) -> list[str]:
    return words.split()


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(word) for word in _spaced(words))


MIN_PIECE_LETTERS = 3
"""A piece of a name (first name or surname alone) is matched only from this length on."""

VENUE_WORDS = _folded(
    "rue avenue av bd boulevard place allée impasse quai chemin route cours square passage "
    "lycée collège école maison salle espace centre médiathèque bibliothèque parc stade pont "
    "résidence gymnase hôpital clinique théâtre cinéma musée fondation institut université "
    "campus halle port gare église chapelle cité hameau station arrêt prix saint sainte st "
    "ste amphi amphithéâtre auditorium complexe piscine jardin esplanade promenade "
    "domaine château manoir ferme ehpad crèche iut chu tribune scolaire social sociale "
    "culturel culturelle sportif sportive municipal municipale associatif associative pays "
    "commune ville communauté métropole agglomération agglo département région convention ccl"
)
"""A name right after one of these (`rue Jean Jaurès`, `lycée Anne de Bretagne`, `centre social
Maurice Ravel`, `Pays de Léon`, `la convention de Josselin`) is a place."""

TOOLS = _folded(
    "Zoom Framapad Jitsi BigBlueButton BBB Teams Padlet Discord Etherpad Skrid Meet Webex "
    "Whereby Slack Miro Klaxoon Mentimeter Wooclap Kahoot Doodle Framadate Framasoft "
    "Nextcloud Mattermost Rocket Element Matrix Signal Telegram WhatsApp Skype Google "
    "Microsoft Apple Mozilla Firefox Chrome Linux Windows Android YouTube Peertube Mastodon "
    "LinkedIn Twitter Facebook Instagram Gmail Outlook Libreoffice Excel Word PowerPoint "
    "Canva Notion Trello Github Gitlab Wikipedia Wikipédia ChatGPT OpenAI"
)

MONTHS_AND_DAYS = _folded(
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre "
    "lundi mardi mercredi jeudi vendredi samedi dimanche january february march april june "
    "july august september october november december monday tuesday wednesday thursday friday "
    "saturday sunday"
)

SECTION_WORDS = _folded(
    "participants participantes participant présents présentes inscrits inscrites mel mél "
    "mail email contacts attendees questions question présentation intervenants intervenantes "
    "programme notes ordre introduction conclusion liens ressources tour parole suite agenda "
    "résumé synthèse bilan annexes"
)

ROLES = _folded(
    "maire adjoint adjointe président présidente directeur directrice préfet préfète ministre "
    "député députée sénateur sénatrice conseiller conseillère élu élue chargé chargée "
    "responsable animateur animatrice modérateur modératrice secrétaire trésorier trésorière "
    "coordinateur coordinatrice invité invitée guest host hôte anonyme anonymous utilisateur "
    "utilisatrice user admin intervenant intervenante"
)
"""Roles and the words of default display names (`Invité·e 12`): never a name by themselves."""

PARTICLES = frozenset(
    _spaced(
        "de du des d la le l van von der den di da del della dos ben bin ibn al el ter ten mac mc "
        "o y"
    )
)
"""Lower-case words inside a surname (`de la Fontaine`, `van der Berg`)."""

CIVILITIES = _folded(
    "M Mr Mrs Ms Mme Mmes Mlle MM Dr Pr Me Madame Monsieur Mademoiselle Docteur Professeur "
    "Maître Miss Mister"
)


def _data_lines(name: str) -> list[str]:
    return files("anonymizer").joinpath("data", name).read_text(encoding="utf-8").splitlines()


ACRONYMS = frozenset(
    word.upper()
    for word in (
        *_spaced(
            "OK PV CA RH TV BD CR DG IA AI UE EU US UK QR PC PS NB OS ID RV CV FM AG CE CM CP RN "
            "TD TP VO VF HS SA SG AO PJ ZA ZI BU JO MP PR DM MD FAQ PDF URL CSS JS API RDV TVA "
            "SMS PME ESS CSE CAF CHU DDT DRH ONG PLU PNR SCOT AMAP ADN"
        ),
        *(
            word
            for line in _data_lines("acronyms.txt")
            if not line.startswith("#")
            for word in line.split()
        ),
    )
)
"""Upper-case words that are not initials even where initials are expected (upper-cased: the
list in `data/acronyms.txt` and these)."""


def _read(name: str) -> frozenset[str]:
    lines = (line.strip() for line in _data_lines(name))
    return frozenset(fold_name(line) for line in lines if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Folded first names; compound ones (`jean baptiste`) with a space."""
    return _read("first_names.txt")


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Folded places and institutions, whole (`saint malo`) and as single words."""
    entries = _read("places.txt")
    return entries | frozenset(word for entry in entries for word in entry.split())


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Folded ordinary words: never a name piece alone, never a name at a line start."""
    return _read("common_words.txt") | ROLES | PARTICLES | MONTHS_AND_DAYS


@lru_cache(maxsize=1)
def not_names() -> frozenset[str]:
    """Every word that alone is never a found name: places, tools, dates, headings, roles."""
    return places() | TOOLS | MONTHS_AND_DAYS | SECTION_WORDS | ROLES | common_words()


def is_first_name(key: str) -> bool:
    """A folded word (or compound, space-joined) that the lexicon knows as a first name."""
    return len(key) >= MIN_PIECE_LETTERS and key in first_names() and key not in places()


def is_plain_first_name(key: str) -> bool:
    """A first name that is no ordinary word, so trusted even in lower case (`merci à yann`)."""
    return is_first_name(key) and key not in common_words()
