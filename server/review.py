"""The purge's plan of one pad: one function computes what the host reviews and what the purge
does, so what a host saw is what goes.

`outcome` reads the pad's document and title with the pad's inputs (the display names seen in
it, its speakers, its language, the host's decisions) and makes the purged document exactly as
the purge stores it (`anonymizer.purged`: the notes redacted by a names plan, as edits), with
the plan itself. The review (`GET /api/pads/{id}/purge-plan`) answers that plan and the text
it leaves; the purge stores that state. The title is read with the document's other short
texts (`anonymizer.names.Beside`): it loses the names the notes' plan removes and those found in
it, under the notes' pseudonyms, so that one person has one pseudonym in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from pycrdt import Doc

from anonymizer import Markers, NamesPlan, names_plan
from anonymizer.document import content_text
from anonymizer.findings import Finding, add_counts
from anonymizer.names import NameHit, line_context
from anonymizer.purged import purged_with_plan

from .known_names import KnownNames
from .models import (
    Language,
    PlanContact,
    PlanContacts,
    PlanList,
    PlanLists,
    PlanName,
    PlanNames,
    PurgeDecisions,
    PurgePlan,
)
from .settings import Settings
from .store import PadRecord, Store


@dataclass(frozen=True)
class Inputs:
    """What a pad's purge plan is computed from, besides the pad's text."""

    known: tuple[str, ...]
    speakers: tuple[str, ...]
    decisions: PurgeDecisions
    language: Language
    markers: Markers
    use_model: bool = True

    def plan(self, text: str, more_known: tuple[str, ...] = ()) -> NamesPlan:
        return names_plan(
            text,
            known=(*self.known, *more_known),
            keep=self.decisions.keep,
            speakers=(*self.speakers, *self.decisions.speakers),
            remove=self.decisions.remove,
            language=self.language,
            markers=self.markers,
            use_model=self.use_model,
        )


async def inputs_for(
    pad: PadRecord, store: Store, known_names: KnownNames, settings: Settings
) -> Inputs:
    stored = await store.purge_decisions(pad.id)
    return Inputs(
        known=tuple(await known_names.names(pad.id)),
        speakers=pad.speakers,
        decisions=PurgeDecisions.model_validate(stored) if stored else PurgeDecisions(),
        language=cast(Language, pad.language if pad.language in ("fr", "en") else "fr"),
        markers=settings.markers,
        use_model=settings.names_model,
    )


@dataclass(frozen=True)
class Outcome:
    """The purge of one pad, computed; `state` is what it stores."""

    before: str
    """The notes' text the plan was computed on."""
    plan: NamesPlan
    title: str
    text: str
    """The notes' text the purge leaves."""
    state: bytes
    for_peers: bytes
    """What peers at the given state vector lack of `state`."""
    counts: dict[str, int]


def outcome(
    state: bytes, peers_state: bytes, title: str, inputs: Inputs, max_depth: int
) -> Outcome:
    """The purge of the document `state` and of `title`. Run in the worker process (a 1 MB pad
    takes seconds: see server/worker.py)."""
    original: Doc = Doc()
    original.apply_update(state)
    before = content_text(original)
    clean, counts, plan, redact = purged_with_plan(
        state, inputs.markers, max_depth, inputs.plan, beside=(title,)
    )
    assert plan is not None
    clean_title, title_counts = redact(title)
    add_counts(counts, title_counts)
    return Outcome(
        before,
        plan,
        clean_title,
        content_text(clean),
        clean.get_update(),
        clean.get_update(peers_state),
        counts,
    )


def review(done: Outcome, inputs: Inputs) -> PurgePlan:
    """The review of `done`: everything it removes, grouped and counted, and what it leaves."""
    text, plan = done.before, done.plan
    contacts = sorted(plan.contacts, key=lambda c: (c.confidence != "probable", c.start))
    lists = [found for found in plan.lists if not found.empty]
    known = [hit for hit in plan.names if hit.finding.confidence == "certain"]
    found = [hit for hit in plan.names if hit.finding.confidence != "certain"]
    return PurgePlan(
        contacts=PlanContacts(
            count=len(contacts), items=[_contact(text, item) for item in contacts]
        ),
        lists=PlanLists(
            count=len(lists),
            items=[
                PlanList(
                    heading=item.heading,
                    line=text.count("\n", 0, item.heading_start) + 1,
                    entries=[entry.name for entry in item.entries],
                )
                for item in lists
            ],
        ),
        known_names=_names(text, plan, known),
        found_names=_names(text, plan, found),
        counts=done.counts,
        model=plan.model,
        title=done.title,
        text=done.text,
        decisions=inputs.decisions,
    )


def _contact(text: str, finding: Finding) -> PlanContact:
    line, context, _, _ = line_context(text, finding)
    return PlanContact(
        kind="email" if finding.kind == "email" else "phone",
        value=finding.value,
        confidence=finding.confidence,
        line=line,
        context=context,
    )


def _names(text: str, plan: NamesPlan, hits: list[NameHit]) -> PlanNames:
    items = []
    for hit in hits:
        line, context, _, _ = line_context(text, hit.finding)
        items.append(
            PlanName(
                name=hit.finding.value,
                written=text[hit.finding.start : hit.finding.end],
                replacement=plan.replacements[hit.person],
                rule=hit.rule,
                line=line,
                context=context,
            )
        )
    return PlanNames(count=len(items), items=items)
