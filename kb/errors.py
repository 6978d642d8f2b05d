"""The one exception hierarchy of Kunskapsbanken.

Raise a KbError subclass where the caller must act; the CLI turns it into one clear line and a
non-zero exit, the web into a 4xx page or JSON envelope. Third-party errors are wrapped with
``raise XError(...) from err`` so no traceback reaches a user. Imports nothing from the project.
"""

from __future__ import annotations


class KbError(Exception):
    """Base class: every error a user may see. ``str(err)`` is the one-line message."""


class ConfigError(KbError):
    """A setting or data file is missing or malformed."""


class TaxonomyError(ConfigError):
    """A taxonomy file in corpus/ is invalid (message names the file and the line or entry)."""


class IndexError_(KbError):
    """The index cannot be opened or written."""


class SchemaMismatchError(IndexError_):
    """The index on disk was built with another schema or analyzer version: run `kb reindex`."""


class DiskFullError(IndexError_):
    """The disk filled while the index was written; the previous index is still in use."""


class ReindexInterruptedError(IndexError_):
    """A reindex was interrupted; the previous index is in use and `kb reindex` resumes."""


class IndexLockedError(IndexError_):
    """Another process holds the index writer lock and did not release it in time."""


class NotFoundError(KbError):
    """A document, file or value that was asked for does not exist."""


class StoreError(KbError):
    """The store of kept originals cannot be read or written."""


class ValidationError(KbError):
    """A request parameter is invalid (an unknown facet value, a page out of range...)."""
