"""Decode the bytes of an HTML or text original into text, whatever its character set.

Order: a byte-order mark (it cannot lie), the HTTP charset, the ``<meta>`` charset (HTML), then a
fallback detection: UTF-16 without a byte-order mark (told by where its zero bytes fall), strict
UTF-8, mostly-UTF-8 with a few bad bytes, else Windows-1252 or Mac Roman, whichever reads as more
Nordic letters and fewer stray symbols. Labels
follow the WHATWG Encoding standard: "iso-8859-1", "latin1" and "ascii" mean Windows-1252, as in
browsers, so the curly quotes and dashes of old Swedish municipal pages survive.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG labels whose browser meaning differs from Python's codec of the same name.
_WHATWG = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "unicode": "utf-16-le",
    "utf-16": "utf-16-le",
    "x-mac-roman": "mac-roman",
}
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.+-]+)""", re.IGNORECASE
)
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def codec_for(label: str | None) -> str | None:
    """The Python codec for a charset label, or None when the label is unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _WHATWG.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def meta_charset(data: bytes) -> str | None:
    """The charset declared by a ``<meta>`` tag in the first 4 KB of an HTML document."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def decode(data: bytes, http_charset: str | None = None, html: bool = False) -> tuple[str, str]:
    """Decode ``data`` and say which codec was used.

    Args:
        data: the original bytes.
        http_charset: the charset parameter of the HTTP Content-Type header, if any.
        html: also look for a ``<meta charset>`` declaration.

    Returns:
        (text, codec name). Never raises: the last resort is Windows-1252 with replacement.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace"), name
    declared: list[str | None] = [http_charset]
    if html:
        declared.append(meta_charset(data))
    for index, label in enumerate(declared):
        codec = codec_for(label)
        if codec is None:
            continue
        # A <meta> cannot truthfully declare UTF-16 in ASCII-compatible bytes; HTTP can.
        if codec.startswith(("utf-16", "utf-32")) and index > 0:
            continue
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue  # a wrong declaration: let detection decide
    return _detect(data)


def utf16_codec(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when ``data`` looks like UTF-16 without a byte-order mark.

    Text in Latin script has a zero high byte in almost every code unit, so zeros gather on the
    odd byte positions (little-endian) or the even ones (big-endian); a binary file scatters them.
    """
    sample = data[:8192]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 8:
        return None
    units = len(sample) // 2
    zeros_even, zeros_odd = sample[0::2].count(0), sample[1::2].count(0)
    if zeros_odd >= 0.4 * units and zeros_even <= 0.02 * units:
        codec = "utf-16-le"
    elif zeros_even >= 0.4 * units and zeros_odd <= 0.02 * units:
        codec = "utf-16-be"
    else:
        return None
    try:
        sample.decode(codec)
    except UnicodeDecodeError:
        return None
    return codec


def _detect(data: bytes) -> tuple[str, str]:
    utf16 = utf16_codec(data)
    if utf16 is not None:
        return data.decode(utf16, errors="replace"), utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    high = sum(1 for b in data if b >= 0x80)
    utf8_bytes = sum(len(m) for m in _UTF8_SEQUENCE.findall(data))
    # Mostly valid UTF-8 with a few stray bytes: UTF-8 with replacement loses less than cp1252,
    # which would turn every å, ä and ö into two characters.
    if utf8_bytes and utf8_bytes >= 0.8 * high:
        return data.decode("utf-8", errors="replace"), "utf-8"
    windows = data.decode("cp1252", errors="replace")
    mac = data.decode("mac-roman", errors="replace")
    if _nordic_score(mac) > _nordic_score(windows):
        return mac, "mac-roman"
    return windows, "cp1252"


# Letters of Swedish (and its neighbours) against what the other 8-bit codec makes of them.
_NORDIC = frozenset("åäöÅÄÖéÉüÜæøÆØ")
_MISREAD = frozenset("ŒŠšŽžŸ€‰ˆÂÃ…\ufffd")


def _nordic_score(text: str) -> int:
    """Nordic letters minus the symbols that a wrong 8-bit code page turns them into."""
    return sum(1 for c in text if c in _NORDIC) - sum(1 for c in text if c in _MISREAD)


def charset_param(content_type_header: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header value, or None."""
    if not content_type_header:
        return None
    for part in content_type_header.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None
