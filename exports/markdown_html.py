"""Markdown to an inert HTML fragment, for the HTML export and the public archive.

Two locks, so that a slip in one is caught by the other: markdown-it runs with raw HTML off,
then bleach keeps only the tags and attributes below. Links may only go to `http`/`https`, lose
their tracking parameters and carry `rel="nofollow noopener"`. Images become links to the image:
a published page loads nothing from another site. Table alignment is dropped with the `style`
attributes that carry it (no inline styles at all).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from html import escape, unescape
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import bleach
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from exports.parser import MAX_DEPTH, markdown_parser, markdown_tokens
from exports.urls import normalise_url

if TYPE_CHECKING:
    # bleach's stubs type the html5lib bleach vendors as html5lib itself, and do not re-export
    # its `Filter` from `bleach.html5lib_shim`, where bleach's own filters get it at run time.
    from html5lib.filters.base import Filter
else:
    from bleach.html5lib_shim import Filter

ALLOWED_TAGS = frozenset(
    {
        "a",
        "blockquote",
        "br",
        "code",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_PROTOCOLS = frozenset({"http", "https"})
LINK_REL = "nofollow noopener"


def render_markdown(text: str, max_depth: int = MAX_DEPTH) -> str:
    """The sanitised HTML of `text`; a document nested deeper than `max_depth` comes out as
    preformatted text rather than losing its tail."""
    return render_tokens(markdown_tokens(text, max_depth), text)


def render_tokens(tokens: list[Token] | None, text: str) -> str:
    """`render_markdown` from tokens already parsed (None: too deep, shown as typed)."""
    if tokens is None:
        html = f"<pre>{escape(text, quote=False)}</pre>\n"
    else:
        parser = markdown_parser()
        parser.add_render_rule("image", _image_as_link)
        html = parser.renderer.render(tokens, parser.options, {})
    return _cleaner().clean(html)


def _image_as_link(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    image = tokens[idx]
    source = str(image.attrGet("src") or "")
    label = renderer.renderInlineAsText(image.children or [], options, env) or source
    return f'<a href="{escape(source)}">{escape(label, quote=False)}</a>'


def _cleaner() -> bleach.Cleaner:
    """A new cleaner per call: bleach's are not thread-safe."""
    attributes: dict[str, list[str] | Callable[[str, str, str], bool]] = {
        "a": _allowed_link_attribute,
        "ol": ["start"],
    }
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=attributes,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[_LinkAttributes],
    )


def _allowed_link_attribute(tag: str, name: str, value: str) -> bool:
    return name == "title" or (name == "href" and _is_web_url(value))


def _is_web_url(value: str) -> bool:
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ALLOWED_PROTOCOLS and bool(parts.netloc)


class _LinkAttributes(Filter):
    """Runs after sanitising: cleans each kept `href`, sets `rel` on every link, and shows a
    link whose target was refused (relative, `javascript:`, `data:`...) as its bare text."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        unwrapped: list[bool] = []
        for token in super().__iter__():
            if token["type"] == "StartTag" and token["name"] == "a":
                attributes = dict(token.get("data") or {})
                href = attributes.get((None, "href"))
                unwrapped.append(not href)
                if not href:
                    continue
                attributes[(None, "href")] = normalise_url(unescape(href))
                attributes[(None, "rel")] = LINK_REL
                token["data"] = attributes
            elif token["type"] == "EndTag" and token["name"] == "a" and unwrapped.pop():
                continue
            yield token
