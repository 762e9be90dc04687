"""Notes written in other tools made into pad Markdown: `import_note`, for `skrid import`.

`skrid import` reads each file with `import_note`, then `server.batch` makes a closed pad of each
`ImportedNote`; the server itself has no import route.

Accepted: Markdown or text (`.md`, `.markdown`, `.txt`, which is also Etherpad's text export),
Etherpad's HTML export (`.html`, `.htm`) and Etherpad's full JSON export (`.etherpad`). A file is
checked whole before anything is built from it, so a refusal imports nothing: `ImportRefused`
names the file and says why in French, and carries a `reason` code the caller may translate.

Etherpad's HTML becomes Markdown-ish text line by line, as its editor showed it: text a writer
typed with asterisks stays as typed (it was already meant as Markdown). From a `.etherpad`
export only the pad's current text is kept; its line attributes become list and heading marks,
and authors, revisions and chat are dropped unread.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePath
from typing import Any, TypeGuard
from urllib.parse import urlsplit

from markdown_it.renderer import RendererHTML

from exports.parser import TooDeep, markdown_parser, parse

MAX_IMPORT_BYTES = 5 * 1024 * 1024
"""Largest file accepted: a webinar's notes are a few dozen kilobytes."""
MAX_TITLE_CHARS = 200
TITLE_SCAN_CHARS = 20_000
"""How far into the note a heading is looked for (a few pages)."""

FORMATS_BY_EXTENSION = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".html": "etherpad-html",
    ".htm": "etherpad-html",
    ".etherpad": "etherpad",
}
"""Each accepted file name extension and the `source_format` it is read as."""

LIST_INDENT = "    "
"""One nesting level of a list: enough for CommonMark to nest under `- ` and `1. ` alike."""


class ImportRefused(ValueError):
    """A file that cannot become a pad; `reason` is one of `too_large`, `binary`, `bad_json`,
    `not_etherpad`, `empty`, `unknown_extension`."""

    def __init__(self, filename: str, reason: str, detail: str) -> None:
        super().__init__(f"« {filename} » refusé : {detail}")
        self.filename = filename
        self.reason = reason


@dataclass(frozen=True)
class ImportedNote:
    """What a pad is made from: its title and its Markdown."""

    title: str
    content: str
    source_format: str


def import_note(filename: str, data: bytes, *, max_bytes: int = MAX_IMPORT_BYTES) -> ImportedNote:
    """Read `data`, the bytes of a file called `filename`, or raise `ImportRefused`."""
    path = PurePath(filename)
    source_format = FORMATS_BY_EXTENSION.get(path.suffix.lower())
    if source_format is None:
        accepted = ", ".join(FORMATS_BY_EXTENSION)
        raise ImportRefused(
            filename, "unknown_extension", f"format inconnu (acceptés : {accepted})"
        )
    if len(data) > max_bytes:
        raise ImportRefused(
            filename, "too_large", f"fichier trop gros ({len(data)} octets, limite {max_bytes})"
        )
    text = _decoded(filename, data)
    if source_format == "etherpad-html":
        content = html_to_markdown(text)
    elif source_format == "etherpad":
        content = _etherpad_text(filename, text)
    else:
        content = text
    if not content.strip():
        raise ImportRefused(filename, "empty", "aucun texte à importer")
    return ImportedNote(_title(content, path.stem), content, source_format)


def _decoded(filename: str, data: bytes) -> str:
    """UTF-8 text with a byte-order mark dropped and line ends made `\\n`, as the editor has."""
    if b"\0" in data:
        raise ImportRefused(filename, "binary", "fichier binaire (octets nuls), pas du texte")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            filename, "binary", f"pas du texte UTF-8 (octet invalide à la position {error.start})"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _title(content: str, stem: str) -> str:
    """The first heading's text, else the first non-empty line, else the file name's stem.

    Only the first `TITLE_SCAN_CHARS` are looked at: parsing a whole 5 MiB file as Markdown
    would take half a minute, for a title that is near the top anyway."""
    head = content[:TITLE_SCAN_CHARS].rpartition("\n")[0] or content[:TITLE_SCAN_CHARS]
    parser = markdown_parser()
    renderer = parser.renderer
    assert isinstance(renderer, RendererHTML)  # markdown-it's default, which markdown_parser keeps
    try:
        tokens = parse(parser, head)
    except TooDeep:
        tokens = []
    for opening, inline in itertools.pairwise(tokens):
        if opening.type == "heading_open":
            text = renderer.renderInlineAsText(inline.children or [], parser.options, {})
            if text.strip():
                return text.strip()[:MAX_TITLE_CHARS]
    for line in content.split("\n"):
        text = line.strip().lstrip("#").strip()
        if text:
            return text[:MAX_TITLE_CHARS]
    return stem[:MAX_TITLE_CHARS]


def _etherpad_text(filename: str, text: str) -> str:
    """The text of the `pad:NAME` record of an Etherpad export (its first, if it held several)."""
    try:
        export = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ImportRefused(filename, "bad_json", f"JSON invalide ({error})") from None
    records = export.values() if isinstance(export, dict) else []
    for record in records:
        atext = record.get("atext") if isinstance(record, dict) else None
        if isinstance(atext, dict) and isinstance(atext.get("text"), str):
            return _with_line_marks(atext["text"], atext.get("attribs"), record.get("pool"))
    raise ImportRefused(
        filename, "not_etherpad", "pas un export Etherpad (aucun enregistrement « pad:… »)"
    )


_OPERATION = re.compile(r"((?:\*[0-9a-z]+)*)(?:\|[0-9a-z]+)?\+([0-9a-z]+)")
"""One insertion of an Etherpad attribute string: `*a*b` (pool numbers, base 36), an optional
`|L` (lines spanned), `+N` (characters, base 36)."""


def _with_line_marks(text: str, attribs: Any, pool: Any) -> str:
    """`text` with each line marker (the `*` Etherpad puts before a list item or a heading)
    replaced by its Markdown mark; attributes that cannot be read leave the text as stored.
    Etherpad counts characters as JavaScript does, in UTF-16 units: an emoji counts two."""
    marks = _line_marks(attribs, pool)
    pieces = []
    position = 0
    for char in text:
        mark = marks.get(position)
        pieces.append(char if mark is None else mark)
        position += 2 if ord(char) > 0xFFFF else 1
    return "".join(pieces)


def _line_marks(attribs: Any, pool: Any) -> dict[int, str]:
    numbers = pool.get("numToAttrib") if isinstance(pool, dict) else None
    if not isinstance(attribs, str) or not isinstance(numbers, dict):
        return {}
    marks: dict[int, str] = {}
    position = 0
    for operation in _OPERATION.finditer(attribs):
        pairs = [numbers.get(str(int(ref, 36))) for ref in operation[1].split("*")[1:]]
        attributes = {pair[0]: pair[1] for pair in pairs if _is_pair(pair)}
        length = int(operation[2], 36)
        if "lmkr" in attributes:
            marks.update(dict.fromkeys(range(position, position + length), _mark(attributes)))
        position += length
    return marks


def _is_pair(value: object) -> TypeGuard[list[str]]:
    """An attribute of an Etherpad pool: `[name, value]`, both strings."""
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)


def _mark(attributes: dict[str, str]) -> str:
    """`bullet2` → an indented `- `, `number1` → `1. `, `h2` (ep_headings2) → `## `."""
    heading = re.fullmatch(r"h([1-6])", attributes.get("heading", ""))
    if heading:
        return "#" * int(heading[1]) + " "
    kind = re.fullmatch(r"([a-z]+)([0-9]+)", attributes.get("list", ""))
    if not kind or kind[1] not in ("bullet", "number"):
        return ""
    indent = LIST_INDENT * (int(kind[2]) - 1)
    return indent + ("- " if kind[1] == "bullet" else "1. ")


_SKIPPED = frozenset(
    {"script", "style", "title", "template", "noscript", "textarea", "svg", "math", "iframe"}
)
_BLOCKS = frozenset({"p", "div", "blockquote", "pre", "tr", "table", "section", "article"})
_HEADINGS = {f"h{level}": "#" * level + " " for level in range(1, 7)}
_EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*", "s": "~~", "del": "~~", "code": "`"}
_WEB_SCHEMES = frozenset({"http", "https"})


def html_to_markdown(html: str) -> str:
    """Etherpad's HTML export as Markdown-ish text (see `_EtherpadHtml`)."""
    reader = _EtherpadHtml()
    reader.feed(html)
    reader.close()
    return reader.markdown()


class _EtherpadHtml(HTMLParser):
    """Lines out of Etherpad's export: `<br>` ends a line, blocks (`p`, `div`, headings, list
    items) end one too; lists nest by counting the open `ul`/`ol`, whether Etherpad wrote the
    inner list inside the `li` or beside it; scripts, styles and other embedded things are
    dropped with their content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line: list[str] = []
        self.prefix = ""
        self.lists: list[_List] = []
        self.links: list[tuple[str, int]] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif self.skipping:
            return
        elif tag == "br":
            self._break()
        elif tag in _BLOCKS or tag in _HEADINGS:
            self._end_line()
            self.prefix = _HEADINGS.get(tag, self.prefix)
        elif tag in ("ul", "ol"):
            self._end_line()
            self.lists.append(_List.opened(tag, dict(attrs)))
        elif tag == "li":
            self._end_line()
            self.prefix = self._item_mark()
        elif tag in _EMPHASIS:
            self.line.append(_EMPHASIS[tag])
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.line)))
        elif tag == "hr":
            self._end_line()
            self.lines.extend(["", "---", ""])
        elif tag in ("td", "th"):
            self.line.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif self.skipping:
            return
        elif tag in _HEADINGS or tag == "p":
            self._end_block()
            self.lines.append("")
        elif tag in _BLOCKS or tag == "li":
            self._end_block()
        elif tag in ("ul", "ol") and self.lists:
            self._end_block()
            self.lists.pop()
        elif tag in _EMPHASIS:
            self._close_emphasis(_EMPHASIS[tag])
        elif tag == "a" and self.links:
            self._close_link(*self.links.pop())

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.line.append(re.sub(r"[ \t\n\r\f]+", " ", data).replace("\xa0", " "))

    def markdown(self) -> str:
        """The lines read, runs of blank lines made one, without leading or trailing blanks."""
        self._end_line()
        kept: list[str] = []
        for line in self.lines:
            if line or (kept and kept[-1]):
                kept.append(line)
        return "\n".join(kept).strip("\n") + "\n" if kept else ""

    def _item_mark(self) -> str:
        if not self.lists:
            return "- "
        return self.lists[-1].next_mark(LIST_INDENT * (len(self.lists) - 1))

    def _close_emphasis(self, marker: str) -> None:
        """Close `marker`, keeping a space before it outside (`**gras **` is not bold), and
        dropping an empty pair (`****` would be a horizontal rule)."""
        if self.line and self.line[-1] == marker:
            self.line.pop()
        elif self.line and self.line[-1].endswith(" "):
            self.line[-1] = self.line[-1].rstrip()
            self.line.append(marker + " ")
        else:
            self.line.append(marker)

    def _close_link(self, href: str, start: int) -> None:
        text = "".join(self.line[start:]).strip()
        target = href.strip()
        if urlsplit(target).scheme.lower() not in _WEB_SCHEMES:
            link = text
        elif not text or text.rstrip("/") == target.rstrip("/"):
            link = target
        else:
            safe = target.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
            link = f"[{text}]({safe})"
        self.line[start:] = [link]

    def _break(self) -> None:
        """End the line; a blank line never carries a list or heading mark."""
        text = "".join(self.line).strip()
        self.lines.append(self.prefix + text if text else "")
        self.line = []
        self.prefix = ""

    def _end_line(self) -> None:
        """End the line unless it is still empty (a block opening right after a `<br>`)."""
        if "".join(self.line).strip():
            self._break()
        self.line = []

    def _end_block(self) -> None:
        self._end_line()
        self.prefix = ""


@dataclass
class _List:
    """An open `ul`/`ol`: `number` is the next item's number, `None` for bullets; Etherpad's
    `indent` lists (indented text, no bullets) give their items no mark at all."""

    number: int | None
    marked: bool = True

    @classmethod
    def opened(cls, tag: str, attrs: dict[str, str | None]) -> _List:
        if tag == "ol":
            start = attrs.get("start") or "1"
            return cls(int(start) if start.isdigit() else 1)
        return cls(None, marked="indent" not in (attrs.get("class") or "").split())

    def next_mark(self, indent: str) -> str:
        if not self.marked:
            return ""
        if self.number is None:
            return indent + "- "
        self.number += 1
        return f"{indent}{self.number - 1}. "
