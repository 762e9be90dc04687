"""Attendees' names, measured on tests/anonymizer/names_corpus.txt: 431 lines of webinar notes
in 13 families, written by a session that had not read the detector (nor had the detector's
author read the corpus); and on names_corpus_b.txt, 167 lines written the same way later, on
the hardest family: attendees' initials beside the acronyms of public life (its first figures,
before any rule was changed after reading it: recall 0.922, clean lines 63/79, precision
0.856; the acronyms' list then grew, from general knowledge of the field). Each case is one
line, its attendees' names between ⟦ ⟧; `@known:` and `@speakers:` lines give the names the pad
knows and the host's speakers.

Three figures, per family and overall, printed with `-s`:
- recall: the name pieces (words of a marked name) the purge's plan removes;
- clean lines: the lines naming nobody that the plan leaves whole;
- kept precision: of the words the plan removes as names, those that are names.
The assertions are floors just under this corpus's figures, so that a change that loses
ground fails; the issue's targets are for the held-out set, which this corpus stands in for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from anonymizer.names import names_plan

CORPUS = Path(__file__).with_name("names_corpus.txt")
CORPUS_B = Path(__file__).with_name("names_corpus_b.txt")
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
OPEN, CLOSE = "⟦", "⟧"


@dataclass
class Case:
    family: str
    text: str
    names: list[tuple[int, int]]
    known: list[str]
    speakers: list[str]


@dataclass
class Tally:
    pieces: int = 0
    removed: int = 0
    clean_lines: int = 0
    negative_lines: int = 0
    removed_words: int = 0
    removed_name_words: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)


def parse(path: Path) -> list[Case]:
    cases: list[Case] = []
    family, known, speakers = "", [], []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("# family:"):
            family, known, speakers = line.split(":", 1)[1].strip(), [], []
            continue
        if line.startswith("#"):
            continue
        if line.startswith(("@known:", "@speakers:")):
            key, _, values = line.partition(":")
            names = [name.strip() for name in values.split(";") if name.strip()]
            if key == "@known":
                known = names
            else:
                speakers = names
            continue
        text, spans = "", []
        for part in re.split(f"({OPEN}[^{CLOSE}]*{CLOSE})", line):
            if part.startswith(OPEN):
                spans.append((len(text), len(text) + len(part) - 2))
                text += part[1:-1]
            else:
                text += part
        cases.append(Case(family, text, spans, list(known), list(speakers)))
    return cases


def removed_spans(case: Case) -> list[tuple[int, int]]:
    """What the plan replaces as a name or a personal list (addresses and phones aside)."""
    plan = names_plan(case.text, known=case.known, speakers=case.speakers)
    contacts = {(c.start, c.end) for c in plan.contacts}
    return [(start, end) for start, end, _ in plan.edits() if (start, end) not in contacts]


def covered(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def measure(cases: list[Case]) -> dict[str, Tally]:
    tallies: dict[str, Tally] = {}
    for case in cases:
        tally = tallies.setdefault(case.family, Tally())
        removed = removed_spans(case)
        for start, end in case.names:
            for word in WORD.finditer(case.text, start, end):
                tally.pieces += 1
                if covered(word.start(), word.end(), removed):
                    tally.removed += 1
                else:
                    tally.misses.append(f"{word.group()!r} in {case.text!r}")
        if not case.names:
            tally.negative_lines += 1
            tally.clean_lines += not removed
        for word in WORD.finditer(case.text):
            if covered(word.start(), word.end(), removed):
                tally.removed_words += 1
                if covered(word.start(), word.end(), case.names):
                    tally.removed_name_words += 1
                else:
                    tally.false_alarms.append(f"{word.group()!r} in {case.text!r}")
    return tallies


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def overall(tallies: dict[str, Tally]) -> Tally:
    total = Tally()
    for tally in tallies.values():
        total.pieces += tally.pieces
        total.removed += tally.removed
        total.clean_lines += tally.clean_lines
        total.negative_lines += tally.negative_lines
        total.removed_words += tally.removed_words
        total.removed_name_words += tally.removed_name_words
    return total


def report(tallies: dict[str, Tally]) -> str:
    rows = ["family                  pieces  recall  clean lines  kept precision"]
    for family, tally in [*tallies.items(), ("overall", overall(tallies))]:
        rows.append(
            f"{family:<22} {tally.pieces:>7}  {ratio(tally.removed, tally.pieces):6.3f}"
            f"  {tally.clean_lines:>4}/{tally.negative_lines:<4}"
            f"  {ratio(tally.removed_name_words, tally.removed_words):10.3f}"
        )
    return "\n".join(rows)


@pytest.fixture(scope="module")
def tallies() -> dict[str, Tally]:
    return measure(parse(CORPUS))


def check_floors(tallies: dict[str, Tally], floors: tuple[float, float, float]) -> None:
    print("\n" + report(tallies))
    total = overall(tallies)
    recall = ratio(total.removed, total.pieces)
    clean = ratio(total.clean_lines, total.negative_lines)
    precision = ratio(total.removed_name_words, total.removed_words)
    assert recall >= floors[0] and clean >= floors[1] and precision >= floors[2], report(tallies)


def test_the_corpus_covers_its_families() -> None:
    cases = parse(CORPUS)
    families = {case.family for case in cases}
    assert len(cases) >= 300 and len(families) == 13
    assert all(case.text[s:e] and OPEN not in case.text for case in cases for s, e in case.names)


def test_attendees_names_are_removed_and_the_rest_is_kept(tallies: dict[str, Tally]) -> None:
    check_floors(tallies, (RECALL_FLOOR, CLEAN_FLOOR, PRECISION_FLOOR))


def test_initials_are_removed_and_acronyms_kept() -> None:
    cases = parse(CORPUS_B)
    assert len(cases) >= 150 and {case.family for case in cases} == {
        "initials_b",
        "acronyms_b",
        "english_b",
    }
    check_floors(measure(cases), (0.90, 0.94, 0.96))


RECALL_FLOOR = 0.90
"""Measured 0.919 (0.771 before the initials' rules and the first names of Ireland, Wales and
Scotland; the issue's target is 0.90)."""
CLEAN_FLOOR = 0.94
"""Measured 0.966, 140 of 145 (target 0.95)."""
PRECISION_FLOOR = 0.95
"""Measured 0.971 (target 0.95)."""
