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
    ],
)
def test_titles_a_reader_rejects(title: str, filename: str, problem: str) -> None:
    assert title_problem(title, filename) == problem
