"""Media types: the one table of what ingest reads, by name, by file name and by content.

Sources (which files of a folder to take), fetch (the type hint of a local file, the responses
refused before their body), crawl (links that are never documents), extract (the signatures of
binaries it refuses) and normalise (the suffix of the kept copy's download name) all read it.
Adding a file type is one ``MediaType`` row here plus its extractor in ``ingest.extract``.
The document's media type is stored on ``kb.document.Document.content_type`` for the web.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import PurePosixPath

PDF = "application/pdf"
HTML = "text/html"
XHTML = "application/xhtml+xml"
TEXT = "text/plain"
MARKDOWN = "text/markdown"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
SITEMAP = "application/x-sitemap+xml"


@dataclass(frozen=True)
class MediaType:
    """A type of original that ingest reads.

    Attributes:
        name: the media type stored on the document ("application/pdf").
        suffixes: file name suffixes that mean this type; the first is given to a kept copy's
            download name that has none of them.
    """

    name: str
    suffixes: tuple[str, ...]


READABLE = (
    MediaType(PDF, (".pdf",)),
    MediaType(HTML, (".html", ".htm", ".xhtml")),
    MediaType(TEXT, (".txt", ".text")),
    MediaType(MARKDOWN, (".md", ".markdown", ".mdown", ".mkd")),
    MediaType(DOCX, (".docx",)),
    MediaType(ODT, (".odt",)),
)
_BY_NAME = {media.name: media for media in READABLE}
_BY_SUFFIX = {suffix: media.name for media in READABLE for suffix in media.suffixes}
# Links with these suffixes are never documents we read: a crawl skips them without a request.
NOT_DOCUMENT_SUFFIXES = frozenset({
    ".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".ico", ".bmp", ".tif", ".tiff", ".css",
    ".js", ".json", ".zip", ".gz", ".rar", ".7z", ".mp3", ".mp4", ".avi", ".mov", ".wav", ".doc",
    ".xls", ".xlsx", ".ppt", ".pptx", ".ods", ".odp", ".exe", ".dmg", ".iso", ".ics", ".vcf",
    ".rss", ".atom", ".woff", ".woff2", ".ttf",
})  # fmt: skip
# Office files a folder may hold that are documents in another format: a folder's skip says
# to save them as PDF, as refusing one by its content does (BINARY_SIGNATURES).
SAVE_AS_PDF_SUFFIXES = frozenset({
    ".doc", ".dot", ".rtf", ".wpd", ".pages", ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".odp",
    ".key", ".pub", ".vsd", ".vsdx",
})  # fmt: skip
# Responses announced with these major types are refused before their body is read.
NON_DOCUMENT_MAJOR = ("image", "audio", "video", "font", "model")
# Leading bytes of binaries that are refused whatever they are called, named in Swedish and in
# English (ZIP is told apart later: DOCX and ODT are ZIP archives).
BINARY_SIGNATURES = (
    (b"\x89PNG", "PNG-bild", "PNG image"),
    (b"\xff\xd8\xff", "JPEG-bild", "JPEG image"),
    (b"GIF8", "GIF-bild", "GIF image"),
    (b"\xd0\xcf\x11\xe0", "äldre Office-dokument (spara det som PDF)",
     "old Office document (save it as PDF)"),
    (b"{\\rtf", "RTF-dokument (spara det som PDF)", "RTF document (save it as PDF)"),
    (b"\x1f\x8b", "gzip-arkiv", "gzip archive"),
    (b"7z\xbc\xaf", "7-Zip-arkiv", "7-Zip archive"),
    (b"Rar!", "RAR-arkiv", "RAR archive"),
    (b"II*\x00", "TIFF-bild", "TIFF image"),
    (b"MM\x00*", "TIFF-bild", "TIFF image"),
    (b"ID3", "MP3-ljud", "MP3 audio"),
    (b"\x00\x00\x00", "binärfil (video eller annat)", "binary file (video or other)"),
)  # fmt: skip
ZIP_SIGNATURE = b"PK\x03\x04"


def suffix_of(name: str) -> str:
    """The lower-case suffix of a file name or URL path (".pdf"), "" when none."""
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def is_readable_name(name: str) -> bool:
    """True when the file name's suffix is one of a type ingest reads."""
    return suffix_of(name) in _BY_SUFFIX


def type_for_name(name: str) -> str:
    """The media type a file name suggests (a hint only: extraction sniffs the bytes)."""
    return _BY_SUFFIX.get(suffix_of(name)) or mimetypes.guess_type(name)[0] or ""


def is_markdown_name(name: str) -> bool:
    """True for a Markdown file name (the bytes cannot tell Markdown from plain text)."""
    return _BY_SUFFIX.get(suffix_of(name)) == MARKDOWN


def download_name(name: str, media_type: str) -> str:
    """``name`` with a suffix that fits ``media_type`` (the kept copy's download name)."""
    media = _BY_NAME.get(media_type)
    name = name or "dokument"
    if media is None or suffix_of(name) in media.suffixes:
        return name
    return name + media.suffixes[0]
