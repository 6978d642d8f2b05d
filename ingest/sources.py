"""Sources: turn what a person typed (files, folders, URLs, a manifest) into ``Source`` values.

Folders are walked recursively in a stable order, skipping hidden entries; files of types we
cannot read are reported as skipped. A manifest (CSV with a header, or JSON lines) names one path
or URL per row with metadata overrides; relative paths are resolved from the manifest's folder.
Sitemaps and crawls need the network and live in ``ingest.fetch.crawl``.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.extract.charset import decode
from ingest.fetch.urls import ALLOWED_SCHEMES, looks_like_url, normalise_url, scheme_of
from ingest.media import SAVE_AS_PDF_SUFFIXES, is_readable_name, suffix_of
from ingest.model import Overrides, Rejected, Source
from kb.errors import ValidationError

# Manifest columns: the first present of these names the source; the others are overrides. A row
# with both a URL and a path is read from the file and known by the URL (its public address).
# Swedish names as well, as for the metadata columns below.
SOURCE_COLUMNS = ("source", "källa", "url", "adress", "path", "sökväg", "file", "fil")
LOCAL_COLUMNS = ("path", "sökväg", "file", "fil")
LIST_COLUMNS = {
    "focus_areas": ("focus_areas", "focus_area", "fokusomrade", "fokusområde"),
    "municipalities": ("municipalities", "municipality", "kommun", "kommuner"),
    "regions": ("regions", "region", "regioner"),
}
TEXT_COLUMNS = {
    "title": ("title", "titel"),
    "date": ("date", "datum"),
    "doc_type": ("doc_type", "type", "dokumenttyp"),
    "language": ("language", "lang", "språk"),
    "publisher": ("publisher", "utgivare"),
}
PASSWORD_COLUMNS = ("password", "lösenord")
NO_OVERRIDES = Overrides()


def resolve(
    inputs: Iterable[str], overrides: Overrides = NO_OVERRIDES, password: str | None = None
) -> Iterator[Source | Rejected]:
    """Sources for command-line inputs: files, folders (recursive) and http(s) URLs.

    Yields ``Rejected`` for a missing path, a bad URL or another scheme; never raises for one input.
    """
    for raw in inputs:
        yield from _resolve_one(raw, overrides, password, origin="argument", base=Path.cwd())


def _resolve_one(
    raw: str, overrides: Overrides, password: str | None, origin: str, base: Path
) -> Iterator[Source | Rejected]:
    raw = raw.strip()
    if looks_like_url(raw):
        try:
            scheme = scheme_of(raw)  # ValueError too: an unclosed IPv6 bracket ("http://[::1/")
            if scheme not in ALLOWED_SCHEMES:
                yield Rejected(
                    raw, "scheme", f"Bara http och https stöds / scheme not allowed: {scheme}:"
                )
                return
            source = Source(normalise_url(raw), "url", overrides, origin, password)
        except ValueError as err:
            yield Rejected(raw, "bad-url", f"Ogiltig URL / invalid URL: {err}")
            return
        yield source
        return
    path = Path(raw).expanduser()
    if not path.is_absolute():
        path = base / path
    path = Path(os.path.abspath(path))  # not resolve(): keep the symlink name the person used
    if path.is_dir():
        yield from walk_folder(path, overrides, password)
    elif path.is_file():
        yield Source(str(path), "file", overrides, origin, password)
    else:
        reason = f"Filen eller mappen finns inte / not found: {path}"
        if looks_like_address(raw):
            reason += f". Menade du / did you mean https://{raw}"
        yield Rejected(str(path), "missing", reason)


# Endings of web addresses that are not file types (a missing "rapport.pdf" is a file).
_WEB_ENDINGS = frozenset({"se", "nu", "com", "org", "net", "eu", "info", "io", "gov", "edu"})


def looks_like_address(raw: str) -> bool:
    """True for a web address typed without its scheme ("www.uddevalla.se/e-arkiv",
    "vara.se"): its first part is a host name with a web ending or "www."."""
    if raw.startswith(("/", ".", "~")) or " " in raw:
        return False
    host = raw.split("/", 1)[0].lower()
    labels = host.split(".")
    if len(labels) < 2 or not all(label for label in labels):
        return False
    return labels[0] == "www" or labels[-1] in _WEB_ENDINGS


def walk_folder(
    folder: Path, overrides: Overrides = NO_OVERRIDES, password: str | None = None
) -> Iterator[Source | Rejected]:
    """Every document file under ``folder``, recursively, sorted; hidden entries are left out.

    Symbolic links are followed only while they stay inside ``folder``: a link to a file or a
    folder elsewhere (``/etc/passwd``) is reported as skipped with its target, never read, and a
    link back to a folder already walked is not followed again (no loops).
    """
    root = folder.resolve()
    walked: set[Path] = set()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
        walked.add(Path(dirpath).resolve())
        kept: list[str] = []
        for name in sorted(d for d in dirnames if not d.startswith(".")):
            path = Path(dirpath) / name
            rejected = _outside(path, root)
            if rejected is None and path.is_symlink() and path.resolve() in walked:
                rejected = Rejected(
                    str(path),
                    "symlink-loop",
                    "Länken leder till en mapp som redan läses / link to a folder already read",
                    skipped=True,
                )
            if rejected is None:
                kept.append(name)
            else:
                yield rejected
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            rejected = _outside(path, root)
            if rejected is not None:
                yield rejected
            elif is_readable_name(name):
                yield Source(str(path), "file", overrides, "folder", password)
            else:
                yield Rejected(str(path), "skipped-type", _not_read(path), skipped=True)


def _not_read(path: Path) -> str:
    """Why a folder's file is skipped, and for an office file what to do about it."""
    suffix = path.suffix or "(ingen)"
    if suffix_of(path.name) in SAVE_AS_PDF_SUFFIXES:
        return (
            f"Filtypen {suffix} läses inte; spara filerna som PDF för att läsa in dem / "
            "file type not read: save them as PDF to ingest them"
        )
    return f"Filtypen {suffix} läses inte / file type not read"


def _outside(path: Path, root: Path) -> Rejected | None:
    """Why ``path`` must not be read: a symbolic link whose target is outside ``root``."""
    if not path.is_symlink():
        return None
    target = path.resolve()
    if target.is_relative_to(root):
        return None
    return Rejected(
        str(path),
        "symlink-outside",
        f"Länken pekar utanför mappen och följs inte / link leads outside the folder: {target}",
        skipped=True,
    )


def read_manifest(
    path: Path, overrides: Overrides = NO_OVERRIDES, password: str | None = None
) -> Iterator[Source | Rejected]:
    """Sources listed in a manifest: CSV (with a header row) or JSON lines (.jsonl/.ndjson/.json).

    Row values override ``overrides`` field by field. A bad row is yielded as ``Rejected``.

    Raises:
        ValidationError: the manifest cannot be read or has no source column / unknown columns.
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ValidationError(
            f"Manifestet kan inte läsas / cannot read manifest {path}: {err}"
        ) from err
    # A spreadsheet saves CSV in its own code page: Swedish Excel's "CSV (semikolonavgränsad)"
    # is Windows-1252, "Unicode-text" UTF-16, a Mac's Mac Roman; read them as text files are.
    text, _codec = decode(data)
    rows = (
        _json_rows(text, path)
        if path.suffix.lower() in (".jsonl", ".ndjson", ".json")
        else _csv_rows(text, path)
    )
    base = path.parent.resolve()
    for line, row in rows:
        origin = f"manifest line {line}"
        if isinstance(row, str):
            yield Rejected(f"{path}:{line}", "manifest", row)
            continue
        location = next((str(row[c]).strip() for c in SOURCE_COLUMNS if row.get(c)), "")
        local = next((str(row[c]).strip() for c in LOCAL_COLUMNS if row.get(c)), "")
        if not location:
            yield Rejected(
                f"{path}:{line}", "manifest", f"Rad {line} saknar källa / row has no source"
            )
            continue
        row_password = next((str(row[c]) for c in PASSWORD_COLUMNS if row.get(c)), None)
        row_overrides = overrides.merged(row_to_overrides(row))
        row_password = row_password or password
        if local and looks_like_url(location) and not looks_like_url(local):
            yield _local_copy(location, base / local, row_overrides, row_password, origin)
        else:
            yield from _resolve_one(location, row_overrides, row_password, origin, base)


def _local_copy(
    url: str, path: Path, overrides: Overrides, password: str | None, origin: str
) -> Source | Rejected:
    """A source known by its public URL but read from a local file."""
    path = Path(os.path.abspath(path))
    if not path.is_file():
        return Rejected(str(path), "missing", f"Filen finns inte / not found: {path}")
    try:
        if scheme_of(url) not in ALLOWED_SCHEMES:
            return Rejected(url, "scheme", f"Bara http och https stöds / scheme not allowed: {url}")
        location = normalise_url(url)
    except ValueError as err:
        return Rejected(url, "bad-url", f"Ogiltig URL / invalid URL: {err}")
    return Source(location, "url", overrides, origin, password, local_path=str(path))


def row_to_overrides(row: dict[str, object]) -> Overrides:
    """The overrides named by a manifest row (lists may be given as "a; b" or as JSON arrays)."""
    values: dict[str, object] = {}
    for field, names in TEXT_COLUMNS.items():
        value = next((row[n] for n in names if row.get(n)), None)
        if value:
            values[field] = str(value).strip()
    for field, names in LIST_COLUMNS.items():
        value = next((row[n] for n in names if row.get(n)), None)
        if value:
            values[field] = split_list(value)
    return Overrides(**values)  # type: ignore[arg-type]


def split_list(value: object) -> tuple[str, ...]:
    """ "a; b | c" or ["a", "b"] as ("a", "b", "c")."""
    items = value if isinstance(value, list | tuple) else str(value).replace("|", ";").split(";")
    return tuple(str(v).strip() for v in items if str(v).strip())


def _known_columns() -> set[str]:
    known = set(SOURCE_COLUMNS) | set(PASSWORD_COLUMNS)
    for names in (*LIST_COLUMNS.values(), *TEXT_COLUMNS.values()):
        known.update(names)
    return known


def _check_columns(columns: Iterable[str], path: Path) -> None:
    unknown = sorted(set(columns) - _known_columns())
    if unknown:
        raise ValidationError(
            f"Okända kolumner i {path.name} / unknown manifest columns: {', '.join(unknown)}"
            f" (known: {', '.join(sorted(_known_columns()))})"
        )


def _csv_rows(text: str, path: Path) -> list[tuple[int, dict[str, object] | str]]:
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    columns = [c.strip().lower() for c in (reader.fieldnames or [])]
    if not any(c in SOURCE_COLUMNS for c in columns):
        raise ValidationError(
            f"Manifestet {path.name} saknar kolumnen källa (eller url/sökväg) / manifest needs "
            "a 'source' (or 'url' / 'path') column in its header row"
        )
    _check_columns(columns, path)
    rows: list[tuple[int, dict[str, object] | str]] = []
    for record in reader:
        row = {
            str(k).strip().lower(): (v or "").strip() for k, v in record.items() if k is not None
        }
        rows.append((reader.line_num, row))
    return rows


def _json_rows(text: str, path: Path) -> list[tuple[int, dict[str, object] | str]]:
    rows: list[tuple[int, dict[str, object] | str]] = []
    columns: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as err:
            rows.append((number, f"Rad {number}: ogiltig JSON / invalid JSON: {err}"))
            continue
        if not isinstance(data, dict):
            rows.append((number, f"Rad {number}: inte ett JSON-objekt / not a JSON object"))
            continue
        row = {str(k).strip().lower(): v for k, v in data.items()}
        columns.update(row)
        rows.append((number, row))
    _check_columns(columns, path)
    return rows
