"""Redact plain data: strings, and JSON-like values (dicts, lists) nested to any depth.

Shared by the document walker (values stored in maps, arrays, embeds and attributes) and by
awareness states. Dict keys are redacted too: a key can be an address.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from anonymizer.findings import Markers, add_counts, count
from anonymizer.text import find, redact_findings

Redactor = Callable[[str], tuple[str, dict[str, int]]]
"""A string's redacted copy and what was removed from it, per kind."""


def redact_string(text: str, markers: Markers | None) -> tuple[str, dict[str, int]]:
    """The redacted string and what was removed from it, per kind."""
    findings = find(text)
    return redact_findings(text, findings, markers), count(findings)


def redact_value(value: Any, markers: Markers | None) -> tuple[Any, dict[str, int]]:
    """A redacted copy of a JSON-like value; scalars other than strings pass as they are."""
    return redact_value_with(value, partial(redact_string, markers=markers))


def redact_value_with(value: Any, redact: Redactor) -> tuple[Any, dict[str, int]]:
    """`redact_value`, each string redacted by `redact` (the purge's `Beside` also removes
    names)."""
    counts = count([])
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        copy = {}
        for key, item in value.items():
            new_key, key_counts = redact_value_with(key, redact)
            new_item, item_counts = redact_value_with(item, redact)
            add_counts(counts, key_counts)
            add_counts(counts, item_counts)
            copy[new_key] = new_item
        return copy, counts
    if isinstance(value, list | tuple):
        items = []
        for item in value:
            new_item, item_counts = redact_value_with(item, redact)
            add_counts(counts, item_counts)
            items.append(new_item)
        return type(value)(items), counts
    return value, counts


def strings_in(value: Any) -> Iterator[str]:
    """Every string in a JSON-like value, in order (a dict's key before its value)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_in(item)
