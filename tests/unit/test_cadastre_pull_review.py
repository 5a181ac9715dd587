"""Pulls and imports that must not lose parcels (issue 14 review): an OGC API - Features
server that caps its pages (item 9), a source without editions (14b), a selection or part of a
sheet imported as a new edition (item 8)."""

from __future__ import annotations

import pytest
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.cadastre.mapping import load_mapping
from roadinfra.core.cadastre.remote import FeaturesApiSource, pull_sheets
from roadinfra.core.db import database_info, open_database

from tests.support.cadastre_db import empty_database, live_parcels, refused_unchanged
from tests.support.cadastre_files import sheet_file
from tests.support.features_api import FeaturesApi
from tests.unit.test_cadastre_pull import features


@pytest.fixture
def db(tmp_path):
    return empty_database(tmp_path)


@pytest.mark.parametrize("selection", ["supported", "reject"])
def test_a_server_that_caps_its_pages_without_next_link_is_refused(db, selection):
    """5 parcels, pages capped at 2, no ``next`` link, ``numberMatched`` 5: refused, nothing
    written (the listing and the fetch both check the count)."""
    items = features("5", "2024-05-01", columns=5, rows=1)
    with FeaturesApi("thua_dat", items, selection=selection, page_cap=2,
                     next_links=False) as api:
        source = FeaturesApiSource(api.url, "thua_dat", load_mapping("vn_cadastre"))
        refused_unchanged(db, lambda: pull_sheets(db, source), "/collections/thua_dat/items",
                          "counts 5 feature(s) (numberMatched) but gave 2 in 1 page(s)")
    assert live_parcels(db) == []


def test_capped_pages_with_next_links_are_all_read(db):
    items = features("5", "2024-05-01", columns=5, rows=1)
    with FeaturesApi("thua_dat", items, page_cap=2) as api:
        result = pull_sheets(db, FeaturesApiSource(api.url, "thua_dat",
                                                   load_mapping("vn_cadastre")))
    assert result.imported.inserted == 5 and len(live_parcels(db)) == 5


# -- item 8: a selection or part of a sheet is not a new edition --------------------------

def test_a_part_of_a_sheet_does_not_replace_the_stored_edition(db, tmp_path, capsys):
    from roadinfra.core.cli import main

    assert main(["cadastre", "import", str(sheet_file(tmp_path, "all.gpkg", "2024-01-01")),
                 str(db)]) == 0
    part = sheet_file(tmp_path, "part.gpkg", "2025-03-05", count=2)
    before = database_info(db)
    capsys.readouterr()
    assert main(["cadastre", "import", str(part), str(db)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and str(part) in err
    assert ("sheet -/12: the new edition 2025-03-05 holds 2 parcel(s), the stored edition "
            "2024-01-01 holds 10") in err
    assert "--whole-sheet" in err and "nothing was imported" in err
    assert database_info(db) == before and len(live_parcels(db)) == 10
    # confirmed as the whole sheet (e.g. parcels merged): replaces, the old kept in history
    assert main(["cadastre", "import", str(part), str(db), "--whole-sheet"]) == 0
    live = live_parcels(db)
    assert len(live) == 2 and {r["sheet_edition"] for r in live} == {"2025-03-05"}
    handle = open_database(db)
    old = [r for r in handle.fetch("cadastral_parcel", include_deleted=True) if r["deleted_at"]]
    handle.close()
    assert len(old) == 10 and {r["sheet_edition"] for r in old} == {"2024-01-01"}


def test_the_same_count_or_more_replaces_without_confirmation(db, tmp_path):
    from roadinfra.core.cadastre.importer import import_parcels
    from roadinfra.core.cadastre.reader import read_parcels

    import_parcels(db, read_parcels(sheet_file(tmp_path, "a.gpkg", "2024-01-01", count=4)))
    result = import_parcels(db, read_parcels(sheet_file(tmp_path, "b.gpkg", "2025-01-01")))
    assert [(s.action, s.parcels, s.replaced) for s in result.sheets] == [("replaced", 10, 4)]


# -- 14b: a source without editions --------------------------------------------------------

def test_a_pull_without_editions_compares_the_parcels(db, tmp_path, capsys):
    """A source with no edition field: a stored sheet is fetched and compared parcel by parcel
    (the same: up to date, nothing written; changed: replaced, the old kept in history)."""
    from roadinfra.core.cli import main
    from roadinfra.core.db import open_database as opendb

    path = sheet_file(tmp_path, "export.gpkg", None)
    assert main(["cadastre", "pull", str(db), "--file", str(path)]) == 0
    assert len(live_parcels(db)) == 10
    before = database_info(db)
    capsys.readouterr()
    assert main(["cadastre", "pull", str(db), "--file", str(path)]) == 0
    out = capsys.readouterr().out
    assert "1 stored sheet(s) without an edition in the source (-/12): fetched and compared" \
           in out
    assert database_info(db) == before
    # the department changes the land use of every parcel, still without an edition
    changed = sheet_file(tmp_path, "export2.gpkg", None, use="ONT")
    assert main(["cadastre", "pull", str(db), "--file", str(changed), "--json"]) == 0
    live = live_parcels(db)
    assert len(live) == 10 and {r["land_use"] for r in live} == {"ONT"}
    handle = opendb(db)
    old = [r for r in handle.fetch("cadastral_parcel", include_deleted=True) if r["deleted_at"]]
    handle.close()
    assert len(old) == 10 and {r["land_use"] for r in old} == {"LUC"}


# -- item 10, the other sources: a feature without a sheet number --------------------------

def test_an_api_feature_without_a_sheet_number_is_named(db):
    items = features("5", "2024-05-01", columns=4, rows=1)
    items[2]["properties"]["so_to"] = None
    items[3]["properties"]["so_to"] = " "
    items[3]["id"] = "thua.44"
    with FeaturesApi("thua_dat", items) as api:
        with pytest.raises(CadastreError) as caught:
            pull_sheets(db, FeaturesApiSource(api.url, "thua_dat",
                                              load_mapping("vn_cadastre")))
    message = str(caught.value)
    assert "\n" not in message and "/collections/thua_dat" in message
    assert message.endswith("2 feature(s) (feature 3, id thua.44) without a map sheet number "
                            "in field 'so_to'; nothing was imported")
    assert live_parcels(db) == []


def test_a_wfs_feature_without_a_sheet_number_is_named(db):
    from roadinfra.core.cadastre.remote import WfsSource

    from tests.support.cadastre_files import grid_parcels
    from tests.support.wfs_server import WfsServer

    frame = grid_parcels(columns=3, rows=1, sheet="5")
    rows = [(r.geometry, {"SoTo": None if k == 1 else r["SoTo"], "SoThua": r["SoThua"],
                          "DienTich": r["DienTich"], "LoaiDat": r["LoaiDat"]})
            for k, (_, r) in enumerate(frame.iterrows())]
    with WfsServer("thua_dat", rows, 9209) as server:
        with pytest.raises(CadastreError) as caught:
            pull_sheets(db, WfsSource(server.url, server.typename,
                                      load_mapping("vn_cadastre")))
    assert str(caught.value).endswith("1 feature(s) (feature 2) without a map sheet number in "
                                      "field 'SoTo'; nothing was imported")
    assert live_parcels(db) == []
