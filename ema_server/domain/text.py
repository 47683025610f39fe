"""Accent- and case-insensitive folding of names for search.

Operators type "dvorak" for "Dvořák" and customers write their names with or without
diacritics, so names are stored alongside a folded copy and queries are folded the same way.
"""

from __future__ import annotations

import re
import unicodedata

MAX_SEARCH_TERMS = 8

# Letters that are distinct base letters in Unicode rather than a base letter with a combining
# mark, so NFKD leaves them intact; these are the ones found in European customer names.
_NON_DECOMPOSING = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "\u0131": "i",  # dotless i
        "ŀ": "l",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
    }
)

_TERM_SEPARATORS = re.compile(r"[\s,;]+")


def fold(value: str) -> str:
    """Lower-case ``value``, strip diacritics and collapse whitespace: "Dvořák" → "dvorak"."""
    # casefold rather than lower so that "ß" becomes "ss" and matches "Strasse".
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Compatibility decomposition can yield capitals (black-letter "\u210c" becomes "H"),
    # hence a second casefold.
    folded = bare.casefold().translate(_NON_DECOMPOSING)
    return " ".join(folded.split())


def search_terms(query: str) -> list[str]:
    """Folded words of a search query, split on whitespace, commas and semicolons.

    Capped at MAX_SEARCH_TERMS because every term becomes a condition in the search query and
    a pasted paragraph must not turn into hundreds of them.
    """
    terms = [term for term in _TERM_SEPARATORS.split(fold(query)) if term]
    return terms[:MAX_SEARCH_TERMS]
