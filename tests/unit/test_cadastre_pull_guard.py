"""Imports and pulls that must not lose parcels. A file, or an OGC API server that does not
count its features, cannot show that a sheet is whole, so a new edition with fewer parcels
than the stored sheet (a selection, part of a sheet) needs the user's confirmation
(--whole-sheet); a source whose answer was counted and checked complete replaces without it,
but a counted answer with a repeated feature is refused, and a counted sheet still passes the
coverage check: a stored parcel left mostly uncovered is refused however small its share. An
undated source with a parcel number repeated in a sheet compares as a multiset."""

from __future__ import annotations

import pytest
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.cadastre.mapping import load_mapping
from roadinfra.core.cadastre.remote import FeaturesApiSource, FileSource, pull_sheets
from roadinfra.core.cli import main
from roadinfra.core.db import database_info, open_database
from shapely.geometry import box

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
    """No ``numberMatched``, pages of 2 whose ``next`` links stop after 4
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
    """``numberMatched`` counts 5 features of the new edition but parcel 3 is
    degenerate and left out: 4 imported parcels would replace 5; refused (the fewer-parcels
    guard, naming the left-out parcel), nothing written, unless the user confirms.
    The refusal names the invalid parcel and sends the user to the source, not to
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
    """A corner of a re-surveyed sheet, its parcels subdivided (15 parcels for
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


@pytest.mark.parametrize("ids", [True, False])
def test_a_counted_answer_with_a_repeated_feature_is_refused(tmp_path, ids):
    """NumberMatched 5, pages of 2 without a stable order: [1, 2], [2, 3],
    [3]: five features received, parcels 2 and 3 twice, 4 and 5 never (without ids, listed
    again in pages of 1: parcel 1 five times, not the same features). Refused naming the
    repeated feature; the stored sheet stays 1..5."""
    db = empty_database(tmp_path)
    stored = features("5", "2024-05-01", columns=5, rows=1)
    for n, feature in enumerate(stored, 1):
        if ids:
            feature["id"] = n
    with FeaturesApi("thua_dat", stored, page_cap=2) as api:
        assert _pull(db, api).imported.inserted == 5
        new = features("5", "2025-01-01", columns=5, rows=1)
        for n, feature in enumerate(new, 1):
            if ids:
                feature["id"] = n
        api.features, api.unordered = new, True  # pages [1, 2], [2, 3], [3]
        refused_unchanged(db, lambda: _pull(db, api),
                          "feature id 2 more than once" if ids else "feature 3 (",
                          "(it counts 5 feature(s), numberMatched): its paging has no stable "
                          "order")
    assert sorted(int(r["parcel_no"]) for r in live_parcels(db)) == [1, 2, 3, 4, 5]


def test_a_counted_sheet_still_passes_the_coverage_check(tmp_path):
    """A counted answer lifts only the count: a new edition of 4 parcels for
    5, parcel 5's 20 x 20 m left bare, is refused naming parcel 5; confirmed, it replaces
    and parcel 5 is listed as leaving the live map."""
    db = empty_database(tmp_path)
    with FeaturesApi("thua_dat", features("5", "2024-05-01", columns=5, rows=1)) as api:
        _pull(db, api)
        api.features = features("5", "2025-01-01", columns=5, rows=1)[:4]
        last = features("5", "2025-01-01", columns=5, rows=1)[4]["properties"]["so_thua"]
        message = refused_unchanged(db, lambda: _pull(db, api),
                                    "sheet 13297/5: the new edition 2025-01-01 leaves mostly "
                                    f"uncovered 1 parcel(s) of the stored edition 2024-05-01: "
                                    f"parcel {last} (")
        assert "does not count" not in message  # the server did count
        result = _pull(db, api, whole_sheet=True)
    assert (result.imported.inserted, result.imported.tombstoned) == (4, 5)
    assert [[p.text() for p in s.leaving] for s in result.imported.sheets] == [[
        f"parcel {last} (LUC, 400 m², 100% uncovered)"]]


def _sheet(count: int, edition: str, drop=(), split=()):
    """``count`` parcels of 20 x 20 m (400 m²) in a row, sheet 8; ``drop``: numbers left out;
    ``split``: numbers cut into halves a and b."""
    from roadinfra.core.crs import to_grid

    x, y = to_grid(106.40, 20.45)
    rows = []
    for k in range(count):
        number = str(k + 1)
        x0 = x + 20 * k
        if number in drop:
            continue
        if number in split:
            rows += [{"SoTo": "8", "SoThua": number + half, "LoaiDat": "ONT",
                      "NgayCapNhat": edition, "geometry": box(x0 + 10 * h, y, x0 + 10 * h + 10,
                                                              y + 20)}
                     for h, half in enumerate("ab")]
            continue
        rows.append({"SoTo": "8", "SoThua": number, "LoaiDat": "ONT", "NgayCapNhat": edition,
                     "geometry": box(x0, y, x0 + 20, y + 20)})
    import geopandas as gpd

    return gpd.GeoDataFrame(rows, crs=9209)


def test_a_missing_parcel_is_refused_however_small_its_share(tmp_path, capsys):
    """120 stored parcels of 400 m² (48,000 m²); the new edition lacks parcel
    57 and splits parcel 100: still 120 parcels, and 400 / 48,000 = 0.83 % uncovered, under
    the sheet-wide 1 %. Refused naming parcel 57 (ONT, 400 m²); with --whole-sheet the
    summary names it leaving the live map."""
    db = empty_database(tmp_path)
    old, new = tmp_path / "s8_2024.gpkg", tmp_path / "s8_2025.gpkg"
    _sheet(120, "2024-01-01").to_file(old)
    _sheet(120, "2025-01-01", drop={"57"}, split={"100"}).to_file(new)
    assert main(["cadastre", "import", str(old), str(db)]) == 0
    capsys.readouterr()
    refused_unchanged(db, lambda: main(["cadastre", "import", str(new), str(db)]) and
                      _raise(capsys))
    assert main(["cadastre", "import", str(new), str(db), "--whole-sheet"]) == 0
    out = capsys.readouterr().out
    assert ("sheet -/8: 1 parcel(s) leave the live map (kept in history): parcel 57 (ONT, "
            "400 m², 100% uncovered)") in out
    assert "57" not in {r["parcel_no"] for r in live_parcels(db)}


def _raise(capsys):

    err = capsys.readouterr().err.strip()
    assert ("sheet -/8: the new edition 2025-01-01 leaves mostly uncovered 1 parcel(s) of the "
            "stored edition 2024-01-01: parcel 57 (ONT, 400 m², 100% uncovered)") in err
    raise CadastreError(err)
