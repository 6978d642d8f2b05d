"""The evaluation's title check accepts what a reader would and names what is wrong otherwise."""

from __future__ import annotations

import pytest

from bench.title_check import title_problem


@pytest.mark.parametrize(
    "title",
    [
        "Handlingsplan för e-arkiv 2021–2023",
        "Kommunstyrelsens protokoll 2023-05-10",
        "Riskanalys öppen källkod (version 1.0)",
        "eSam: öppen källkod i offentlig sektor",
        "AI-kommissionens färdplan för Sverige",
        "Konsekvensbedömning (DPIA)",
        "IT-miljö",
        "NSÖD Seminarium 2022-05-29",
        "Associeringsavtal mellan EU, å ena sidan, och Centralamerika, å andra sidan",
        "Vad är öppna data?",
        "Lag (1994:1809) om totalförsvarsplikt",
    ],
)
def test_titles_a_reader_accepts(title: str) -> None:
    assert title_problem(title, "dokument.pdf") is None


@pytest.mark.parametrize(
    ("title", "filename", "problem"),
    [
        ("", "a.pdf", "empty"),
        ("PROTOKOLLSUTDRAG", "a.pdf", "generic"),
        ("Kallelse", "a.pdf", "generic"),
        ("RPA_rapport_slutversion_v2", "a.pdf", "file name"),
        ("rapport-e-arkiv.pdf", "a.pdf", "file name"),
        ("Microsoft Word - Dokument1", "a.pdf", "program boilerplate"),
        ("[Sammanfattning av workshop", "a.md", "stray bracket"),
        ("KOMMUNSTYRELSEN SAMMANTRÄDESPROTOKOLL", "a.txt", "all caps"),
        ("{e09d7805-a381-e211-889a-3c4a92dbd83d}", "a.pdf", "not words"),
        ("Ord " * 60, "a.pdf", "too long"),
        ("Innehåll", "a.md", "generic"),
        ("Plats och tid", "a.pdf", "generic"),
        ("Guide", "a.pdf", "generic"),
        ("Saknas ett projekt?", "a.md", "call to action"),
        ("Adam Panzer (DIGG)", "a.md", "byline"),
        ("Contributor: Lunds universitet, Eva Lind och Per Holm.", "a.md", "byline"),
        ("Sammanfattning från workshop 15/9 Eva Lind (DIGG) Se även: Inspelning", "a.md", "byline"),
        ("Sida 1Namn Efternamn - Titel", "a.pdf", "program boilerplate"),
        ("Ha 7 AO", "a.pdf", "not words"),
        ("ALLS, Ef", "a.pdf", "not words"),
        ("1. Avropsf ö rfr å gan", "a.pdf", "not words"),
        ("&Ö Network Open Source Startsida", "a.pdf", "stray punctuation"),
        ("Rapport om strategiska vägval för", "a.pdf", "cut short"),
        ("Bolagsverkets", "a.txt", "cut short"),
    ],
)
def test_titles_a_reader_rejects(title: str, filename: str, problem: str) -> None:
    assert title_problem(title, filename) == problem


def test_a_title_that_is_only_the_publishers_name_fails() -> None:
    assert title_problem("Kungsbacka kommun", "a.md", "Kungsbacka kommun") == "publisher name"
    assert title_problem("Kungsbacka kommuns revision", "a.md", "Kungsbacka kommun") is None
