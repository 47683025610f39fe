"""Pydantic base classes and parameter types shared by the API modules."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar

from fastapi import Query
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, ValidationInfo, field_validator

# Control characters have no place in names, addresses or notes, and NUL is refused by
# PostgreSQL; lone surrogates cannot be stored as UTF-8 at all. Tab and line breaks stay allowed.
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

MAX_OFFSET = 1_000_000_000

Limit = Annotated[int, Query(ge=1, le=500, description="Page size (default 50, at most 500).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]


def _storable(value: Any) -> bool:
    if isinstance(value, str):
        return UNSTORABLE.search(value) is None
    if isinstance(value, list | tuple | set | frozenset):
        return all(_storable(item) for item in value)
    if isinstance(value, dict):
        return all(_storable(key) and _storable(item) for key, item in value.items())
    return True


class Input(BaseModel):
    """A request body: unknown fields are an error, not silently dropped, and so are texts that
    hold control characters (a 422 naming the field, instead of a database error)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    opaque_fields: ClassVar[frozenset[str]] = frozenset()
    """Fields that are never stored as text (passwords are hashed): any character goes."""

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name not in cls.opaque_fields and not _storable(value):
            raise ValueError("contains control characters")
        return value


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:
        # 0001-01-01T00:00+01:00 is a valid ISO 8601 time that is before the first UTC moment.
        raise ValueError("is out of the supported range of times") from None


UtcMoment = Annotated[AwareDatetime, AfterValidator(_in_utc)]
"""A time sent with its offset (a time without one is a 422), converted to UTC."""
