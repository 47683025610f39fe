"""Translatable label tables and local dates, the way every pane of the console spells them.

The console is written in English and translated with Qt Linguist (resources/translations).
Texts in code are extracted by lupdate, which only sees string literals:

* in a QObject subclass, `self.tr("Power now")`;
* anywhere else, `QCoreApplication.translate("Context", "text")`;
* in a table defined at module level (status names, ticket states...), each label is marked
  where it is written with `QT_TRANSLATE_NOOP("Context", "text")` and translated when it is
  shown with `label(table, value)`, where the table is a `LabelTable` naming that context.

`self.tr(variable)` extracts nothing, so it is never used. The values a server sends (status
words, states, kinds) are never translated; only their labels are.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime

from PySide6.QtCore import QCoreApplication


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Mark `text` for translation in `context`; returns it unchanged.

    The same as PySide6.QtCore.QT_TRANSLATE_NOOP, typed: PySide6 declares that one as returning
    `object`, which a `dict[str, str]` of labels cannot hold under mypy --strict.
    """
    del context
    return text


class LabelTable(Mapping[str, str]):
    """Server values and their English labels, all marked with QT_TRANSLATE_NOOP(`context`, ...).

    Reading gives the English text (as marked); `label()` gives it in the operator's language.
    """

    def __init__(self, context: str, labels: Mapping[str, str]) -> None:
        self.context = context
        self._labels = dict(labels)

    def __getitem__(self, value: str) -> str:
        return self._labels[value]

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def label(self, value: str) -> str:
        """The label of `value` in the operator's language; an unknown value as the server spells it."""
        text = self._labels.get(value)
        return value if text is None else QCoreApplication.translate(self.context, text)


# --- local dates ------------------------------------------------------------------------------------

_MONTHS = (
    QT_TRANSLATE_NOOP("Dates", "Jan"), QT_TRANSLATE_NOOP("Dates", "Feb"), QT_TRANSLATE_NOOP("Dates", "Mar"),
    QT_TRANSLATE_NOOP("Dates", "Apr"), QT_TRANSLATE_NOOP("Dates", "May"), QT_TRANSLATE_NOOP("Dates", "Jun"),
    QT_TRANSLATE_NOOP("Dates", "Jul"), QT_TRANSLATE_NOOP("Dates", "Aug"), QT_TRANSLATE_NOOP("Dates", "Sep"),
    QT_TRANSLATE_NOOP("Dates", "Oct"), QT_TRANSLATE_NOOP("Dates", "Nov"), QT_TRANSLATE_NOOP("Dates", "Dec"),
)


def short_month(month: int) -> str:
    """The month's short name (1 = "Jan") in the operator's language."""
    return QCoreApplication.translate("Dates", _MONTHS[month - 1])


def date_text(local: datetime, with_year: bool = True) -> str:
    """A local date as the operator reads it: "26 Nov 2026" ("26. lis 2026" in Czech); "26 Nov"
    without the year."""
    if with_year:
        return QCoreApplication.translate("Dates", "{day} {month} {year}").format(
            day=local.day, month=short_month(local.month), year=local.year)
    return QCoreApplication.translate("Dates", "{day} {month}").format(day=local.day, month=short_month(local.month))
