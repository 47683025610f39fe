"""Checks and normal forms for the identifiers operators type: IČO, DIČ, phone numbers, e-mail.

Everything here is pure: validation happens before data reaches the database, and the same
normal forms are used both when a value is stored and when it is searched for, so a customer
found by ``601 234 567`` is also found by ``+420601234567``.
"""

from __future__ import annotations

import re

_ICO_WEIGHTS = (8, 7, 6, 5, 4, 3, 2)

# Separators people put in phone numbers. Dots and slashes are common in pasted Czech
# numbers ("601.234.567", "601/234 567") even though the brief only names the others.
_PHONE_SEPARATORS = frozenset(" \t\u00a0-().\u2013/")
_PHONE_CHARS = _PHONE_SEPARATORS | frozenset("+0123456789")

_CZ_COUNTRY_CODE = "420"
_CZ_NATIONAL_LENGTH = 9
# E.164 caps a full number at 15 digits; 8 is the shortest plausible international number.
_INTL_MIN_DIGITS = 8
_INTL_MAX_DIGITS = 15
_MIN_PHONE_QUERY_DIGITS = 6

_EMAIL_MAX_LENGTH = 254
_EMAIL_LOCAL_MAX_LENGTH = 64
_DOMAIN_LABEL_MAX_LENGTH = 63
# RFC 5322 "atext": what an unquoted local part may contain besides letters and digits.
# Quoted local parts are legal but practically unused and a common injection vector.
_EMAIL_LOCAL_SPECIALS = frozenset("!#$%&'*+/=?^_`{|}~-")
_ASCII_DIGITS = frozenset("0123456789")


def _is_ascii_digits(value: str) -> bool:
    # str.isdigit() accepts superscripts and other scripts' digits, which no registry issues.
    return bool(value) and all(ch in _ASCII_DIGITS for ch in value)


def ico_check_digit(first_seven: str) -> int:
    """Check digit of a Czech IČO from its first seven digits (mod-11, weights 8..2)."""
    if len(first_seven) != len(_ICO_WEIGHTS) or not _is_ascii_digits(first_seven):
        raise ValueError("an IČO check digit needs exactly seven digits")
    total = sum(int(digit) * weight for digit, weight in zip(first_seven, _ICO_WEIGHTS, strict=True))
    # Remainders 0 and 1 would give 11 and 10; the register maps them to 1 and 0.
    return (11 - total % 11) % 10


def is_valid_ico(value: str) -> bool:
    """True for exactly eight ASCII digits whose last digit is the correct check digit."""
    if len(value) != 8 or not _is_ascii_digits(value):
        return False
    return ico_check_digit(value[:7]) == int(value[7])


def _is_valid_birth_number(digits: str) -> bool:
    if int(digits) % 11 == 0:
        return True
    # Birth numbers issued before 1986 whose first nine digits leave remainder 10 carry the
    # check digit 0; such people hold valid personal DIČs and must not be rejected.
    return int(digits[:9]) % 11 == 10 and digits[9] == "0"


def is_valid_dic(value: str) -> bool:
    """True for a Czech VAT number: ``CZ`` and 8 to 10 digits.

    Eight digits are a legal entity's IČO and must carry a valid check digit; ten digits are a
    birth number and must pass its mod-11 test; nine digits (birth numbers issued before 1954
    and special-purpose numbers) have no check digit to verify.
    """
    if not value.startswith("CZ"):
        return False
    digits = value[2:]
    if not _is_ascii_digits(digits):
        return False
    if len(digits) == 8:
        return is_valid_ico(digits)
    if len(digits) == 9:
        return True
    if len(digits) == 10:
        return _is_valid_birth_number(digits)
    return False


def _phone_digits(value: str) -> tuple[bool, str] | None:
    """(written with an international prefix, digits without that prefix), or None."""
    text = value.strip()
    if not text or any(ch not in _PHONE_CHARS for ch in text):
        return None
    # A plus is only meaningful as the very first sign, possibly inside "(+420)".
    plus_at = text.find("+")
    if plus_at != -1:
        if text.count("+") > 1 or text[:plus_at].strip(" (") != "":
            return None
        return True, "".join(ch for ch in text if ch.isdigit())
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits.startswith("00"):
        return True, digits[2:]
    return False, digits


def _is_czech_national(national: str) -> bool:
    # Czech numbers are always nine digits; 0 and 1 are not used as a first digit.
    return len(national) == _CZ_NATIONAL_LENGTH and national[0] not in "01"


def normalize_phone(value: str) -> str | None:
    """E.164 form (``+420601234567``) of a phone number, or None when it is not one.

    Czech numbers are accepted in the usual written forms (with or without ``+420``,
    ``00420`` or a bare ``420``, with spaces, hyphens or parentheses); other countries' numbers
    need an explicit ``+`` or ``00`` prefix and 8 to 15 digits.
    """
    parsed = _phone_digits(value)
    if parsed is None:
        return None
    international, digits = parsed
    if international:
        if digits.startswith(_CZ_COUNTRY_CODE):
            national = digits[len(_CZ_COUNTRY_CODE) :]
            return f"+{digits}" if _is_czech_national(national) else None
        # No country code begins with 0.
        if digits.startswith("0") or not _INTL_MIN_DIGITS <= len(digits) <= _INTL_MAX_DIGITS:
            return None
        return f"+{digits}"
    if len(digits) == _CZ_NATIONAL_LENGTH:
        return f"+{_CZ_COUNTRY_CODE}{digits}" if _is_czech_national(digits) else None
    # "420601234567" is how numbers arrive from some SMS gateways and spreadsheets.
    if len(digits) == len(_CZ_COUNTRY_CODE) + _CZ_NATIONAL_LENGTH and digits.startswith(_CZ_COUNTRY_CODE):
        national = digits[len(_CZ_COUNTRY_CODE) :]
        return f"+{digits}" if _is_czech_national(national) else None
    return None


def phone_search_key(value: str) -> str | None:
    """Digits under which a phone is indexed: the nine national digits of a Czech number,
    every digit of a foreign one; None when the value is not a phone number.

    Czech numbers drop the country code because operators mostly type them without it.
    """
    normalized = normalize_phone(value)
    if normalized is None:
        return None
    digits = normalized[1:]
    if digits.startswith(_CZ_COUNTRY_CODE) and len(digits) == len(_CZ_COUNTRY_CODE) + _CZ_NATIONAL_LENGTH:
        return digits[len(_CZ_COUNTRY_CODE) :]
    return digits


def looks_like_phone(query: str) -> bool:
    """True when a search query is a (possibly partial) phone number rather than a name.

    Partial numbers count, so a search for "601 234" can match by phone digits; any letter
    makes it a name or e-mail search instead.
    """
    text = query.strip()
    if not text or any(ch not in _PHONE_CHARS for ch in text):
        return False
    digit_count = sum(ch.isdigit() for ch in text)
    # "00" plus the longest E.164 number is the most digits a phone can be written with.
    return _MIN_PHONE_QUERY_DIGITS <= digit_count <= _INTL_MAX_DIGITS + 2


_WHITESPACE = re.compile(r"\s")


def _is_valid_local_part(local: str) -> bool:
    if not local or len(local) > _EMAIL_LOCAL_MAX_LENGTH:
        return False
    # Leading, trailing and doubled dots are rejected by most mail servers.
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    return all(ch == "." or ch in _EMAIL_LOCAL_SPECIALS or _is_letter_or_digit(ch) for ch in local)


def _is_letter_or_digit(ch: str) -> bool:
    # Letters of any script are allowed (IDN, EAI), but digits only ASCII: str.isalnum() would
    # also let in "²" or Arabic-Indic digits, which no mail domain uses.
    return ch in _ASCII_DIGITS or ch.isalpha()


def _is_valid_domain(domain: str) -> bool:
    labels = domain.split(".")
    if len(labels) < 2:
        return False
    for label in labels:
        if not label or len(label) > _DOMAIN_LABEL_MAX_LENGTH:
            return False
        if label.startswith("-") or label.endswith("-"):
            return False
        if not all(ch == "-" or _is_letter_or_digit(ch) for ch in label):
            return False
    # A numeric top-level label means an IP address or a typo, not a mail domain.
    return not _is_ascii_digits(labels[-1])


def is_valid_email(value: str) -> bool:
    """Pragmatic e-mail address check: good enough to catch typos, not a full RFC 5322 parser.

    Internationalised domains (``jan@příklad.cz``) are accepted in their Unicode form.
    """
    if not value or len(value) > _EMAIL_MAX_LENGTH or _WHITESPACE.search(value):
        return False
    if value.count("@") != 1:
        return False
    local, domain = value.split("@")
    return _is_valid_local_part(local) and _is_valid_domain(domain)
