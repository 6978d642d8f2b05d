"""The errors of the ingest pipeline and the policy for raising them.

Policy (after pypdf's errors.py): a stage raises an ``IngestError`` subclass when one document
cannot be taken in; the pipeline catches it, records ``code`` and the one-line message as that
document's reason and goes on with the batch. Where a stage recovered (one PDF page failed, OCR of
one page failed) it logs a warning and adds a note to the extracted value instead. Never
``warnings.warn``: tests run with ``filterwarnings = error`` and a warning must not abort a batch.
"""

from __future__ import annotations

from kb.errors import KbError

OCR_PACKAGES = "apt-get install tesseract-ocr tesseract-ocr-swe"


class IngestError(KbError):
    """One source could not be ingested. ``code`` is a short, stable key for scripts.

    Args:
        message: one clear line (Swedish first, English after a slash where it helps).
        code: overrides the class's code (e.g. "http-404").
    """

    code = "ingest"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    def __reduce__(self) -> tuple[object, ...]:
        # Keep the code when the error crosses a process boundary (--jobs with processes).
        return (type(self), (str(self), self.code))


class FetchError(IngestError):
    """A file could not be read or a URL did not answer with a document (status in ``code``)."""

    code = "fetch"


class NotModifiedError(FetchError):
    """A conditional request was answered 304 Not Modified: the kept version is current."""

    code = "not-modified"


class TooLargeError(FetchError):
    """The original is larger than the size limit (--max-bytes)."""

    code = "too-large"


class UnsupportedTypeError(IngestError):
    """The bytes are not PDF, HTML, plain text or Markdown (checked by content, not by name)."""

    code = "unsupported-type"


class EmptyDocumentError(IngestError):
    """The original is empty or no text could be found in it."""

    code = "empty"


class ExtractError(IngestError):
    """The original is damaged or cannot be parsed."""

    code = "corrupt"


class EncryptedPdfError(ExtractError):
    """The PDF is password-protected and no (right) password was given."""

    code = "encrypted"


class NeedsOcrError(ExtractError):
    """A scanned PDF without a text layer, and Tesseract is not installed or not usable."""

    code = "needs-ocr"


class OcrError(ExtractError):
    """Tesseract or the page renderer failed on a document."""

    code = "ocr-failed"


class BlockedError(IngestError):
    """A URL that a crawl must not fetch (robots.txt, another site, another scheme)."""

    code = "blocked"
