"""A pull keeps the fewer-parcels guard of the import (issue 14, second review, C): a file, or
an OGC API server that does not count its features, cannot show that a sheet is whole, so a
new edition with fewer parcels than the stored sheet needs the user's confirmation; a source
whose answer was counted and checked complete replaces without it. And an undated source
with a parcel number repeated in a sheet compares as a multiset (J)."""

from __future__ import annotations

import pytest
from roadinfra.core.cadastre.mapping import load_mapping
from roadinfra.core.cadastre.remote import FeaturesApiSource, FileSource, pull_sheets
from roadinfra.core.db import database_info

from tests.support.cadastre_db import empty_database, live_parcels, refused_unchanged
from tests.support.cadastre_files import sheet_file
from tests.support.features_api import FeaturesApi
from tests.unit.test_cadastre_pull import features, merged


@pytest.fixture
def db(tmp_path):
    return empty_database(tmp_path)


def test_a_file_pull_of_part_of_a_sheet_needs_confirmation(db, tmp_path, capsys):
    from roadinfra.core.cli import main

    assert main(["cadastre", "pull", str(db), "--file",
                 str(sheet_file(tmp_path, "full.gpkg", "2024-01-01"))]) == 0
    part = sheet_file(tmp_path, "part.gpkg", "2025-01-01", count=2)
    before = database_info(db)
    capsys.readouterr()
    assert main(["cadastre", "pull", str(db), "--file", str(part)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and str(part) in err
    assert ("sheet -/12: the new edition 2025-01-01 holds 2 parcel(s), the stored edition "
            "2024-01-01 holds 10") in err
    assert "--whole-sheet" in err and "nothing was imported" in err
    assert database_info(db) == before and len(live_parcels(db)) == 10
    # the user confirms that the export holds the whole sheet (parcels merged)
    assert main(["cadastre", "pull", str(db), "--file", str(part), "--whole-sheet"]) == 0
    live = live_parcels(db)
    assert len(live) == 2 and {r["sheet_edition"] for r in live} == {"2025-01-01"}


def _pull(db, api, **kwargs):
    return pull_sheets(db, FeaturesApiSource(api.url, "thua_dat", load_mapping("vn_cadastre")),
                       **kwargs)


def test_an_uncounted_server_that_caps_its_pages_cannot_shrink_a_sheet(db):
    """No ``numberMatched`` and no ``next`` link: 2 features of the new edition cannot show
    that the 5 stored parcels are gone; refused, nothing written, unless confirmed."""
    with FeaturesApi("thua_dat", features("5", "2024-05-01", columns=5, rows=1),
                     number_matched=False) as api:
        assert _pull(db, api).imported.inserted == 5
        api.features = features("5", "2025-01-01", columns=5, rows=1)
        api.page_cap, api.next_links = 2, False
        refused_unchanged(db, lambda: _pull(db, api), "/collections/thua_dat",
                          "sheet 13297/5: the new edition 2025-01-01 holds 2 parcel(s), the "
                          "stored edition 2024-05-01 holds 5", "does not count its features")
        result = _pull(db, api, whole_sheet=True)
    assert (result.imported.inserted, result.imported.tombstoned) == (2, 5)


def test_a_counted_source_replaces_a_smaller_sheet_without_confirmation(db):
    """``numberMatched`` checked: the sheet is whole as the department publishes it (parcels
    merged)."""
    with FeaturesApi("thua_dat", features("5", "2024-05-01", columns=5, rows=1)) as api:
        _pull(db, api)
        api.features = merged(merged(features("5", "2025-01-01", columns=5, rows=1)))
        result = _pull(db, api)
    assert (result.imported.inserted, result.imported.tombstoned) == (3, 5)


def test_next_links_followed_to_the_end_do_not_count_a_sheet(db):
    """Review 14c #5: no ``numberMatched``, pages of 2 whose ``next`` links stop after 4
    features (the server's result window): the 5 stored parcels are not replaced by 4; the
    user may still confirm the sheet whole."""
    with FeaturesApi("thua_dat", features("5", "2024-05-01", columns=5, rows=1),
                     number_matched=False, page_cap=2) as api:
        assert _pull(db, api).imported.inserted == 5
        api.features = features("5", "2025-01-01", columns=5, rows=1)
        api.result_cap = 4
        refused_unchanged(db, lambda: _pull(db, api),
                          "sheet 13297/5: the new edition 2025-01-01 holds 4 parcel(s), the "
                          "stored edition 2024-05-01 holds 5", "does not count its features")
        assert sum("offset=" in r for r in api.requests[-2:]) == 1  # the next link was followed
        result = _pull(db, api, whole_sheet=True)
    assert (result.imported.inserted, result.imported.tombstoned) == (4, 5)


# -- J: an undated source with a parcel number repeated in a sheet --------------------------

def test_an_undated_sheet_with_a_repeated_number_is_unchanged_when_the_same(db, tmp_path):
    """Parcels 9 and 10 both numbered 9 (a duplicate the quality check reports), no edition
    field: pulling the same file again leaves the sheet as it is; a change of the second
    parcel 9 still replaces it."""
    from tests.support.cadastre_files import grid_parcels, write

    frame = grid_parcels(columns=5, rows=2, sheet="12")
    frame.loc[frame.index[9], "SoThua"] = "9"
    path = write(frame, tmp_path / "export.gpkg")
    def source(p):
        return FileSource(p, load_mapping("vn_cadastre"))

    assert pull_sheets(db, source(path)).imported.inserted == 10
    before = database_info(db)
    for _ in range(2):
        again = pull_sheets(db, source(path))
        assert [(s.action, s.parcels) for s in again.imported.sheets] == [("unchanged", 0)]
        assert again.up_to_date == [(None, "12")]
    assert database_info(db) == before
    frame.loc[frame.index[9], "LoaiDat"] = "ONT"
    changed = pull_sheets(db, source(write(frame, tmp_path / "export2.gpkg")))
    assert [(s.action, s.replaced) for s in changed.imported.sheets] == [("replaced", 10)]


def test_a_counted_sheet_with_a_left_out_parcel_is_not_whole(db):
    """Review 14c #2: ``numberMatched`` counts 5 features of the new edition but parcel 3 is
    degenerate and left out: 4 imported parcels would replace 5; refused (the fewer-parcels
    guard, naming the left-out parcel), nothing written, unless the user confirms. Review
    14d #6: the refusal names the invalid parcel and sends the user to the source, not to
    the count the server did give."""
    with FeaturesApi("thua_dat", features("5", "2024-05-01", columns=5, rows=1)) as api:
        assert _pull(db, api).imported.inserted == 5
        new = features("5", "2025-01-01", columns=5, rows=1)
        ring = new[2]["geometry"]["coordinates"][0]
        new[2]["geometry"]["coordinates"] = [[ring[0], ring[1], ring[1], ring[0]]]
        api.features = new
        refused_unchanged(db, lambda: _pull(db, api),
                          "sheet 13297/5: the new edition 2025-01-01 is counted whole by its "
                          "source, but parcel(s) 3 are invalid and were left out: the import "
                          "would remove them from the live map; fix them at the source and "
                          "pull again; nothing was imported")
        result = _pull(db, api, whole_sheet=True)
    assert (result.imported.inserted, result.imported.tombstoned) == (4, 5)


def test_an_edition_covering_part_of_the_stored_sheet_needs_confirmation(db, tmp_path, capsys):
    """Review 14c #1: a corner of a re-surveyed sheet, its parcels subdivided (15 parcels for
    the stored 10), would drop the rest: refused by area, not only by count."""
    from roadinfra.core.cli import main

    from tests.support.cadastre_files import grid_parcels, write

    assert main(["cadastre", "pull", str(db), "--file",
                 str(sheet_file(tmp_path, "full.gpkg", "2024-01-01"))]) == 0
    west = grid_parcels(columns=5, rows=3, size=8.0, sheet="12")  # 40 x 24 m of 100 x 40
    west["NgayCapNhat"] = "2025-01-01"
    part = write(west, tmp_path / "west.gpkg")
    before = database_info(db)
    capsys.readouterr()
    assert main(["cadastre", "pull", str(db), "--file", str(part)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and str(part) in err and "nothing was imported" in err
    # 8 of the 10 stored 20 x 20 m parcels lie (80 or 100 %) outside the 40 x 24 m corner
    assert ("sheet -/12: the new edition 2025-01-01 leaves mostly uncovered 8 parcel(s) of "
            "the stored edition 2024-01-01: parcel ") in err
    assert database_info(db) == before and len(live_parcels(db)) == 10
    assert main(["cadastre", "pull", str(db), "--file", str(part), "--whole-sheet"]) == 0
    assert len(live_parcels(db)) == 15
