"""What a conflict dialog shows and offers, decided without a window.

A write in conflict changed fields of a record that someone else changed meanwhile. The operator
sees, for each field the write changes, their value next to the server's current one (the ones
that differ marked), and chooses: apply mine, keep theirs, or merge. Merging is offered for text
(a ticket's title and description): the editor starts with the server's text, then the
operator's, so nothing either side wrote is lost until the operator removes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ema_desktop.cache.outbox import TEXT_FIELDS, OutboxEntry

# Between the server's text and the operator's in a merge: a blank line for long texts, a slash
# in a one-line title.
PARAGRAPH_SEPARATOR = "\n\n"
LINE_SEPARATOR = " / "
_ONE_LINE_FIELDS = frozenset({"title"})


@dataclass(frozen=True)
class FieldDifference:
    """One field the operator's write changes: their value, the server's, and the starting value when known."""

    name: str
    mine: Any
    theirs: Any
    base: Any = None
    text: bool = False

    @property
    def differs(self) -> bool:
        return bool(self.mine != self.theirs)


@dataclass(frozen=True)
class MergeText:
    """A merge editor's starting text, and where the server's and the operator's parts lie in it."""

    text: str
    theirs: tuple[int, int]
    mine: tuple[int, int]


@dataclass(frozen=True)
class ConflictView:
    """One conflicted outbox entry as the operator decides it."""

    seq: int
    action: str
    entity: str
    entity_id: str
    record_label: str
    """How the operator knows the record: a ticket's number, a contact's name, a request's number."""
    summary: str
    fields: tuple[FieldDifference, ...]
    current_version: int | None

    @classmethod
    def from_entry(cls, entry: OutboxEntry, current: Mapping[str, Any] | None = None) -> ConflictView:
        """`current` defaults to the server's record stored with the conflict."""
        server = dict(current if current is not None else (entry.conflict or {}))
        body = entry.body or {}
        base = entry.base or {}
        fields = tuple(
            FieldDifference(name=name, mine=value, theirs=server.get(name), base=base.get(name),
                            text=name in TEXT_FIELDS)
            for name, value in body.items()
            if name != "note"
        )
        version = server.get("version")
        return cls(
            seq=entry.seq, action=entry.action, entity=entry.entity, entity_id=entry.entity_id,
            record_label=_label(entry.entity, server, entry.entity_id), summary=entry.summary, fields=fields,
            current_version=version if isinstance(version, int) else None,
        )

    @property
    def text_fields(self) -> tuple[FieldDifference, ...]:
        return tuple(f for f in self.fields if f.text)

    @property
    def can_merge(self) -> bool:
        """Merge is offered when the write changes text."""
        return bool(self.text_fields)

    @property
    def differing(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.differs)

    def merge_default(self, name: str) -> MergeText:
        """The merge editor's starting text for field `name`: the server's text, then the operator's.

        When one side is empty or both say the same, there is nothing to join: the non-empty one.
        """
        difference = next(f for f in self.fields if f.name == name)
        theirs = "" if difference.theirs is None else str(difference.theirs)
        mine = "" if difference.mine is None else str(difference.mine)
        if not theirs or theirs == mine or mine.strip() in theirs:
            return MergeText(theirs or mine, (0, len(theirs or mine)), (0, 0))
        if not mine.strip() or theirs.strip() in mine:
            return MergeText(mine, (0, 0), (0, len(mine)))
        separator = LINE_SEPARATOR if name in _ONE_LINE_FIELDS else PARAGRAPH_SEPARATOR
        start = len(theirs) + len(separator)
        return MergeText(theirs + separator + mine, (0, len(theirs)), (start, start + len(mine)))

    def merged(self, texts: Mapping[str, str]) -> dict[str, str]:
        """The merged values to send, one per text field, checked: none may be left empty."""
        result: dict[str, str] = {}
        for difference in self.text_fields:
            value = texts.get(difference.name, "")
            if difference.name in _ONE_LINE_FIELDS:
                value = " ".join(value.split())
            if not value.strip():
                raise ValueError(f"{difference.name} is empty")
            result[difference.name] = value
        return result


def _label(entity: str, record: Mapping[str, Any], fallback: str) -> str:
    for key in ("number", "name", "customer_number"):
        value = record.get(key)
        if value:
            return str(value)
    return fallback[:8]
