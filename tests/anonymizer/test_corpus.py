"""Recall and precision of `find` over the hand-written corpora of pad lines, per family.

`corpus.txt` holds the everyday forms, one family per `## ` heading; `hard_families.txt` the
hard ones, one family per `## family: <name>` heading. The table of scores per family is
printed (run with `-s`) and is the message of a failing assertion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from anonymizer import find

HERE = Path(__file__).parent
CORPORA = (HERE / "corpus.txt", HERE / "hard_families.txt")
MIN_CASES = 600
MIN_SCORE = 0.99
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_FAMILY = re.compile(r"^## (?:family: )?(.+?)\s*$")


@dataclass
class Case:
    family: str
    text: str
    expected: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class Score:
    """Counts for one family (or all of them); misses say what went wrong, by position only."""

    cases: int = 0
    empty_cases: int = 0
    empty_cases_with_alarms: int = 0
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """1.0 for a family of lines with nothing to find: there is nothing to miss."""
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def precision(self) -> float:
        """1.0 when nothing was found: nothing was found wrongly."""
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    def add(self, other: Score) -> None:
        self.cases += other.cases
        self.empty_cases += other.empty_cases
        self.empty_cases_with_alarms += other.empty_cases_with_alarms
        self.true_positives += other.true_positives
        self.false_positives += other.false_positives
        self.false_negatives += other.false_negatives
        self.misses.extend(other.misses)


def _unescape(raw: str) -> str:
    return _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), raw)


def load_corpus(path: Path) -> list[Case]:
    cases: list[Case] = []
    family = path.stem
    for line in path.read_text(encoding="utf-8").splitlines():
        heading = _FAMILY.match(line)
        if heading is not None:
            family = heading.group(1)
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("=>"):
            kind, raw, *value = (part.strip() for part in line[2:].split(" | "))
            raw = _unescape(raw)
            cases[-1].expected.append((kind, raw, _unescape(value[0]) if value else raw))
        else:
            cases.append(Case(family, _unescape(line)))
    return cases


def load_all() -> list[Case]:
    return [case for path in CORPORA for case in load_corpus(path)]


def score_case(case: Case) -> Score:
    score = Score(cases=1, empty_cases=int(not case.expected))
    found = [(f.kind, case.text[f.start : f.end], f.value) for f in find(case.text)]
    remaining = list(case.expected)
    for finding in found:
        if finding in remaining:
            remaining.remove(finding)
            score.true_positives += 1
        else:
            score.false_positives += 1
            score.misses.append(f"[{case.family}] unexpected {finding[0]} in {case.text!r}")
    score.false_negatives += len(remaining)
    score.empty_cases_with_alarms = int(not case.expected and score.false_positives > 0)
    score.misses.extend(f"[{case.family}] missed {kind} in {case.text!r}" for kind, *_ in remaining)
    return score


def score_by_family(cases: list[Case]) -> dict[str, Score]:
    scores: dict[str, Score] = {}
    for case in cases:
        scores.setdefault(case.family, Score()).add(score_case(case))
    return scores


def table(scores: dict[str, Score], total: Score) -> str:
    """One row per family, then the total: the shape of the report, not the lines themselves."""
    rows = [
        f"{'family':42} {'cases':>5} {'recall':>7} {'precision':>9} {'found':>5} {'missed':>6}"
        f" {'extra':>5} {'empty lines with alarms':>23}"
    ]
    for name, score in [*scores.items(), ("ALL", total)]:
        rows.append(
            f"{name[:42]:42} {score.cases:5} {score.recall:7.2%} {score.precision:9.2%} "
            f"{score.true_positives:5} {score.false_negatives:6} {score.false_positives:5} "
            f"{score.empty_cases_with_alarms:>12} of {score.empty_cases:<7}"
        )
    return "\n".join(rows)


def test_corpus_is_large_and_covers_both_kinds() -> None:
    cases = load_all()
    kinds = {kind for case in cases for kind, _, _ in case.expected}
    assert len(cases) >= MIN_CASES
    assert kinds == {"email", "phone"}
    assert sum(1 for case in cases if not case.expected) >= 100


def test_recall_and_precision_reach_99_percent() -> None:
    scores = score_by_family(load_all())
    total = Score()
    for score in scores.values():
        total.add(score)
    report = table(scores, total) + "\n" + "\n".join(total.misses)
    print("\n" + report)
    assert total.recall >= MIN_SCORE, report
    assert total.precision >= MIN_SCORE, report


def test_expected_spans_are_in_their_lines() -> None:
    for case in load_all():
        for _, raw, _ in case.expected:
            assert raw in case.text, (raw, case.text)
