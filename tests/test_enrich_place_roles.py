"""Concerns from the role a name plays: a municipal service of the place, the addressee of a
decision, a short list the title points to; and the traps that must stay mentions."""

from __future__ import annotations

from ingest.enrich.compose import Enrichment, enrich
from kb.taxonomy.model import Taxonomy

BORAS, VAXJO, TYRESO, GOTLAND, STOCKHOLM = "1490", "0780", "0138", "0980", "0180"
TRIAL = {"2506": "Arjeplog", "2425": "Dorotea", "0862": "Emmaboda", "1439": "Färgelanda",
         "2583": "Haparanda", "1864": "Ljusnarsberg"}  # fmt: skip


def run(title: str, text: str) -> Enrichment:
    return enrich(title, text, taxonomy=Taxonomy.load())


def concerns(result: Enrichment) -> set[str]:
    return {t.value for t in result.concerns}


def mentions(result: Enrichment) -> set[str]:
    return {t.value for t in result.mentions}


ARTICLE = """Klockan är strax efter fyra och Lena har avslutat sitt pass i hemtjänsten i Borås.
Hon har varit hemma hos sina brukare och registrerat varje besök med den digitala pennan.

2009 införde hemtjänsten i Borås pennan, med vars hjälp man registrerar alla insatser.
Personalen i Borås hemtjänst är kluven: pennan ger trygghet men också stress.

Enhetschefen i hemtjänsten i Borås tycker att fördelarna är fler än nackdelarna.
"""


def test_an_article_about_a_municipal_service_of_a_place_concerns_the_municipality() -> None:
    result = run("För och emot övervakningspenna i hemtjänsten", ARTICLE)
    assert BORAS in concerns(result)


def test_a_visit_to_a_service_in_the_title_concerns_it_but_a_town_visit_does_not() -> None:
    text = "Ministrarna besöker ett äldreboende för personer med demenssjukdom i Tyresö."
    assert TYRESO in concerns(run("Ministrarna besöker äldreboende i Tyresö", text))
    text = "Ministrarna besöker Fortnox och Atea i Växjö för att tala om AI."
    result = run("Ministrarna besöker Växjö", text)
    assert VAXJO not in concerns(result)
    assert VAXJO in mentions(result)


def test_the_municipality_a_government_offer_is_addressed_to_is_a_concern() -> None:
    text = (
        "Regeringen beslutar om ändring av uppdrag till Länsstyrelsen i Stockholms län "
        "respektive erbjudande till Gotlands kommun att upprätthålla en funktion som regional "
        "digitaliseringskoordinator."
    )
    result = run("Ändring av uppdrag om digitaliseringskoordinatorer", text)
    assert GOTLAND in concerns(result)
    assert STOCKHOLM not in concerns(result)  # the county's board, not the municipality


def _trial_text(names: list[str]) -> str:
    items = "\n".join(f"{i}. {name}," for i, name in enumerate(names, 1))
    return (
        "Utredningen föreslår ett riktat statsbidrag till några av de minsta kommunerna. "
        "Bidraget lämnas utan krav på ansökan.\n\n"
        f"Förslag på försökskommuner i utredningen:\n\n{items}\n"
    )


def test_a_short_list_the_title_points_to_is_what_the_document_is_about() -> None:
    text = _trial_text(list(TRIAL.values()))
    result = run("Utredning föreslår försökskommuner från Haparanda till Färgelanda", text)
    assert concerns(result) == set(TRIAL)


def test_the_same_list_without_a_title_pointing_to_it_stays_mentions() -> None:
    result = run("Utredning föreslår försöksverksamhet", _trial_text(list(TRIAL.values())))
    assert concerns(result) == set()
    assert set(TRIAL) <= mentions(result)


def test_a_long_register_stays_mentions_even_when_the_title_names_one_of_them() -> None:
    tax = Taxonomy.load()
    names = [m.name for m in list(tax.municipalities.values())[:30]]
    result = run(f"Avropsberättigade parter, bland dem {names[0]}", _trial_text(names))
    assert len(concerns(result)) <= 1


def test_a_place_named_as_a_dateline_on_its_own_line_is_still_a_dateline() -> None:
    text = "Vi har följt upp de nationella e-tjänsterna.\n\nStockholm\nden 3 mars 2021\n"
    result = run("Uppföljning", text)
    assert STOCKHOLM not in concerns(result)
    tag = next(t for t in result.mentions if t.value == STOCKHOLM)
    assert "dateringsort" in tag.evidence
