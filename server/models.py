"""The bodies of the JSON API as pydantic models: one definition each, validated at the edge
(api.py), emitted into the OpenAPI components (openapi.py), so the two can no longer drift.

Why pydantic, not msgspec. Both cost a few microseconds a request (bench/api_validation.py, CPU
µs, medians of 5 runs, on a busy 2-core machine: pad creation 7.2 by hand, 10.3 with these
models, 6.7 with msgspec Structs and the same custom checks; the metadata answer 15.2, 16.0 and
9.9; three invocations ranged 7-9, 10-15, 7-9 and 15-18, 16-24, 10-14). msgspec is the lighter
by 3-6 µs and four packages. What decides is keeping the API's refusals exactly as they were:
- pydantic validates fields in the order they are declared, whatever the body's order, and runs
  each field's validator right after it, so the refusal of a body with several faults is the one
  the hand-written checks gave (unknown fields, title, times, then minutes); msgspec goes in the
  body's order, reports a missing field last, and has no per-field validators;
- its errors are structured (type, field, context), so each maps to the API's code and message
  without parsing English;
- its JSON Schema states what the hand-written document did (closed objects, `pattern`,
  nullable times, a field left out rather than null), with descriptions beside the fields.
The cost is four packages (pydantic, pydantic-core, annotated-types, typing-inspection) against
none for msgspec, and those few microseconds.

The checks that a schema cannot state are functions here, attached to their fields: `check_text`
(lone surrogates, control and bidirectional characters), `parse_time` (the server's time zone for
a time without an offset; years 1970-9998), `ends_at` after `starts_at`. A refusal is a
`PydanticCustomError` typed with the SkridError's code, so that the first fault in field order
wins, then becomes that SkridError in `new_pad`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, tzinfo
from functools import cache
from typing import Annotated, Any, ClassVar, Literal
from zoneinfo import ZoneInfo

from annotated_types import MaxLen
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    PlainSerializer,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    create_model,
    field_validator,
)
from pydantic.json_schema import (
    GenerateJsonSchema,
    JsonSchemaMode,
    SkipJsonSchema,
    models_json_schema,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from .errors import InvalidFields, InvalidText, SkridError, TimeOutOfRange
from .lifecycle import State
from .settings import Settings

DEFAULT_PURGE_AFTER_MINUTES = 120
MAX_PURGE_AFTER_MINUTES = 60 * 24 * 30
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 1, 1, tzinfo=UTC)
MAX_NAME_CHARS = 200
"""Longest name in a list of names (speakers, the host's decisions)."""
"""Times a pad may be given. Far wider than any webinar, and narrow enough that every time the
server derives from one (the purge, `ends_at` plus up to 30 days) is still a `datetime`: at
the edges of years 1 and 9999, an offset or an addition overflows (it was a bare 500)."""
REFUSED_IN_TEXT = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Bidirectional embeddings, overrides and isolates: they make a title display in another
order than it is typed (the "Trojan Source" trick), in pages, feeds and file names alike."""
FIELD_NAME = re.compile(r"[A-Za-z0-9_]{1,40}")
REFUSALS: dict[str, type[SkridError]] = {
    error.code: error for error in (InvalidFields, InvalidText, TimeOutOfRange)
}


def refusal(error: type[SkridError], message: str) -> PydanticCustomError:
    """A validator's refusal, kept in pydantic's error list until `new_pad` raises the first."""
    return PydanticCustomError(error.code, "{message}", {"message": message})


def check_text(name: str, value: str) -> None:
    """Refuse, rather than strip, what a text field cannot hold as typed: stripping would store
    a title other than the one the host typed, and say nothing; a refusal names the problem and
    the host fixes it. Lone surrogates are not text (no UTF-8 for them: storing or answering one
    was a 500); control characters (NUL, line breaks) and bidirectional controls change what
    a one-line title shows."""
    for char in value:
        category = unicodedata.category(char)
        if category == "Cs":
            raise refusal(InvalidText, f"{name} is not valid Unicode text (a lone surrogate)")
        if category == "Cc":
            raise refusal(
                InvalidText, f"{name} may not hold control characters (U+{ord(char):04X})"
            )
        if char in REFUSED_IN_TEXT:
            raise refusal(
                InvalidText,
                f"{name} may not hold bidirectional control characters (U+{ord(char):04X})",
            )


def parse_time(name: str, value: Any, zone: tzinfo) -> datetime | None:
    """An ISO-8601 time, in UTC; one without an offset is read in the server's time zone."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise refusal(InvalidFields, f"{name} must be an ISO-8601 string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise refusal(InvalidFields, f"{name} is not an ISO-8601 date and time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    out_of_range = refusal(
        TimeOutOfRange, f"{name} must lie between {EARLIEST.year} and {LATEST.year - 1} (UTC)"
    )
    try:
        utc = parsed.astimezone(UTC)
    except OverflowError:
        raise out_of_range from None
    if not EARLIEST <= utc < LATEST:
        raise out_of_range
    return utc


def field_names(names: set[str]) -> str:
    """The names of unknown fields, for a message: any other shape is counted, not echoed (it
    may not even be encodable)."""
    shown = sorted(name for name in names if FIELD_NAME.fullmatch(name))
    others = len(names) - len(shown)
    return ", ".join([*shown, *([f"{others} more"] if others else [])])


TIME_IN = (
    "ISO-8601 date and time, as Python's `datetime.fromisoformat` reads it; without an offset it "
    "is read in the server's time zone."
)


# Validate with `new_pad_request(max_title_chars)`, which adds the title's limit, or `new_pad`,
# which also turns a refusal into its SkridError. The docstring is the schema's description.
Language = Literal["fr", "en"]
"""A pad's language: its template, and the purge's pseudonyms and notes."""


class NewPadRequest(BaseModel):
    """A new pad: its title, its times, and the host's time before the purge."""

    model_config = ConfigDict(extra="forbid", strict=True)
    refusals: ClassVar[dict[str, str]] = {
        "title": "title is required and must be a non-empty string",
        "purge_after_minutes": (
            f"purge_after_minutes must be a whole number from 0 to {MAX_PURGE_AFTER_MINUTES}"
        ),
        "template": "template must be `webinar` or `plain`",
        "language": "language must be `fr` or `en`",
    }
    """The message of a field whose refusal is pydantic's own (missing, type, bounds)."""

    title: Annotated[
        str,
        Field(
            min_length=1,
            pattern=r"\S",
            description="The webinar's title; not blank, kept without its outer spaces.",
        ),
    ]
    starts_at: datetime | None = Field(
        default=None,
        description=f"{TIME_IN} The webinar's start; absent, or past: the pad is `live` at once.",
    )
    ends_at: datetime | None = Field(
        default=None,
        description=(
            f"{TIME_IN} The webinar's end, after `starts_at`: the pad closes then. Absent: it "
            "closes only by hand."
        ),
    )
    purge_after_minutes: int = Field(
        default=DEFAULT_PURGE_AFTER_MINUTES,
        ge=0,
        le=MAX_PURGE_AFTER_MINUTES,
        description=(
            "Minutes between the end (`ends_at`, else the close by hand) and the purge: the "
            "host's time to take the contact list."
        ),
    )
    speakers: list[str] = Field(
        default_factory=list,
        description=(
            "The webinar's speakers (at most `max_speakers`, each like the title: not blank, "
            "no control character): public, so the purge keeps their names."
        ),
    )
    template: Literal["webinar", "plain"] = Field(
        default="webinar",
        description=(
            "`webinar` writes the notes' outline: title, date and time, speakers, a place for "
            "the webinar's link, then the sections Participants, mel (with the promise that "
            "the addresses will be erased after the meeting), Présentation, Questions, Tour de "
            "parole; with it, the contact list is the addresses of the mel list only. `plain`: "
            "empty notes."
        ),
    )
    language: Language = Field(
        default="fr",
        description="The template's and the purge's language (pseudonyms, notes).",
    )

    @field_validator("title", mode="before")
    @classmethod
    def title_as_typed(cls, value: Any) -> str:
        """Runs before pydantic's own checks of the field, so that each fault gets the message
        and the precedence it always had: blank, then too long (its limit read from the field),
        then `check_text`; the title is kept without its outer spaces."""
        if not isinstance(value, str) or not value.strip():
            raise refusal(InvalidFields, cls.refusals["title"])
        rules = cls.model_fields["title"].metadata
        limit = next((rule.max_length for rule in rules if isinstance(rule, MaxLen)), None)
        if limit is not None and len(value) > limit:
            raise refusal(InvalidFields, f"title is limited to {limit} characters")
        check_text("title", value.strip())
        return value.strip()

    @field_validator("starts_at", "ends_at", mode="plain", json_schema_input_type=str | None)
    @classmethod
    def time_in_zone(cls, value: Any, info: ValidationInfo) -> datetime | None:
        """`parse_time` in the zone `new_pad` passes (the `timezone` setting); `ends_at` after
        `starts_at`, checked here rather than after every field, as it always was."""
        assert info.field_name is not None
        at = parse_time(info.field_name, value, (info.context or {})["zone"])
        starts_at = info.data.get("starts_at")
        if info.field_name == "ends_at" and at and starts_at and at <= starts_at:
            raise refusal(InvalidFields, "ends_at must be after starts_at")
        return at

    @field_validator("speakers", mode="before")
    @classmethod
    def speakers_as_typed(cls, value: Any, info: ValidationInfo) -> list[str]:
        return checked_names("speakers", value, (info.context or {}).get("max_speakers", 50))


def checked_names(name: str, value: Any, limit: int) -> list[str]:
    """A list of names, each a text field like the title (kept without its outer spaces, not
    blank, no control character), at most `limit` of them, each at most `MAX_NAME_CHARS`."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise refusal(InvalidFields, f"{name} must be a list of strings")
    if len(value) > limit:
        raise refusal(InvalidFields, f"{name} is limited to {limit} names")
    names = []
    for item in value:
        if not item.strip():
            raise refusal(InvalidFields, f"{name} may not hold a blank name")
        if len(item) > MAX_NAME_CHARS:
            raise refusal(
                InvalidFields, f"a name in {name} is limited to {MAX_NAME_CHARS} characters"
            )
        check_text(name, item.strip())
        names.append(item.strip())
    return names


@cache
def new_pad_request(max_title_chars: int) -> type[NewPadRequest]:
    """`NewPadRequest` with the title's limit, a setting: in its validation and its schema."""
    title = NewPadRequest.model_fields["title"]
    return create_model(
        "NewPadRequest",
        __base__=NewPadRequest,
        __doc__=NewPadRequest.__doc__,
        title=(Annotated[str, *title.metadata, Field(max_length=max_title_chars)], title),
    )


def new_pad(data: dict[str, Any], settings: Settings) -> NewPadRequest:
    """The body of a new pad, or the SkridError of its first fault. Unknown fields come first
    and all together, by name (pydantic would stop at a name that is not valid Unicode)."""
    model = new_pad_request(settings.max_title_chars)
    unknown = set(data) - set(model.model_fields)
    if unknown:
        raise InvalidFields(f"unknown fields: {field_names(unknown)}")
    context = {"zone": ZoneInfo(settings.timezone), "max_speakers": settings.max_speakers}
    try:
        return model.model_validate(data, context=context)
    except ValidationError as error:
        raise skrid_error(model.refusals, error.errors(include_url=False)[0]) from None


def skrid_error(refusals: dict[str, str], error: ErrorDetails) -> SkridError:
    if error["type"] in REFUSALS:
        return REFUSALS[error["type"]](error["msg"])
    field = str(error["loc"][0]) if error["loc"] else ""
    return InvalidFields(refusals.get(field, f"{field} is invalid"))


class PurgeDecisions(BaseModel):
    """The host's decisions for the purge, applied by it whether or not anyone reviews again:
    names to keep, words to remove wherever they occur, more speakers (kept). Each list holds
    at most `max_purge_decisions` names, each like the title (not blank, no control
    character). Stored with the pad until the purge, which deletes them."""

    model_config = ConfigDict(extra="forbid", strict=True)

    keep: list[str] = Field(default_factory=list, description="Names the purge keeps.")
    remove: list[str] = Field(
        default_factory=list, description="Words the purge removes wherever they occur."
    )
    speakers: list[str] = Field(
        default_factory=list, description="More speakers: kept, in every form of their name."
    )

    @field_validator("keep", "remove", "speakers", mode="before")
    @classmethod
    def names_as_typed(cls, value: Any, info: ValidationInfo) -> list[str]:
        assert info.field_name is not None
        limit = (info.context or {}).get("max_purge_decisions", 500)
        return checked_names(info.field_name, value, limit)


def purge_decisions(data: dict[str, Any], settings: Settings) -> PurgeDecisions:
    """The host's decisions, or the SkridError of their first fault (unknown fields first)."""
    unknown = set(data) - set(PurgeDecisions.model_fields)
    if unknown:
        raise InvalidFields(f"unknown fields: {field_names(unknown)}")
    context = {"max_purge_decisions": settings.max_purge_decisions}
    try:
        return PurgeDecisions.model_validate(data, context=context)
    except ValidationError as error:
        raise skrid_error({}, error.errors(include_url=False)[0]) from None


Time = Annotated[
    datetime,
    PlainSerializer(datetime.isoformat, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
"""A time the server answers: ISO-8601 with its offset, `+00:00` rather than pydantic's `Z`."""
Key = Annotated[str, Field(description="A capability key: long, random, URL-safe.")]


class Answer(BaseModel):
    """A body the server answers: closed, so that a field added without a schema cannot be."""

    model_config = ConfigDict(extra="forbid")


def omitted(schema: dict[str, Any]) -> None:
    """A field that is left out when unset is not `null` by default: its schema has none."""
    schema.pop("default", None)


class Links(Answer):
    """The pad's three links, each carrying its key in `k`."""

    host: str = Field(json_schema_extra={"format": "uri"}, description="The host's console.")
    edit: str = Field(json_schema_extra={"format": "uri"}, description="The attendees' pad.")
    view: str = Field(json_schema_extra={"format": "uri"}, description="The pad, read-only.")


class NewPad(Answer):
    """The new pad's id and keys. Keys are shown this once: keep them."""

    id: str = Field(description="The pad's id, URL-safe.")
    host_key: Key = Field(description="Runs the lifecycle; edits until the purge.")
    edit_key: Key = Field(description="Edits while the pad is scheduled or live.")
    view_key: Key = Field(description="Reads the pad.")
    links: Links


ScheduledAction = Literal["start", "close", "purge"]


class NextTransition(Answer):
    """The schedule's next transition."""

    action: ScheduledAction
    at: Time


PurgeCounts = Annotated[
    dict[str, NonNegativeInt],
    Field(
        description=(
            "What the purge removed, by kind (`email`, `phone`, `name`, `list`); `{}` before it."
        )
    ),
]


class Pad(Answer):
    """A pad's metadata and lifecycle state, as the given key sees it."""

    id: str
    title: str = Field(description="Redacted by the purge, like the text.")
    created_at: Time
    starts_at: Time | None = Field(description="The webinar's start, if scheduled.")
    ends_at: Time | None = Field(description="The webinar's end: the close falls due.")
    purge_after_minutes: NonNegativeInt
    purge_at: Time | None = Field(
        description="When the purge falls due; null until it has a base time."
    )
    state: State
    closed_at: Time | None = Field(description="The last close, by hand or on time.")
    purged_at: Time | None
    published_at: Time | None = Field(description="Null unless published.")
    purge_counts: PurgeCounts
    contributors: NonNegativeInt = Field(
        description="How many people wrote in the pad (distinct display names whose client"
        " changed the notes), counted at the purge; 0 when none is known."
    )
    next: NextTransition | None = Field(
        description="The schedule's next transition, null when none is planned."
    )
    role: Literal["host", "edit", "view"] = Field(description="The key's role.")
    writable: bool = Field(
        description="Whether this key may write in the pad in its current state."
    )
    timezone: str = Field(description="IANA zone in which to show times (the `timezone` setting).")
    speakers: list[str] = Field(description="The webinar's speakers: public, kept by the purge.")
    language: Language = Field(
        description="The pad's language: its template, the purge's pseudonyms and notes."
    )
    links: Links | SkipJsonSchema[None] = Field(
        default=None,
        exclude_if=lambda links: links is None,
        json_schema_extra=omitted,
        description="With the host key, in `GET` and actions: the links again.",
    )
    """Absent rather than null without the host key: the schema lists it, not as required."""


class ErrorDetail(Answer):
    code: str = Field(
        description=(
            "Stable, for programs: `bad_request`, `invalid_fields`, `unauthorized`, "
            "`forbidden`, `not_found`, `conflict`, `frame_too_large`, `too_many`; "
            "`http_<status>` for routing errors (unknown path, method not allowed)."
        )
    )
    message: str = Field(
        description="For people, in English; never holds pad content, keys or addresses."
    )


class Error(Answer):
    """Every error of the API."""

    error: ErrorDetail


class Health(Answer):
    status: Literal["ok"]


class Unhealthy(Answer):
    """The database is gone: the server cannot accept pads."""

    status: Literal["database_gone"]


class ExportLink(Answer):
    url: str = Field(description="The normalised URL.")
    context: str = Field(description="The line citing it, or a window of it (…).")
    line: int = Field(ge=1)


class ExportJson(Answer):
    """`export.json`: the pad's fields, its Markdown and its cited links."""

    id: str
    title: str
    starts_at: Time | None
    ends_at: Time | None
    state: State
    content: str = Field(description="The pad's Markdown, as typed.")
    links: list[ExportLink] = Field(
        description="Every web link the pad cites, once, in order of appearance."
    )
    purge_counts: PurgeCounts


class PlanContact(Answer):
    """An address or a phone number the purge removes."""

    kind: Literal["email", "phone"]
    value: str = Field(description="Normalised: an address as it reads, a phone in E.164.")
    confidence: Literal["certain", "probable"] = Field(
        description="`probable`: rebuilt from an obfuscation; look at these first."
    )
    line: int = Field(ge=1, description="Line of the notes, from 1.")
    context: str = Field(description="That line.")


class PlanContacts(Answer):
    """Addresses and phones, `probable` first, then in order."""

    count: NonNegativeInt
    items: list[PlanContact]


class PlanList(Answer):
    """A personal list (`Participants`, `mel`...): its body goes, its heading stays, with a
    note ("liste retirée")."""

    heading: str
    line: int = Field(ge=1, description="The heading's line, from 1.")
    entries: list[str] = Field(description="The names read in it (removed everywhere too).")


class PlanLists(Answer):
    count: NonNegativeInt
    items: list[PlanList]


class PlanName(Answer):
    """A name the purge replaces, where it is."""

    name: str = Field(description="The person's name, as known or as found.")
    written: str = Field(description="The form written here (a first name, initials...).")
    replacement: str = Field(description="Its pseudonym: one a person, in every form.")
    rule: str = Field(
        description="`known`, `host` (a word to remove), `initials`, or the rule that found it."
    )
    line: int = Field(ge=1, description="Line of the notes, from 1.")
    context: str = Field(description="That line.")


class PlanNames(Answer):
    count: NonNegativeInt
    items: list[PlanName]


class PurgePlan(Answer):
    """Everything the purge will remove from the notes, grouped and counted, and the notes and
    title as it will leave them: computed by the same function as the purge, with the host's
    decisions, so that this is what the purge does (if the notes do not change meanwhile)."""

    contacts: PlanContacts
    lists: PlanLists
    known_names: PlanNames = Field(
        description="Display names, list entries and the host's words, wherever they occur."
    )
    found_names: PlanNames = Field(description="Names found in the text (rules, model).")
    counts: PurgeCounts
    model: str | None = Field(
        description="The language model that read the notes; null: rules and known names only."
    )
    title: str = Field(description="The title as the purge will leave it.")
    text: str = Field(description="The notes as the purge will leave them.")
    decisions: PurgeDecisions


RESPONSES: tuple[type[BaseModel], ...] = (
    Error,
    Health,
    Unhealthy,
    NewPad,
    Pad,
    ExportJson,
    PurgePlan,
)


class Components(GenerateJsonSchema):
    """Schemas for `components/schemas`: no `title` on every property (pydantic's default, the
    field's name again)."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def components(settings: Settings) -> dict[str, Any]:
    """`components/schemas` of the OpenAPI document: requests as they are validated, responses
    as they are serialised, by class name, with the nested models beside them."""
    bodies: list[tuple[type[BaseModel], JsonSchemaMode]] = [
        (new_pad_request(settings.max_title_chars), "validation"),
        (PurgeDecisions, "validation"),
        *((model, "serialization") for model in RESPONSES),
    ]
    _, document = models_json_schema(
        bodies, ref_template="#/components/schemas/{model}", schema_generator=Components
    )
    return dict(sorted(document["$defs"].items()))
