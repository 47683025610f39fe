import pytest

from ema_server.domain.identifiers import (
    ico_check_digit,
    is_valid_dic,
    is_valid_email,
    is_valid_ico,
    looks_like_phone,
    normalize_phone,
    phone_search_key,
)

REAL_ICOS = ["25596641", "27074358", "00006947", "45274649", "47114983"]


@pytest.mark.parametrize("ico", REAL_ICOS)
def test_real_icos_are_valid(ico: str) -> None:
    assert is_valid_ico(ico)


@pytest.mark.parametrize(
    ("first_seven", "expected"),
    [
        ("2559664", 1),
        ("2707435", 8),
        ("0000694", 7),
        ("4527464", 9),
        ("4711498", 3),
        # Remainder 0 maps to 1, remainder 1 maps to 0.
        ("0000000", 1),
        ("0000006", 0),
    ],
)
def test_ico_check_digit(first_seven: str, expected: int) -> None:
    assert ico_check_digit(first_seven) == expected


FULL_WIDTH_SEVEN = "\uff11\uff12\uff13\uff14\uff15\uff16\uff17"


@pytest.mark.parametrize("bad", ["123456", "12345678x", "abcdefg", "", FULL_WIDTH_SEVEN])
def test_ico_check_digit_rejects_non_seven_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        ico_check_digit(bad)


@pytest.mark.parametrize(
    "ico",
    [
        "25596642",  # wrong check digit
        "27074357",
        "00006940",
        "2559664",  # too short
        "255966410",  # too long
        "2559 6641",  # spaces are not allowed
        " 25596641",
        "2559664a",
        "",
        "\uff12\uff15\uff15\uff19\uff16\uff16\uff14\uff11",  # full-width digits
    ],
)
def test_invalid_icos(ico: str) -> None:
    assert not is_valid_ico(ico)


@pytest.mark.parametrize(
    "dic",
    [
        "CZ25596641",  # legal entity: valid IČO
        "CZ00006947",
        "CZ123456789",  # nine digits: no check
        "CZ8001010006",  # ten digits divisible by 11
        "CZ5301010100",  # pre-1986 birth number: first nine give remainder 10, check digit 0
    ],
)
def test_valid_dics(dic: str) -> None:
    assert is_valid_dic(dic)


@pytest.mark.parametrize(
    "dic",
    [
        "CZ25596642",  # eight digits with a bad IČO check digit
        "cz25596641",  # lower-case prefix
        "SK25596641",
        "25596641",
        "CZ",
        "CZ1234567",  # seven digits
        "CZ12345678901",  # eleven digits
        "CZ8001010007",  # ten digits not divisible by 11
        "CZ5301010101",  # remainder-10 exception requires a check digit 0
        "CZ 25596641",
        "CZ2559664a",
    ],
)
def test_invalid_dics(dic: str) -> None:
    assert not is_valid_dic(dic)


CZECH_FORMATS = [
    "+420 601 234 567",
    "601234567",
    "601 234 567",
    "00420601234567",
    "420601234567",
    "+420-601-234-567",
    "(+420) 601 234 567",
    "+420601234567",
    "00 420 601 234 567",
    " 601 234 567 ",
    "601-234-567",
]


@pytest.mark.parametrize("written", CZECH_FORMATS)
def test_czech_formats_normalize_to_e164(written: str) -> None:
    assert normalize_phone(written) == "+420601234567"
    assert phone_search_key(written) == "601234567"
    assert looks_like_phone(written)


def test_czech_landline() -> None:
    assert normalize_phone("224 123 456") == "+420224123456"


@pytest.mark.parametrize(
    ("written", "e164", "key"),
    [
        ("+44 20 7946 0958", "+442079460958", "442079460958"),
        ("0044 20 7946 0958", "+442079460958", "442079460958"),
        ("+421 905 123 456", "+421905123456", "421905123456"),
        ("+1 (212) 555-0123", "+12125550123", "12125550123"),
        ("+49 30 1234567", "+49301234567", "49301234567"),
    ],
)
def test_foreign_numbers(written: str, e164: str, key: str) -> None:
    assert normalize_phone(written) == e164
    assert phone_search_key(written) == key


@pytest.mark.parametrize(
    "written",
    [
        "",
        "   ",
        "abc",
        "601 234 56a",
        "tel. 601234567",
        "60123456",  # eight digits
        "6012345678",  # ten digits
        "012345678",  # Czech numbers never start with 0
        "112345678",  # ...nor with 1
        "+420 012 345 678",
        "+420 60123456",  # +420 with eight national digits
        "+420 6012345678",  # ... and with ten
        "+4412345",  # seven digits
        "+1234567890123456",  # sixteen digits
        "+0123456789",  # no country code starts with 0
        "++420601234567",
        "601 +420 234 567",
        "421905123456",  # foreign numbers need + or 00
        "4206012345670",
    ],
)
def test_not_phone_numbers(written: str) -> None:
    assert normalize_phone(written) is None
    assert phone_search_key(written) is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("601 234", True),  # partial numbers are searched by phone digits
        ("+420 601", True),
        ("(+420) 601 234 567", True),
        ("601 23", False),  # five digits
        ("Novák", False),
        ("601234567a", False),
        ("jan@example.cz", False),
        ("", False),
        ("123456789012345678", False),  # longer than any written phone number
    ],
)
def test_looks_like_phone(query: str, expected: bool) -> None:
    assert looks_like_phone(query) is expected


@pytest.mark.parametrize(
    "email",
    [
        "jan.novak@example.cz",
        "j+tag@mail.example.com",
        "o'brien@example.ie",
        "a@b.co",
        "jan@příklad.cz",  # IDN domain
        "petr@xn--pklad-zsa96e.cz",  # punycode form of the same
        "x" * 64 + "@example.cz",
    ],
)
def test_valid_emails(email: str) -> None:
    assert is_valid_email(email)


@pytest.mark.parametrize(
    "email",
    [
        "",
        "jan",
        "jan@",
        "@example.cz",
        "jan@example",  # no dot in domain
        "jan@@example.cz",
        "jan@novak@example.cz",
        "jan novak@example.cz",
        "jan@exa mple.cz",
        "jan@example.cz\n",
        ".jan@example.cz",
        "jan.@example.cz",
        "jan..novak@example.cz",
        "jan@-example.cz",
        "jan@example-.cz",
        "jan@example..cz",
        "jan@.example.cz",
        "jan@example.cz.",
        "jan@exa_mple.cz",
        "jan@192.168.0.1",
        "jan@[192.168.0.1]",
        '"jan"@example.cz',
        "jan,novak@example.cz",
        "x" * 65 + "@example.cz",  # local part over 64
        "a@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + "." + "e" * 61 + ".cz",  # over 254
        "jan@" + "x" * 64 + ".cz",  # label over 63
    ],
)
def test_invalid_emails(email: str) -> None:
    assert not is_valid_email(email)
