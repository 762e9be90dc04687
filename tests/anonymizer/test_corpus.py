"""Recall and precision of `find` over the hand-written corpus of pad lines (corpus.txt)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from anonymizer import find

CORPUS = Path(__file__).with_name("corpus.txt")
MIN_CASES = 300
MIN_SCORE = 0.99
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


@dataclass
class Case:
    text: str
    expected: list[tuple[str, str, str]] = field(default_factory=list)


def _unescape(raw: str) -> str:
    return _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), raw)


def load_corpus(path: Path = CORPUS) -> list[Case]:
    cases: list[Case] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("=>"):
            kind, raw, *value = (part.strip() for part in line[2:].split(" | "))
            raw = _unescape(raw)
            cases[-1].expected.append((kind, raw, _unescape(value[0]) if value else raw))
        else:
            cases.append(Case(_unescape(line)))
    return cases


def score(cases: list[Case]) -> tuple[float, float, list[str]]:
    """(recall, precision, one message per miss or false alarm)."""
    true_positives = false_positives = false_negatives = 0
    misses = []
    for case in cases:
        found = [(f.kind, case.text[f.start : f.end], f.value) for f in find(case.text)]
        remaining = list(case.expected)
        for finding in found:
            if finding in remaining:
                remaining.remove(finding)
                true_positives += 1
            else:
                false_positives += 1
                misses.append(f"unexpected {finding!r} in {case.text!r}")
        false_negatives += len(remaining)
        misses.extend(f"missed {expected!r} in {case.text!r}" for expected in remaining)
    recall = true_positives / max(true_positives + false_negatives, 1)
    precision = true_positives / max(true_positives + false_positives, 1)
    return recall, precision, misses


def test_corpus_is_large_and_covers_both_kinds() -> None:
    cases = load_corpus()
    kinds = {kind for case in cases for kind, _, _ in case.expected}
    assert len(cases) >= MIN_CASES
    assert kinds == {"email", "phone"}
    assert sum(1 for case in cases if not case.expected) >= 100


def test_recall_and_precision_reach_99_percent() -> None:
    recall, precision, misses = score(load_corpus())
    print(f"\ncorpus: recall {recall:.2%}, precision {precision:.2%}")
    for miss in misses:
        print(miss)
    assert recall >= MIN_SCORE, misses
    assert precision >= MIN_SCORE, misses


def test_expected_spans_are_in_their_lines() -> None:
    for case in load_corpus():
        for _, raw, _ in case.expected:
            assert raw in case.text, (raw, case.text)
