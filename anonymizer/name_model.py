"""Names found by spaCy's French pipeline (`fr_core_news_md`): PER entities, where rules miss.

The model is loaded lazily, once per process, with only the components NER needs (`tok2vec`,
`ner`). It reads 25 KB/s or so on one core: far too slow for a whole 1 MB pad, so it reads
only windows: a few words either side of each capitalised word that nothing else explains
(not at a sentence start, not an ordinary word, not a place, tool or month, not a lexicon first
name: rules read those, and not already a known or found name). Its CNN sees four words either
side, so a window of `WINDOW_WORDS` each side gives it the context it uses; identical windows
are read once. A pad without such words costs nothing.

Without spaCy or the model installed, `available()` is false and no window is read: the
rules and known names still run, and the plan says which detector ran.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any

from anonymizer.folding import Token, is_capitalised
from anonymizer.name_lexicon import PARTICLES, VENUE_WORDS, is_first_name, not_names
from anonymizer.name_matcher import sentence_start
from anonymizer.name_rules import Detection

MODEL = "fr_core_news_md"
WINDOW_WORDS = 6
BATCH_SIZE = 256
_lock = threading.Lock()
_loaded: dict[str, Any] = {}


def load() -> Any | None:
    """The pipeline, loaded on first use; None if spaCy or the model is not installed."""
    with _lock:
        if MODEL not in _loaded:
            try:
                import spacy

                _loaded[MODEL] = spacy.load(
                    MODEL,
                    exclude=["parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter"],
                )
            except (ImportError, OSError):
                _loaded[MODEL] = None
        return _loaded[MODEL]


def available() -> bool:
    return load() is not None


def _unexplained(text: str, words: Sequence[Token], index: int) -> bool:
    token = words[index]
    if not is_capitalised(token.word) or token.key in not_names() or is_first_name(token.key):
        return False
    return not sentence_start(text, token.start) and not _after_venue(words, index)


def _after_venue(words: Sequence[Token], index: int) -> bool:
    """Whether the capitalised run that `words[index]` is in follows a venue word."""
    while index > 0:
        index -= 1
        token = words[index]
        if token.key in VENUE_WORDS:
            return True
        if not (is_capitalised(token.word) or token.key in PARTICLES):
            return False
    return False


def windows(
    text: str, lines: Iterable[Sequence[Token]], covered: set[int]
) -> list[tuple[int, int]]:
    """Spans to read: around each unexplained word whose start is not in `covered`."""
    spans: list[tuple[int, int]] = []
    for words in lines:
        for index, token in enumerate(words):
            if token.start in covered or not _unexplained(text, words, index):
                continue
            first = words[max(0, index - WINDOW_WORDS)].start
            last = words[min(len(words) - 1, index + WINDOW_WORDS)].end
            if spans and first <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(last, spans[-1][1]))
            else:
                spans.append((first, last))
    return spans


def find_by_model(text: str, spans: Sequence[tuple[int, int]]) -> list[Detection]:
    """PER entities inside `spans` of `text`, with positions in `text`."""
    nlp = load()
    if nlp is None or not spans:
        return []
    pieces = [text[start:end] for start, end in spans]
    unique = list(dict.fromkeys(pieces))
    entities = {
        piece: [
            (entity.start_char, entity.end_char) for entity in doc.ents if entity.label_ == "PER"
        ]
        for piece, doc in zip(unique, nlp.pipe(unique, batch_size=BATCH_SIZE), strict=True)
    }
    return [
        Detection(start + first, start + last, "model")
        for (start, _), piece in zip(spans, pieces, strict=True)
        for first, last in entities[piece]
    ]
