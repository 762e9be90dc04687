"""Names at the purge: one plan computes what goes, for the host's review and for the purge.

`names_plan(text, ...)` reads a text once and returns everything the purge of it removes:
personal-list bodies (`sections`), e-mail addresses and phone numbers (`text.find`), known
names (display names and list entries, in every variant: `name_matcher`, confidence
`certain`) and names found in the text (rules: `name_rules`, and spaCy: `name_model`,
confidence `probable`), each found name then matched through the whole text like a known one.
`apply(plan, text)` carries it out. The review shows a plan, the purge applies one computed
the same way: what a host saw is what goes.

Replacements are pseudonyms by default: `Participant·e 1`, `Participant·e 2`... numbered in
order of first appearance; every form of one person (full name, first name alone, initials)
gets the same number. `style="marker"` writes `[nom retiré]` instead; `language="en"` writes
`Participant 1` / `[name removed]` and `list removed`. Speakers and names marked "keep" are
never removed, in any of their forms. Names inside an address are left to the address's
marker, names inside a removed list to the list's note.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from anonymizer.findings import Confidence, Finding, Markers, count
from anonymizer.folding import Token, fold_name, is_capitalised, is_upper, tokens
from anonymizer.name_lexicon import CIVILITIES, MIN_PIECE_LETTERS, PARTICLES, not_names
from anonymizer.name_matcher import Match, NameMatcher, Person
from anonymizer.name_model import MODEL, available, find_by_model, windows
from anonymizer.name_rules import Detection, find_by_rules, guarded
from anonymizer.sections import (
    OTHER_HEADINGS,
    PERSONAL_HEADINGS,
    PersonalList,
    find_personal_lists,
)
from anonymizer.text import find

Style = Literal["pseudonym", "marker"]
Language = Literal["fr", "en"]

LABELS: dict[str, dict[str, str]] = {
    "fr": {"pseudonym": "Participant·e {n}", "marker": "[nom retiré]", "note": "liste retirée"},
    "en": {"pseudonym": "Participant {n}", "marker": "[name removed]", "note": "list removed"},
}


@dataclass(frozen=True)
class NameHit:
    """A name to remove: its finding (kind `name`, value the person's name), who, and why."""

    finding: Finding
    person: str
    """The person's folded name: every hit of one person shares it, and its replacement."""
    rule: str
    """`known`, `initials` (of a known or found name), or the rule or model that found it."""


@dataclass(frozen=True)
class NamesPlan:
    """Everything the purge of one text removes, and what replaces it."""

    length: int
    digest: str
    lists: tuple[PersonalList, ...]
    contacts: tuple[Finding, ...]
    names: tuple[NameHit, ...]
    replacements: dict[str, str]
    note: str
    markers: Markers = field(default_factory=Markers)
    model: str | None = None
    """The model that read the text, None if only rules and known names ran."""
    label: str = LABELS["fr"]["pseudonym"]
    """The replacement's pattern: `{n}` is the person's number."""
    matcher: NameMatcher = field(default_factory=NameMatcher, compare=False, repr=False)
    """Everyone the plan knows, found names included: `Beside` matches them in other texts."""

    def edits(self) -> list[tuple[int, int, str]]:
        """(start, end, replacement), sorted and disjoint."""
        edits = [(found.start, found.end, self.note) for found in self.lists if not found.empty]
        edits += [(c.start, c.end, self.markers.for_kind(c.kind)) for c in self.contacts]
        edits += [
            (hit.finding.start, hit.finding.end, self.replacements[hit.person])
            for hit in self.names
        ]
        return sorted(edits)

    def counts(self) -> dict[str, int]:
        kinds = [contact.kind for contact in self.contacts]
        return {
            "email": kinds.count("email"),
            "phone": kinds.count("phone"),
            "name": len(self.names),
            "list": sum(1 for found in self.lists if not found.empty),
        }


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def names_plan(
    text: str,
    *,
    known: Iterable[str] = (),
    keep: Iterable[str] = (),
    speakers: Iterable[str] = (),
    remove: Iterable[str] = (),
    headings: Iterable[str] = PERSONAL_HEADINGS,
    other_headings: Iterable[str] = OTHER_HEADINGS,
    style: Style = "pseudonym",
    language: Language = "fr",
    markers: Markers | None = None,
    use_model: bool = True,
) -> NamesPlan:
    """The purge of `text`: see the module docs. `known` are display names; `remove` are
    words the host chose to remove wherever they occur (rule `host`), taken as they are, with
    none of the checks that a known name must pass; a speaker or a kept name wins over them."""
    lists = find_personal_lists(text, headings, other_headings)
    removed = _Spans((found.start, found.end) for found in lists if not found.empty)
    contacts = [c for c in find(text) if not removed.overlaps(c.start, c.end)]
    removed.add((contact.start, contact.end) for contact in contacts)
    protected = [Person(name, protected=True) for name in (*speakers, *keep)]
    protected_keys = {person.key for person in protected}
    entries = [entry.name for found in lists for entry in found.entries]
    people = _known_people((*known, *entries), protected_keys)
    removed_words = {
        person.key: person
        for person in (Person(word.strip()) for word in remove)
        if person.key and person.key not in protected_keys
    }
    people = [person for person in people if person.key not in removed_words]
    matcher = NameMatcher((*protected, *removed_words.values(), *people))
    lines = _lines(text)
    words = [token for _, _, line_words in lines for token in line_words]
    detections = _rule_detections(text, lines, removed)
    _add_found(matcher, text, detections, protected_keys)
    model = MODEL if use_model and available() else None
    if model is not None:
        covered = _covered(matcher.matches(text, words), detections, words)
        found = _model_detections(text, lines, removed, covered)
        _add_found(matcher, text, found, protected_keys)
        detections += found
    hits = _hits(text, matcher, words, detections, removed, set(removed_words))
    labels = LABELS[language]
    replacements: dict[str, str] = {}
    for hit in hits:
        if hit.person not in replacements:
            number = len(replacements) + 1
            replacements[hit.person] = labels[style].format(n=number)
    return NamesPlan(
        len(text),
        _digest(text),
        tuple(lists),
        tuple(contacts),
        tuple(hits),
        replacements,
        labels["note"],
        markers or Markers(),
        model,
        labels[style],
        matcher,
    )


def apply(plan: NamesPlan, text: str) -> str:
    """`text` with the plan carried out; a plan computed for another text is refused."""
    if len(text) != plan.length or _digest(text) != plan.digest:
        raise ValueError("this plan was computed for another text")
    return _edited(text, plan.edits())


def _edited(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    pieces = []
    position = 0
    for start, end, replacement in edits:
        pieces += [text[position:start], replacement]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


class Beside:
    """The purge of the short texts beside a pad's notes: its title, and the names, keys,
    values, tags and attributes of its other roots (`anonymizer.rebuild`).

    Each loses its addresses and phones, and every name the plans know, under the notes'
    pseudonyms: one person has one pseudonym wherever they are named. `plans` are the notes'
    plan first, then the plan of the short texts read together (where rules and the model
    found their own names: a key or a value alone is too short to read a name in, so each is
    only matched)."""

    def __init__(self, plans: Sequence[NamesPlan]) -> None:
        notes = plans[0]
        self._matcher = NameMatcher(notes.matcher.people)
        for plan in plans[1:]:
            for person in plan.matcher.people:
                if not self._matcher.knows(person.key):
                    self._matcher.add(person)
        self._replacements = dict(notes.replacements)
        self._label = notes.label
        self._markers = notes.markers

    def redact(self, text: str) -> tuple[str, dict[str, int]]:
        """`text` purged, and counts per kind (`email`, `phone`, `name`)."""
        contacts = find(text)
        removed = _Spans((contact.start, contact.end) for contact in contacts)
        hits = _hits(text, self._matcher, tokens(text, 0, len(text)), (), removed, set())
        edits = [(c.start, c.end, self._markers.for_kind(c.kind)) for c in contacts]
        for hit in hits:
            if hit.person not in self._replacements:
                number = len(self._replacements) + 1
                self._replacements[hit.person] = self._label.format(n=number)
            edits.append((hit.finding.start, hit.finding.end, self._replacements[hit.person]))
        found = count(contacts)
        found["name"] = found.get("name", 0) + len(hits)
        return _edited(text, sorted(edits)), found


def find_names(
    text: str,
    *,
    known: Iterable[str] = (),
    keep: Iterable[str] = (),
    speakers: Iterable[str] = (),
    use_model: bool = True,
) -> list[Finding]:
    """The names the purge of `text` removes (outside personal lists), sorted."""
    plan = names_plan(text, known=known, keep=keep, speakers=speakers, use_model=use_model)
    return [hit.finding for hit in plan.names]


def redact_names(
    text: str,
    *,
    known: Iterable[str] = (),
    keep: Iterable[str] = (),
    speakers: Iterable[str] = (),
    style: Style = "pseudonym",
    language: Language = "fr",
    use_model: bool = True,
) -> tuple[str, dict[str, int]]:
    """The purged text (lists, addresses, phones and names) and counts per kind.

    Addresses go with names: a name left inside an address would be mangled, or leak.
    """
    plan = names_plan(
        text,
        known=known,
        keep=keep,
        speakers=speakers,
        style=style,
        language=language,
        use_model=use_model,
    )
    return apply(plan, text), plan.counts()


def line_context(text: str, finding: Finding) -> tuple[int, str, int, int]:
    """(line number from 1, the line, start and end of the finding in it): for a review."""
    line_start = text.rfind("\n", 0, finding.start) + 1
    line_end = text.find("\n", finding.end)
    line = text[line_start : len(text) if line_end < 0 else line_end].rstrip("\r")
    number = text.count("\n", 0, line_start) + 1
    return number, line, finding.start - line_start, finding.end - line_start


class _Spans:
    """Sorted disjoint spans (removed lists, addresses) that names must not overlap."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._spans: list[tuple[int, int]] = []
        self.add(spans)

    def add(self, spans: Iterable[tuple[int, int]]) -> None:
        self._spans = sorted((*self._spans, *spans))

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect_left(self._spans, (end, end))
        return index > 0 and self._spans[index - 1][1] > start


def _known_people(names: Iterable[str], protected: set[str]) -> list[Person]:
    """Distinct known names with at least one real name piece, speakers and keeps left out."""
    people: dict[str, Person] = {}
    for name in names:
        person = Person(name.strip())
        key = person.key
        words = key.split()
        real = [w for w in words if len(w) >= MIN_PIECE_LETTERS and w not in not_names()]
        if key and real and key not in protected and key not in people:
            people[key] = person
    return list(people.values())


Line = tuple[int, int, list[Token]]


def _lines(text: str) -> list[Line]:
    lines = []
    start = 0
    for line in text.splitlines(keepends=True):
        end = start + len(line.rstrip("\r\n"))
        lines.append((start, end, tokens(text, start, end)))
        start += len(line)
    return lines


def _rule_detections(text: str, lines: Sequence[Line], removed: _Spans) -> list[Detection]:
    """Names found by rules, guarded, outside removed spans."""
    found = []
    for start, end, words in lines:
        for detection in find_by_rules(text, start, end, words):
            if not removed.overlaps(detection.start, detection.end) and not _guarded(
                text, detection, words
            ):
                found.append(detection)
    return found


def _covered(
    matches: Iterable[Match], detections: Iterable[Detection], words: Sequence[Token]
) -> set[int]:
    """Starts of the tokens already inside a name: the model need not read around them."""
    spans = sorted([(m.start, m.end) for m in matches] + [(d.start, d.end) for d in detections])
    starts = [token.start for token in words]
    covered: set[int] = set()
    for start, end in spans:
        index = bisect_left(starts, start)
        while index < len(starts) and starts[index] < end:
            covered.add(starts[index])
            index += 1
    return covered


def _model_detections(
    text: str, lines: Sequence[Line], removed: _Spans, covered: set[int]
) -> list[Detection]:
    """Names the model finds around the words nothing else explained, trimmed and guarded."""
    found = []
    spans = windows(text, (words for _, _, words in lines), covered)
    line_starts = [start for start, _, _ in lines]
    for detection in find_by_model(text, spans):
        words = lines[bisect_left(line_starts, detection.start + 1) - 1][2]
        trimmed = _trim(text, detection, words)
        if (
            trimmed
            and not removed.overlaps(trimmed.start, trimmed.end)
            and not _guarded(text, trimmed, words)
        ):
            found.append(trimmed)
    return found


def _add_found(
    matcher: NameMatcher, text: str, detections: Iterable[Detection], protected: set[str]
) -> None:
    """Found names become names to match everywhere, unless someone already owns the form."""
    for name in _found_names(text, detections, protected):
        if not matcher.knows(fold_name(name)):
            matcher.add(Person(name, certain=False))


def _guarded(text: str, detection: Detection, words: Sequence[Token]) -> bool:
    first = bisect_left([token.start for token in words], detection.start)
    near = [token for token in words[max(0, first - 3) :] if token.start < detection.end]
    return guarded(text, detection, near)


def _trim(text: str, detection: Detection, words: Sequence[Token]) -> Detection | None:
    """A model's entity cut to its name-shaped words (`Marie - chargée` → `Marie`)."""
    inside = [t for t in words if detection.start <= t.start and t.end <= detection.end]
    while inside and (inside[0].key in CIVILITIES or not _shaped(inside[0])):
        inside.pop(0)
    kept: list[Token] = []
    for token in inside:
        if not (_shaped(token) or token.key in PARTICLES):
            break
        kept.append(token)
    while kept and kept[-1].key in PARTICLES:
        kept.pop()
    if not kept:
        return None
    return Detection(kept[0].start, kept[-1].end, detection.rule)


def _shaped(token: Token) -> bool:
    return is_capitalised(token.word) or is_upper(token.word)


def _found_names(text: str, detections: Iterable[Detection], protected: set[str]) -> list[str]:
    """Found names to match through the text, longest first; initials and protected aside."""
    names: dict[str, str] = {}
    for detection in detections:
        if detection.rule == "initials":
            continue
        name = text[detection.start : detection.end]
        key = fold_name(name)
        if key and key not in protected and key not in names:
            names[key] = name
    return [names[key] for key in sorted(names, key=lambda key: -key.count(" "))]


def _hits(
    text: str,
    matcher: NameMatcher,
    words: Sequence[Token],
    detections: Iterable[Detection],
    removed: _Spans,
    chosen: set[str],
) -> list[NameHit]:
    """Matches and detections as hits, protected spans and removed spans left out.

    Of overlapping candidates the first and longest wins; on the same span a protected name
    first, then a known one, then a rule's or the model's (so the review names the rule),
    then a found name matched again.
    """
    candidates: list[tuple[int, int, int, NameHit | None]] = []
    for match in matcher.matches(text, words):
        person = match.person
        if person.protected:
            candidates.append((match.start, match.end, 0, None))
            continue
        rule = "initials" if match.form == "initials" else "known" if person.certain else "found"
        if person.key in chosen and match.form != "initials":
            rule = "host"
        rank = 1 if person.certain else 3
        candidates.append(
            (match.start, match.end, rank, _hit(match.start, match.end, person, rule))
        )
    for detection in detections:
        written = text[detection.start : detection.end]
        if detection.rule == "initials":
            written = "".join(character for character in written if character.isalpha())
        person = matcher.owner(fold_name(written)) or Person(written, certain=False)
        hit = (
            None
            if person.protected
            else _hit(detection.start, detection.end, person, detection.rule)
        )
        candidates.append((detection.start, detection.end, 0 if hit is None else 2, hit))
    candidates.sort(key=lambda candidate: (candidate[0], candidate[0] - candidate[1], candidate[2]))
    hits: list[NameHit] = []
    end = -1
    for start, stop, _, hit in candidates:
        if start < end or removed.overlaps(start, stop):
            continue
        end = stop
        if hit is not None:
            hits.append(hit)
    return hits


def _hit(start: int, end: int, person: Person, rule: str) -> NameHit:
    confidence: Confidence = "certain" if person.certain else "probable"
    finding = Finding("name", start, end, person.name, confidence)
    return NameHit(finding, person.key, rule)
