"""One original at two addresses, shared by the copies tests (tests/test_copies*.py and
tests/test_browser_copies*.py): the plan's text, the banks that hold it twice, and a test client
of the whole app over a bank's data folder. The texts are written here for these tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from kb.config import Settings
from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document

if TYPE_CHECKING:
    from flask.testing import FlaskClient

PLAN = (
    "Handlingsplan för digital tillgänglighet. Kommunens webbplatser granskas varje år och "
    "brister åtgärdas enligt lagen om tillgänglighet till digital offentlig service."
)
OTHER = "Tillgänglighet i lokaler: ramper, hissar och skyltning i kommunens fastigheter."


@contextmanager
def app_client(settings: Settings) -> Iterator[FlaskClient]:
    """The pages as an officer sees them, over the same data folder as ``kb``: a test client of
    the whole app, whose own knowledge base is closed after."""
    from web import create_app  # kb alone builds the bank
    from web.context import EXTENSION_KEY

    app = create_app(settings, {"TESTING": True})
    try:
        yield app.test_client()
    finally:
        app.extensions[EXTENSION_KEY].close()


def web_bank(kb: KnowledgeBase) -> None:
    """The same PDF on the municipality's site and on the region's, and another document."""
    add_documents(
        kb,
        [
            make_document(
                "https://kommun.se/plan.pdf", "Handlingsplan", PLAN, municipalities=("1484",)
            ),
            make_document(
                "https://region.se/dokument/plan.pdf",
                "Handlingsplan",
                PLAN,
                municipalities=("1484", "1485"),
            ),
            make_document("https://kommun.se/lokaler", "Lokaler", OTHER, municipalities=("1484",)),
        ],
    )


def file_bank(kb: KnowledgeBase) -> None:
    """The plan from a file an officer ingested and at the municipality's address."""
    add_documents(
        kb,
        [
            make_document("/srv/inbox/plan.pdf", "Handlingsplan", PLAN),
            make_document("https://kommun.se/plan.pdf", "Handlingsplan", PLAN),
            make_document("https://kommun.se/lokaler", "Lokaler", OTHER),
        ],
    )
