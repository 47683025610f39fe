import pytest

from ema_server.domain.text import fold, search_terms


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Dvořák", "dvorak"),
        ("Šťastná Žaneta", "stastna zaneta"),
        ("ŘEŘICHA Ůžasná", "rericha uzasna"),
        ("Łukasz Wałęsa", "lukasz walesa"),
        ("Straße", "strasse"),
        ("Søren Kierkegaard", "soren kierkegaard"),
        ("Müller-Lüdenscheidt", "muller-ludenscheidt"),
        ("Ærø", "aero"),
        ("  Jan \t\n  Novák  ", "jan novak"),
        ("ﬁala", "fiala"),  # compatibility ligature
        ("", ""),
        ("   ", ""),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_fold_makes_accented_and_plain_forms_equal() -> None:
    assert fold("Kateřina Černá") == fold("katerina cerna") == fold("KATEŘINA ČERNÁ")


def test_fold_keeps_digits_and_punctuation() -> None:
    assert fold("Praha 10, Vršovice") == "praha 10, vrsovice"


def test_search_terms_split_and_fold() -> None:
    assert search_terms("Dvořák, Antonín; Praha") == ["dvorak", "antonin", "praha"]


def test_search_terms_drop_empty_terms() -> None:
    assert search_terms(" ,; ,,  Novák ;; ") == ["novak"]
    assert search_terms("") == []
    assert search_terms(" ; , ") == []


def test_search_terms_capped_at_eight() -> None:
    assert search_terms("a b c d e f g h i j") == ["a", "b", "c", "d", "e", "f", "g", "h"]
