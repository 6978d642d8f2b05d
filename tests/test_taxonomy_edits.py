"""Taxonomy files as editors change them: membership dates, a spreadsheet's BOM and CRLF, and a
broken file that fails with one clear line naming the file and the line or entry."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from kb.config import DEFAULT_CORPUS_DIR
from kb.errors import TaxonomyError
from kb.taxonomy.model import Taxonomy

TAXONOMY_DIR = DEFAULT_CORPUS_DIR / "taxonomy"


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
