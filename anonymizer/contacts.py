"""The host's contact list: the e-mail addresses attendees consented to leave, before the purge
erases them.

Consent: a pad with a "mel" list (a personal list under a mail heading, `MAIL_HEADINGS`: the
webinar template writes one, with its promise that the addresses will be erased after the
meeting) gives the addresses in that list only; an address written anywhere else was not left
for the host. A pad without one gives every address left in it, as it always did.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pycrdt import Array, Doc, Map, Text, XmlElement, XmlFragment, XmlText

from anonymizer.document import (
    SHARED_TYPES,
    SharedType,
    TextView,
    attribute_pairs,
    content_text,
    shared_roots,
)
from anonymizer.sections import OTHER_HEADINGS, PERSONAL_HEADINGS, find_personal_lists, heading_key
from anonymizer.text import find
from anonymizer.values import strings_in


def harvest_contacts(source: Doc[SharedType] | str) -> list[str]:
    """Normalised e-mail addresses, deduplicated, in order of appearance.

    Two spellings that differ only by case are one contact (mail servers ignore the case of
    the local part in practice): the first spelling is kept.

    In a document, the `content` text comes first, then the other shared types. Fediverse
    addresses (`@alice@mastodon.social`) are left out: they are redacted like addresses, but
    nobody can be e-mailed there. Phone numbers are not contacts either.
    """
    texts = [source] if isinstance(source, str) else _strings_of_doc(source)
    seen: dict[str, str] = {}
    for text in texts:
        for finding in find(text):
            if finding.kind == "email" and not finding.value.startswith("@"):
                seen.setdefault(finding.value.casefold(), finding.value)
    return list(seen.values())


MAIL_HEADINGS: tuple[str, ...] = ("mel", "mél", "mail", "mails", "e-mail", "email", "emails")
"""The personal-list headings under which attendees leave their address for the host."""


def consented_contacts(doc: Doc[SharedType]) -> list[str]:
    """The host's contact list (see the module): the addresses in the pad's "mel" lists if it
    has one (even an empty one: then none), else `harvest_contacts(doc)`."""
    text = content_text(doc)
    mail = {heading_key(heading) for heading in MAIL_HEADINGS}
    others = (
        *(h for h in PERSONAL_HEADINGS if heading_key(h) not in mail),
        *OTHER_HEADINGS,
    )
    lists = find_personal_lists(text, MAIL_HEADINGS, others)
    if not lists:
        return harvest_contacts(doc)
    return harvest_contacts("\n".join(text[found.start : found.end] for found in lists))


def _strings_of_doc(doc: Doc[SharedType]) -> list[str]:
    with doc.transaction():
        return [text for root in shared_roots(doc) for text in strings_of(root)]


def strings_of(shared: SharedType) -> Iterator[str]:
    """Every string a shared type holds, in document order, keys, tags and attributes
    included."""
    if isinstance(shared, XmlElement):
        yield shared.tag or ""
    if isinstance(shared, Text | XmlText):
        view = TextView(shared.diff())
        yield view.text
        for content, attributes in view.chunks:
            yield from _strings_of_value(content if not isinstance(content, str) else None)
            yield from strings_in(attributes)
    if isinstance(shared, XmlElement | XmlText):
        yield from strings_in(dict(attribute_pairs(shared)))
    if isinstance(shared, XmlElement | XmlFragment):
        for child in shared.children:
            yield from strings_of(child)
    elif isinstance(shared, Map):
        for key, value in shared.items():
            yield key
            yield from _strings_of_value(value)
    elif isinstance(shared, Array):
        for value in shared:
            yield from _strings_of_value(value)


def _strings_of_value(value: Any) -> Iterator[str]:
    if isinstance(value, SHARED_TYPES):
        yield from strings_of(value)
    else:
        yield from strings_in(value)
