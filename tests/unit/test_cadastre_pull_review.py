"""Pulls and imports that must not lose parcels (issue 14 review): an OGC API - Features
server that caps its pages (item 9), a source without editions (14b), a selection or part of a
sheet imported as a new edition (item 8)."""

from __future__ import annotations

import pytest
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.cadastre.mapping import load_mapping
from roadinfra.core.cadastre.remote import FeaturesApiSource, pull_sheets
from roadinfra.core.db import create_database, database_info, open_database

from tests.support.features_api import FeaturesApi
from tests.unit.test_cadastre_pull import features


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "tb.gpkg"
    create_database(path).close()
    return path


def _live(db):
    handle = open_database(db)
    try:
        return [r for r in handle.fetch("cadastral_parcel")]
    finally:
        handle.close()


@pytest.mark.parametrize("selection", ["supported", "reject"])
def test_a_server_that_caps_its_pages_without_next_link_is_refused(db, selection):
    """5 parcels, pages capped at 2, no ``next`` link, ``numberMatched`` 5: refused, nothing
    written (the listing and the fetch both check the count)."""
    items = features("5", "2024-05-01", columns=5, rows=1)
    before = database_info(db)
    with FeaturesApi("thua_dat", items, selection=selection, page_cap=2,
                     next_links=False) as api:
        source = FeaturesApiSource(api.url, "thua_dat", load_mapping("vn_cadastre"))
        with pytest.raises(CadastreError) as caught:
            pull_sheets(db, source)
    message = str(caught.value)
    assert "\n" not in message and "/collections/thua_dat/items" in message
    assert "counts 5 feature(s) (numberMatched) but gave 2 in 1 page(s)" in message
    assert "nothing was imported" in message
    assert _live(db) == [] and database_info(db) == before


def test_capped_pages_with_next_links_are_all_read(db):
    items = features("5", "2024-05-01", columns=5, rows=1)
    with FeaturesApi("thua_dat", items, page_cap=2) as api:
        result = pull_sheets(db, FeaturesApiSource(api.url, "thua_dat",
                                                   load_mapping("vn_cadastre")))
    assert result.imported.inserted == 5 and len(_live(db)) == 5
