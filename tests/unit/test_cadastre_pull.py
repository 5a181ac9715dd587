"""Keeping in step with an OGC API - Features endpoint (a local server on 127.0.0.1): only
new or changed map sheets are fetched; a newer edition replaces the old, kept in history; a
source without editions is compared parcel by parcel. Paging: pages capped by the server
read whole through ``next`` links, or refused when the count shows they were not; the
listing asks for the key properties without geometry when the server can. A feature without
a map sheet number (OGC API or WFS) is named, nothing imported."""

from __future__ import annotations

import json

import numpy as np
import pytest
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.cadastre.mapping import load_mapping
from roadinfra.core.cadastre.remote import FeaturesApiSource, make_source, pull_sheets
from roadinfra.core.cli import main
from roadinfra.core.crs import to_wgs84
from roadinfra.core.db import database_info, open_database
from shapely.geometry import mapping
from shapely.ops import transform

from tests.support.cadastre_db import empty_database, live_parcels, refused_unchanged
from tests.support.cadastre_files import grid_parcels, sheet_file, write
from tests.support.features_api import FeaturesApi


def features(sheet, edition, start=(0.0, 0.0), columns=3, rows=2):
    frame = grid_parcels(columns=columns, rows=rows, sheet=sheet, start=start)
    out = []
    for _, row in frame.iterrows():
        lonlat = transform(lambda x, y: to_wgs84(np.asarray(x), np.asarray(y)), row.geometry)
        out.append({"type": "Feature", "geometry": mapping(lonlat), "properties": {
            "so_to": sheet, "so_thua": row["SoThua"], "dien_tich": row["DienTich"],
            "loai_dat": row["LoaiDat"], "ma_xa": "13297", "ngay_cap_nhat": edition}})
    return out


def merged(feats: list) -> list:
    """``feats`` with its last two (neighbouring) parcels merged into the first of them: one
    parcel fewer on the same land, as a new edition that merges parcels has."""
    from shapely.geometry import shape
    from shapely.ops import unary_union

    *rest, one, two = feats
    union = unary_union([shape(one["geometry"]), shape(two["geometry"])])
    return rest + [{**one, "geometry": mapping(union)}]


@pytest.fixture
def db(tmp_path):
    return empty_database(tmp_path)


def item_requests(api):
    return [r for r in api.requests if "/items" in r]


def test_pull_fetches_only_new_or_changed_sheets(db):
    first = features("1", "2024-01-01") + features("2", "2024-01-01", start=(0, 100))
    with FeaturesApi("thua_dat", first) as api:
        source = FeaturesApiSource(api.url, "thua_dat", load_mapping("vn_cadastre"))
        result = pull_sheets(db, source, user="dong.bo")
        assert result.fetched == [("13297", "1"), ("13297", "2")]
        assert result.imported.inserted == 12
        # same editions: the listing is read, no sheet is fetched, nothing written
        api.requests.clear()
        result = pull_sheets(db, FeaturesApiSource(api.url, "thua_dat",
                                                   load_mapping("vn_cadastre")))
        assert result.fetched == [] and result.imported is None
        assert all("so_to=" not in r for r in api.requests)
        # sheet 2 gets a new edition (two parcels merged): only sheet 2 is fetched
        api.features = first[:6] + merged(features("2", "2025-02-01", start=(0, 100)))
        api.requests.clear()
        result = pull_sheets(db, FeaturesApiSource(api.url, "thua_dat",
                                                   load_mapping("vn_cadastre")))
        assert result.fetched == [("13297", "2")]
        assert [r for r in item_requests(api) if "so_to=" in r] == [
            r for r in item_requests(api) if "so_to=2" in r] != []
    sheets = {(s.sheet_no, s.action, s.parcels, s.replaced) for s in result.imported.sheets}
    assert sheets == {("2", "replaced", 5, 6)}
    rows = open_database(db).fetch("cadastral_parcel", include_deleted=True)
    live = [r for r in rows if r["deleted_at"] is None]
    assert len(live) == 11
    assert {r["sheet_edition"] for r in rows if r["deleted_at"]} == {"2024-01-01"}
    assert {r["sheet_edition"] for r in live if r["sheet_no"] == "2"} == {"2025-02-01"}


def test_paging_follows_next_links(db, monkeypatch):
    monkeypatch.setattr("roadinfra.core.cadastre.remote.PAGE", 4)
    with FeaturesApi("thua_dat", features("7", "2023-05-05", columns=5, rows=2)) as api:
        result = pull_sheets(db, FeaturesApiSource(api.url, "thua_dat",
                                                   load_mapping("vn_cadastre")))
        assert result.imported.inserted == 10
        assert sum("offset=" in r for r in api.requests) >= 4


def test_pull_cli_and_errors(db, capsys):
    with FeaturesApi("thua_dat", features("3", "2024-03-03")) as api:
        code = main(["cadastre", "pull", str(db), "--features", api.url, "--collection",
                     "thua_dat", "--json"])
        info = json.loads(capsys.readouterr().out)
        assert code == 0 and info["sheets_fetched"] == ["13297/3"]
        code = main(["cadastre", "pull", str(db), "--features", api.url, "--collection", "x"])
        err = capsys.readouterr().err
        assert code == 2 and "HTTP 404" in err and err.count("\n") == 1
    code = main(["cadastre", "pull", str(db), "--features", "http://127.0.0.1:9/x",
                 "--collection", "c"])
    assert code == 2 and "cannot connect" in capsys.readouterr().err
    with pytest.raises(CadastreError, match="give one source"):
        make_source()
    with pytest.raises(CadastreError, match="only http"):
        pull_sheets(db, FeaturesApiSource("file:///etc", "c", load_mapping("vn_cadastre")))


def test_pull_from_an_exported_file(db, tmp_path, capsys):
    import geopandas as gpd


    one = grid_parcels(columns=2, rows=1, sheet="4").assign(NgayCapNhat="2024-01-01")
    two = grid_parcels(columns=2, rows=1, sheet="5", start=(0, 50)).assign(
        NgayCapNhat="2024-01-01")
    path = write(gpd.GeoDataFrame(list(one.to_dict("records")) + list(two.to_dict("records")),
                                  crs=9209), tmp_path / "export.gpkg")
    assert main(["cadastre", "pull", str(db), "--file", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sheets_fetched"] == ["-/4", "-/5"]
    two = two.assign(NgayCapNhat="2025-01-01")
    path = write(gpd.GeoDataFrame(list(one.to_dict("records")) + list(two.to_dict("records")),
                                  crs=9209), tmp_path / "export2.gpkg")
    assert main(["cadastre", "pull", str(db), "--file", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["sheets_fetched"] == ["-/5"] and info["up_to_date"] == 1
    assert main(["cadastre", "pull", str(db), "--file", str(path), "--table", "a.b"]) == 2
    assert "--table names a table of the --postgis source" in capsys.readouterr().err


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


@pytest.mark.parametrize("selection, listing", [("supported", "selected"),
                                                ("filter", "full"), ("reject", "full")])
def test_features_listing_without_geometry_when_the_server_can(tb_db, selection, listing):
    import urllib.parse

    from roadinfra.core.cadastre.mapping import load_mapping
    from roadinfra.core.cadastre.remote import FeaturesApiSource, pull_sheets

    from tests.support.features_api import FeaturesApi
    from tests.unit.test_cadastre_pull import features

    rows = features("1", "2024-01-01") + features("2", "2024-01-01", start=(0, 100))
    with FeaturesApi("thua_dat", rows, selection=selection) as api:
        source = FeaturesApiSource(api.url, "thua_dat", load_mapping("vn_cadastre"))
        result = pull_sheets(tb_db, source)
    assert source.listing == listing
    assert result.fetched == [("13297", "1"), ("13297", "2")]
    assert result.imported.inserted == 12
    queries = [dict(urllib.parse.parse_qsl(urllib.parse.urlparse(r).query))
               for r in api.requests]
    assert queries[0]["limit"] == "1"
    assert queries[1]["skipGeometry"] == "true"
    assert set(queries[1]["properties"].split(",")) == {"so_to", "ma_xa", "ngay_cap_nhat"}
    if listing == "full":   # listed again in full, then the two sheets
        assert "skipGeometry" not in queries[2] and "so_to" not in queries[2]


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


def test_a_pull_reports_its_findings_and_writes_them(db, tmp_path, capsys):
    """Issue 14 review 14m, item 5: a pull printed no quality findings and had no
    ``-q``: the import's report of the sheets fetched was lost. Now the findings line, and
    ``-q`` writes the table (an empty one when no sheet was fetched)."""
    import csv

    frame = grid_parcels(columns=2, rows=1, sheet="4").assign(NgayCapNhat="2024-01-01")
    frame.loc[1, "DienTich"] = 250.0  # drawn 400 m²
    path = write(frame, tmp_path / "export.gpkg")
    out = tmp_path / "findings.csv"
    assert main(["cadastre", "pull", str(db), "--file", str(path), "-q", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "findings: invalid_repaired 0, invalid 0, overlap 0, gap 0, area_mismatch 1, " \
        "duplicate 0" in printed
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["kind"], r["row"], r["sheet_no"], r["parcel_no"]) for r in rows] == [
        ("area_mismatch", "2", "4", "2")]
    assert main(["cadastre", "pull", str(db), "--file", str(path), "-q", str(out)]) == 0
    assert "1 up to date" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8").splitlines() == [
        "kind,row,sheet_no,parcel_no,other,value,message"]
    before = database_info(db)
    assert main(["cadastre", "pull", str(db), "--file", str(path), "-q", str(path)]) == 2
    assert "-q" in capsys.readouterr().err and database_info(db) == before
