"""Taxonomy: the real files in corpus/taxonomy load fast, agree with the team's reference lists,
give the labels, name forms and memberships users see, and a broken file fails with one clear
line naming the file and the line or entry."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from kb.config import DEFAULT_CORPUS_DIR
from kb.errors import NotFoundError, TaxonomyError, ValidationError
from kb.facets.registry import DEFAULT_FACETS
from kb.taxonomy.model import FOCUS_AREA_IDS, Taxonomy

TAXONOMY_DIR = DEFAULT_CORPUS_DIR / "taxonomy"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
needs_shared = pytest.mark.skipif(
    not (SHARED_DATA / "municipalities.csv").is_file(),
    reason=f"reference lists not present at {SHARED_DATA}: cannot compare against them",
)
REGION_IDS = ("fyrbodal", "goteborgsregionen", "sjuharad", "skaraborg", "jonkopings-lan")


@pytest.fixture(scope="module")
def tax() -> Taxonomy:
    return Taxonomy.load()


def copy_taxonomy(tmp_path: Path) -> Path:
    target = tmp_path / "taxonomy"
    shutil.copytree(TAXONOMY_DIR, target)
    return target


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append_line(path: Path, line: str) -> int:
    """Append ``line`` and return its 1-based line number."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return len(text.splitlines()) + 1


# -- the real files -----------------------------------------------------------------------------


def test_real_files_load_with_all_entries(tax: Taxonomy) -> None:
    assert len(tax.municipalities) == 290
    assert len(tax.counties) == 21
    assert tuple(tax.focus_areas) == FOCUS_AREA_IDS
    assert tuple(tax.doc_types) == (
        "guide", "project", "decision", "notice", "plan", "strategy", "report", "presentation",
        "webpage", "other",
    )  # fmt: skip
    assert {t.id: t.core for t in tax.doc_types.values() if t.broader} == {
        "notice": "decision", "strategy": "plan", "presentation": "other", "webpage": "other"
    }  # fmt: skip
    assert set(REGION_IDS) <= set(tax.regions)
    assert tax.directory == TAXONOMY_DIR.resolve()


def test_load_is_cached_per_directory(tmp_path: Path) -> None:
    # Speed is measured in bench/, not here: this checks the cache that makes repeat loads free.
    assert Taxonomy.load() is Taxonomy.load(TAXONOMY_DIR)
    copy = shutil.copytree(TAXONOMY_DIR, tmp_path / "copy")
    loaded = Taxonomy.load(copy)
    assert loaded is Taxonomy.load(copy)
    assert loaded is not Taxonomy.load(TAXONOMY_DIR)
    assert set(loaded.municipalities) == set(Taxonomy.load().municipalities)


@needs_shared
def test_municipalities_and_counties_match_reference(tax: Taxonomy) -> None:
    with open(SHARED_DATA / "municipalities.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 290
    assert {r["code"] for r in rows} == set(tax.municipalities)
    for row in rows:
        muni = tax.municipalities[row["code"]]
        assert (muni.name, muni.county_code) == (row["name"], row["county_code"]), row
        assert tax.county_of(row["code"]).name == row["county_name"], row
    assert {r["county_code"] for r in rows} == set(tax.counties)


@needs_shared
def test_region_members_match_reference_except_varberg(tax: Taxonomy) -> None:
    reference: dict[str, set[str]] = {}
    with open(SHARED_DATA / "regions.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            reference.setdefault(row["region_id"], set()).add(row["municipality_code"])
    assert set(reference) == set(REGION_IDS)
    # Deliberate difference: the reference is Kolada's comparison group, which counts Varberg
    # (1383) in Sjuhärad. Boråsregionen's own page names eight members and says Varberg is
    # "adjungerad enligt särskilt avtal", so we keep Varberg as an associate, not a member
    # (corpus/README.md, Taxonomy > Regions).
    reference["sjuharad"].discard("1383")
    for region_id, members in reference.items():
        assert set(tax.regions[region_id].members) == members, region_id
    assert tax.regions["sjuharad"].associates == ("1383",)


def test_region_sizes_and_jonkoping_is_the_county(tax: Taxonomy) -> None:
    sizes = {rid: len(tax.regions[rid].members) for rid in REGION_IDS}
    assert sizes == {
        "fyrbodal": 14,
        "goteborgsregionen": 13,
        "sjuharad": 8,
        "skaraborg": 15,
        "jonkopings-lan": 13,
    }
    assert set(tax.regions["jonkopings-lan"].members) == {
        m.code for m in tax.municipalities_in("06")
    }
    sjuharad = tax.regions["sjuharad"]
    assert sjuharad.name == "Boråsregionen Sjuhärads kommunalförbund"
    assert {"Sjuhärad", "Boråsregionen"} <= set(sjuharad.aliases)


def test_focus_areas_have_labels_aliases_and_keywords(tax: Taxonomy) -> None:
    for area in tax.focus_areas.values():
        assert area.label_sv and area.label_en and area.description_sv and area.description_en
        # The upper bound guards against a list pasted twice, not against vocabulary growth.
        assert 10 <= len(area.keywords) <= 60, area.id
    leadership = tax.focus_areas["digitalt-ledarskap"]
    assert leadership.label_sv == "Digitalt ledarskap"
    assert "digital ledning" in leadership.aliases
    assert tax.focus_area_by_alias("Digital ledning") is leadership
    assert tax.focus_area_by_alias("DIGITAL TRYGGHET") is tax.focus_areas["digital-trygghet"]
    assert tax.focus_area_by_alias("okänt område") is None
    security = {k.casefold() for k in tax.focus_areas["digital-trygghet"].keywords}
    assert {"informationssäkerhet", "cybersäkerhet", "gdpr", "msb", "bankid"} <= security
    all_keywords = [k.casefold() for a in tax.focus_areas.values() for k in a.keywords]
    assert len(all_keywords) == len(set(all_keywords)), "a keyword belongs to two areas"
    # ...but the strategy's vocabulary may put a keyword in a second area too, named as such.
    assert ("e-legitimation", "digital-infrastruktur") in tax.focus_areas["digital-trygghet"].also


def test_labels_in_swedish_and_english(tax: Taxonomy) -> None:
    assert tax.label("focus_area", "digital-trygghet") == "Digital trygghet"
    assert tax.label("focus_area", "digital-trygghet", lang="en") == "Digital security"
    assert tax.label("doc_type", "decision") == "Beslut och protokoll"
    assert tax.label("doc_type", "decision", "en") == "Decision or minutes"
    assert tax.label("county", "14") == "Västra Götalands län"
    assert tax.label("county", "14", "en") == "Västra Götaland County"
    assert tax.label("municipality", "1487") == "Vänersborg"
    assert tax.label("municipality", "1487", "en") == "Vänersborg"
    assert tax.label("region", "sjuharad") == "Boråsregionen"
    assert DEFAULT_FACETS.label(tax, "year", "2024") == "2024"  # years label themselves
    # A value an old document carries but the taxonomy dropped is shown as itself.
    assert tax.label("focus_area", "retired-area") == "retired-area"
    with pytest.raises(ValidationError, match="unknown taxonomy kind"):
        tax.label("colour", "red")
    with pytest.raises(ValidationError, match="unknown facet"):
        DEFAULT_FACETS.label(tax, "colour", "red")
    with pytest.raises(ValidationError, match="unknown language"):
        tax.label("focus_area", "digital-trygghet", lang="de")


def test_regions_of_and_county_of(tax: Taxonomy) -> None:
    assert [r.id for r in tax.regions_of("1490")] == ["sjuharad"]
    assert [r.id for r in tax.regions_of("1485")] == ["fyrbodal"]
    assert [r.id for r in tax.regions_of("1384")] == ["goteborgsregionen"]
    assert [r.id for r in tax.regions_of("0680")] == ["jonkopings-lan"]
    assert tax.regions_of("1383") == ()  # Varberg: associate of Sjuhärad, not a member
    assert tax.regions_of("0114") == ()
    assert tax.county_of("1384").name == "Hallands län"
    assert tax.county_of("0331").code == "03"  # Heby, in Uppsala län since 2007
    with pytest.raises(NotFoundError, match="9999"):
        tax.county_of("9999")
    with pytest.raises(NotFoundError):
        tax.regions_of("14")


def test_name_forms_documents_use(tax: Taxonomy) -> None:
    m = tax.municipalities
    assert m["1490"].official_name == "Borås Stad"
    assert m["1480"].official_name == "Göteborgs Stad"
    assert m["1488"].official_name == "Trollhättans stad"
    assert m["1280"].official_name == "Malmö stad"
    assert m["0980"].official_name == "Region Gotland"
    assert m["2080"].official_name == "Falu kommun"
    assert m["1487"].official_name == "Vänersborgs kommun"
    assert m["1485"].official_name == "Uddevalla kommun"
    assert m["0114"].official_name == "Upplands Väsby kommun"
    assert "Vänersborgs" in m["1487"].forms and "Uddevallas" in m["1485"].forms
    assert "Uddevalla kommuns" in m["1485"].forms and "Borås Stads" in m["1490"].forms
    assert "Boråss" not in m["1490"].forms and "Alingsås kommun" in m["1489"].forms
    for muni in m.values():
        genitive = muni.name if muni.name[-1] in "sxz" else muni.name + "s"
        assert genitive in (muni.name, *muni.forms), muni.name
        assert muni.name not in muni.forms, muni.name
    stad = [x.code for x in m.values() if x.official_name.casefold().endswith(" stad")]
    assert len(stad) == 14


def test_municipality_by_name_ignores_case_and_diacritics(tax: Taxonomy) -> None:
    def code(name: str) -> str | None:
        found = tax.municipality_by_name(name)
        return found.code if found else None

    assert code("Borås Stad") == "1490"
    assert code("borås stad") == "1490"
    assert code("Region Gotland") == "0980"
    assert code("Trollhättans stad") == "1488"
    assert code("Vanersborgs") == "1487"
    assert code("GOTEBORGS STAD") == "1480"
    assert code("Upplands Bro") == "0139"
    assert code("Habo") == "0643" and code("Håbo") == "0305"  # exact spelling wins
    assert code("Ingenstans kommun") is None


def test_ambiguous_names_need_context(tax: Taxonomy) -> None:
    by_name = {m.name: m for m in tax.municipalities.values()}
    for name in ("Vara", "Mark", "Ale", "Boden", "Lund"):
        assert by_name[name].ambiguous, name
    for name in ("Uddevalla", "Borås", "Göteborg", "Vänersborg", "Hjo"):
        assert not by_name[name].ambiguous, name
    mark = by_name["Mark"]
    assert "Mark" not in mark.safe_forms and "Marks" not in mark.safe_forms
    assert "Marks kommun" in mark.safe_forms
    assert {"Uddevalla", "Uddevallas", "Uddevalla kommun"} <= set(by_name["Uddevalla"].safe_forms)


# -- editing the files --------------------------------------------------------------------------


def test_membership_dates_decide_current_members(tmp_path: Path) -> None:
    directory = copy_taxonomy(tmp_path)
    replace_in(
        directory / "regions.toml",
        '"1443",  # Bollebygd',
        '{ code = "1443", valid_from = 2005-01-01, valid_to = 2019-12-31 },',
    )
    tax = Taxonomy.load(directory)
    sjuharad = tax.regions["sjuharad"]
    assert "1443" not in sjuharad.members
    assert "1443" in sjuharad.members_on(date(2015, 6, 1))
    assert tax.regions_of("1443") == ()
    assert tax.regions_of("1443", on=date(2015, 6, 1)) == (sjuharad,)


def test_spreadsheet_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    directory = copy_taxonomy(tmp_path)
    path = directory / "municipalities.tsv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert len(Taxonomy.load(directory).municipalities) == 290


def _dup_code(d: Path) -> str:
    line = append_line(d / "municipalities.tsv", "1485\tUddevalla2\t14\tno\tUddevalla2 kommun")
    return f"line {line}: duplicate municipality code 1485"


def _unknown_county(d: Path) -> str:
    line = append_line(d / "municipalities.tsv", "9901\tNyköpstad\t99\tno\tNyköpstads kommun")
    return f"line {line}: unknown county code '99'"


def _code_outside_county(d: Path) -> str:
    line = append_line(d / "municipalities.tsv", "1399\tNystad\t14\tno\tNystads kommun")
    return f"line {line}: code 1399 does not start with its county code 14"


def _dropped_zero(d: Path) -> str:
    replace_in(d / "municipalities.tsv", "0114\tUpplands Väsby", "114\tUpplands Väsby")
    return "'114' must be 4 digits (did a spreadsheet drop the leading zero?)"


def _spaces_not_tabs(d: Path) -> str:
    line = append_line(d / "municipalities.tsv", "1999 Nystad 14 no Nystads kommun")
    return f"line {line}: 1 cells, the header has 5 columns (columns are separated by tabs)"


def _bad_flag(d: Path) -> str:
    replace_in(d / "municipalities.tsv", "Uddevalla\t14\tno", "Uddevalla\t14\tkanske")
    return "'ambiguous' must be yes or no, not 'kanske'"


def _form_of_two(d: Path) -> str:
    path = d / "municipalities.tsv"
    replace_in(path, "Borås Stad;", "Borås Stad; Uddevalla kommun;")
    line = 1 + next(
        i
        for i, t in enumerate(path.read_text(encoding="utf-8").splitlines())
        if t.startswith("1490")
    )
    return f"line {line}: name form 'Uddevalla kommun' is also a form of municipality 1485"


def _dup_county(d: Path) -> str:
    line = append_line(d / "counties.tsv", "14\tVästra Götalands län\tVG County\t")
    return f"line {line}: duplicate county code 14"


def _unknown_member(d: Path) -> str:
    replace_in(d / "regions.toml", '"1490",  # Borås', '"1999",')
    return "[[region]] #3 (id 'sjuharad'): member '1999' is not a municipality code"


def _dates_reversed(d: Path) -> str:
    replace_in(
        d / "regions.toml",
        '"1490",  # Borås',
        '{ code = "1490", valid_from = 2020-01-01, valid_to = 2010-01-01 },',
    )
    return "(id 'sjuharad'): member 1490: valid_from is after valid_to"


def _bad_toml(d: Path) -> str:
    append_line(d / "regions.toml", "[[region]\nid = ")
    return "invalid TOML"


def _missing_label(d: Path) -> str:
    replace_in(d / "focus_areas.toml", 'label_en = "Digital competence"\n', "")
    return "[[focus_area]] #1 (id 'digital-kompetens'): 'label_en' is missing or empty"


def _unknown_area(d: Path) -> str:
    replace_in(d / "focus_areas.toml", 'id = "digital-innovation"', 'id = "digital-kreativitet"')
    return "unknown focus area 'digital-kreativitet'"


def _shared_keyword(d: Path) -> str:
    replace_in(d / "focus_areas.toml", '    "bredband",\n', '    "GDPR",\n')
    return "keyword 'GDPR' is already a keyword of 'digital-trygghet'"


def _also_not_a_keyword(d: Path) -> str:
    replace_in(d / "focus_areas.toml", 'also = { "e-legitimation"', 'also = { "e-tjänst"')
    return "(id 'digital-trygghet'): 'also': 'e-tjänst' is not one of this area's keywords"


def _also_unknown_area(d: Path) -> str:
    replace_in(
        d / "focus_areas.toml",
        '"e-legitimation" = "digital-infrastruktur"',
        '"e-legitimation" = "infrastruktur"',
    )
    return "'also': 'e-legitimation' names 'infrastruktur', not another focus area id"


def _typo_field(d: Path) -> str:
    replace_in(d / "doc_types.toml", 'label_sv = "Vägledning"', 'lable_sv = "Vägledning"')
    return "[[doc_type]] #1 (id 'guide'): unknown field 'lable_sv'"


def _unknown_broader(d: Path) -> str:
    replace_in(d / "doc_types.toml", 'broader = "decision"', 'broader = "protokoll"')
    return "[[doc_type]] #4 (id 'notice'): broader type 'protokoll' must be one of guide,"


def _missing_file(d: Path) -> str:
    (d / "doc_types.toml").unlink()
    return "file missing"


def _not_utf8(d: Path) -> str:
    (d / "counties.tsv").write_bytes("code\tname\n14\tVästra Götalands län\n".encode("latin-1"))
    return "not UTF-8 text"


BROKEN: dict[str, tuple[str, Callable[[Path], str]]] = {
    "duplicate municipality code": ("municipalities.tsv", _dup_code),
    "unknown county": ("municipalities.tsv", _unknown_county),
    "code outside its county": ("municipalities.tsv", _code_outside_county),
    "leading zero dropped": ("municipalities.tsv", _dropped_zero),
    "malformed TSV row": ("municipalities.tsv", _spaces_not_tabs),
    "bad ambiguous flag": ("municipalities.tsv", _bad_flag),
    "form of two municipalities": ("municipalities.tsv", _form_of_two),
    "duplicate county code": ("counties.tsv", _dup_county),
    "region member does not exist": ("regions.toml", _unknown_member),
    "membership dates reversed": ("regions.toml", _dates_reversed),
    "malformed TOML": ("regions.toml", _bad_toml),
    "required field missing": ("focus_areas.toml", _missing_label),
    "unknown focus area": ("focus_areas.toml", _unknown_area),
    "keyword in two areas": ("focus_areas.toml", _shared_keyword),
    "also names no own keyword": ("focus_areas.toml", _also_not_a_keyword),
    "also names no area": ("focus_areas.toml", _also_unknown_area),
    "misspelt field": ("doc_types.toml", _typo_field),
    "broader type not a core type": ("doc_types.toml", _unknown_broader),
    "file missing": ("doc_types.toml", _missing_file),
    "not UTF-8": ("counties.tsv", _not_utf8),
}


@pytest.mark.parametrize("case", BROKEN)
def test_broken_file_fails_with_one_line_naming_file_and_entry(tmp_path: Path, case: str) -> None:
    filename, breaks = BROKEN[case]
    directory = copy_taxonomy(tmp_path)
    expected = breaks(directory)
    with pytest.raises(TaxonomyError) as caught:
        Taxonomy.load(directory)
    message = str(caught.value)
    assert message.startswith(f"{directory.resolve() / filename}: "), message
    assert expected in message
    assert "\n" not in message


def test_fixed_file_loads_after_an_error(tmp_path: Path) -> None:
    directory = copy_taxonomy(tmp_path)
    path = directory / "regions.toml"
    good = path.read_text(encoding="utf-8")
    replace_in(path, '"1490",  # Borås', '"1999",')
    with pytest.raises(TaxonomyError):
        Taxonomy.load(directory)
    path.write_text(good, encoding="utf-8")
    assert "1490" in Taxonomy.load(directory).regions["sjuharad"].members


def test_missing_directory_is_reported(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="taxonomy folder missing"):
        Taxonomy.load(tmp_path / "nowhere")
