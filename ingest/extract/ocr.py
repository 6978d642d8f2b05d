"""OCR of scanned PDF pages with Tesseract's Swedish model, run as a subprocess.

A page is rendered to a grey-scale PNG with poppler's ``pdftoppm`` (or, without poppler, its
largest embedded image is used) and read by ``tesseract -l swe``. Whether OCR can run is checked
once per binary; when it cannot, ``availability`` says what to install. Never imports pypdf.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import OCR_PACKAGES, OcrError

LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class OcrOptions:
    """How to run OCR.

    Attributes:
        command: the tesseract binary (a name on PATH or a path; env KB_OCR_COMMAND in the CLI).
        renderer: poppler's pdftoppm (a name on PATH or a path).
        language: Tesseract language model(s), e.g. "swe" or "swe+eng".
        dpi: rendering resolution; 300 is what Tesseract is trained for.
        timeout: seconds allowed per page, for rendering and for recognition each.
        enabled: False turns OCR off (scanned PDFs are then reported as needing OCR).
    """

    command: str = "tesseract"
    renderer: str = "pdftoppm"
    language: str = "swe"
    dpi: int = 300
    timeout: float = 180.0
    enabled: bool = True


def availability(options: OcrOptions) -> str | None:
    """None when OCR can run with ``options``; otherwise the reason and what to install."""
    if not options.enabled:
        # The staff who turned it off still need to hear which files it left unread, and why.
        return (
            "Skannad PDF utan textlager; OCR är avstängt (--no-ocr eller KB_OCR_COMMAND='') / "
            "scanned PDF without a text layer; OCR is turned off"
        )
    binary = shutil.which(options.command)
    if binary is None:
        return (
            f"Skannad PDF utan textlager; Tesseract saknas ({options.command}). "
            f"Installera / install: {OCR_PACKAGES}"
        )
    missing = [lang for lang in options.language.split("+") if lang not in _languages(binary)]
    if missing:
        return (
            f"Tesseract saknar språkmodellen / language model missing: {', '.join(missing)}. "
            f"Installera / install: {OCR_PACKAGES}"
        )
    return None


@functools.lru_cache(maxsize=8)
def _languages(binary: str) -> frozenset[str]:
    # Cached per binary path: asking tesseract costs ~50 ms and the answer does not change in a run.
    try:
        done = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as err:
        LOG.warning("tesseract --list-langs failed: %s", err)
        return frozenset()
    lines = (done.stdout + "\n" + done.stderr).splitlines()
    return frozenset(ln.strip() for ln in lines if ln.strip() and " " not in ln.strip())


def can_render(options: OcrOptions) -> bool:
    """True when pdftoppm is installed (otherwise embedded page images are used)."""
    return shutil.which(options.renderer) is not None


def render_page(
    pdf_path: Path, number: int, workdir: Path, options: OcrOptions, password: str | None = None
) -> Path:
    """Render page ``number`` (1-based) of ``pdf_path`` to a PNG in ``workdir``.

    Raises:
        OcrError: pdftoppm failed or timed out.
    """
    renderer = shutil.which(options.renderer)
    if renderer is None:
        raise OcrError(
            f"pdftoppm saknas / missing: apt-get install poppler-utils ({options.renderer})"
        )
    prefix = workdir / f"page-{number}"
    args = [renderer, "-r", str(options.dpi), "-f", str(number), "-l", str(number)]
    if password:
        args += ["-upw", password]
    args += ["-gray", "-png", "-singlefile", str(pdf_path), str(prefix)]
    _run(args, options.timeout, "pdftoppm")
    image = prefix.with_suffix(".png")
    if not image.exists():
        raise OcrError(f"pdftoppm gav ingen bild för sidan {number} / rendered no image")
    return image


def recognise(image: Path, options: OcrOptions) -> str:
    """The text Tesseract reads in ``image``.

    Raises:
        OcrError: tesseract is missing, failed or timed out.
    """
    binary = shutil.which(options.command)
    if binary is None:
        raise OcrError(f"Tesseract saknas / missing ({options.command}): {OCR_PACKAGES}")
    args = [binary, str(image), "stdout", "-l", options.language, "--psm", "3"]
    return _run(args, options.timeout, "tesseract")


def _run(args: list[str], timeout: float, name: str) -> str:
    # One thread per tesseract: --jobs already runs pages in parallel, and 2 cores are shared.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            args,
            capture_output=True,
            timeout=timeout,
            check=False,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as err:
        raise OcrError(f"{name} tog mer än {timeout:g} s / timed out") from err
    except OSError as err:
        raise OcrError(f"{name} kunde inte startas / could not start: {err}") from err
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = lines[-1] if lines else f"exit status {done.returncode}"
        raise OcrError(f"{name} misslyckades / failed: {detail[:200]}")
    return done.stdout.decode("utf-8", "replace")
