"""Keeping in step with the department's shared PostGIS schema: a second database on the test
server holds its parcel table; the provincial database is PostGIS too."""

import pytest
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.cadastre.importer import import_parcels
from roadinfra.core.cadastre.mapping import load_mapping
from roadinfra.core.cadastre.reader import read_parcels
from roadinfra.core.cadastre.remote import PostgisSource, pull_sheets
from roadinfra.core.crs import WrongCrsError, grid_crs_definition
from roadinfra.core.db import create_database, database_info

from tests.support.cadastre_files import grid_parcels
from tests.support.pg import sql
from tests.support.shared_data import SHARED_DATA

DEPARTMENT_TABLE = """
CREATE SCHEMA dia_chinh;
CREATE TABLE dia_chinh.thua_dat (
    gid serial PRIMARY KEY, ma_xa text, so_to text, so_thua text, dien_tich double precision,
    loai_dat text, chu_su_dung text, ngay_cap_nhat date,
    geom geometry(MultiPolygon, 9209));
"""


def add_sheet(url, sheet, edition, start, count=None):
    """The sheet's 6 parcels, or its first ``count``, the last of them merged with the
    parcels left out (the same land in fewer parcels)."""
    frame = grid_parcels(columns=3, rows=2, sheet=sheet, start=start)
    if count is not None:
        merged = frame.geometry.iloc[count - 1:].unary_union
        frame = frame.iloc[:count].copy()
        frame.loc[frame.index[-1], "geometry"] = merged
    for _, row in frame.iterrows():
        sql(url, "INSERT INTO dia_chinh.thua_dat (ma_xa, so_to, so_thua, dien_tich, loai_dat, "
                 "chu_su_dung, ngay_cap_nhat, geom) VALUES (%s, %s, %s, %s, %s, %s, %s, "
                 "ST_Multi(ST_GeomFromText(%s, 9209)))",
            ("13297", sheet, row["SoThua"], row["DienTich"], row["LoaiDat"], row["ChuSuDung"],
             edition, row.geometry.wkt))


@pytest.fixture
def department(pg_server):
    url = pg_server.new_database()
    srid, wkt, proj4 = grid_crs_definition()
    if not sql(url, "SELECT 1 FROM spatial_ref_sys WHERE srid = %s", (srid,)):
        sql(url, "INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) "
                 "VALUES (%s, 'EPSG', %s, %s, %s)", (srid, srid, wkt, proj4))
    sql(url, DEPARTMENT_TABLE)
    add_sheet(url, "1", "2024-01-01", (0, 0))
    add_sheet(url, "2", "2024-01-01", (0, 100))
    return url


@pytest.fixture
def provincial(pg_database):
    create_database(pg_database).close()
    return pg_database


def test_pull_from_department_schema_only_changed_sheets(department, provincial):
    source = PostgisSource(department, "dia_chinh.thua_dat", load_mapping("vn_cadastre"))
    result = pull_sheets(provincial, source, user="dong.bo")
    assert result.fetched == [("13297", "1"), ("13297", "2")]
    assert sql(provincial, "SELECT count(*) FROM cadastral_parcel")[0][0] == 12
    owner = sql(provincial, "SELECT owner, sheet_edition, created_by FROM cadastral_parcel "
                            "WHERE sheet_no = '1' AND parcel_no = '1'")
    assert owner[0][:2] == ("Hộ 1", "2024-01-01")

    again = pull_sheets(provincial, PostgisSource(department, "dia_chinh.thua_dat",
                                                  load_mapping("vn_cadastre")))
    assert again.fetched == [] and again.imported is None

    # the department publishes a new edition of sheet 2 (one parcel merged away)
    sql(department, "DELETE FROM dia_chinh.thua_dat WHERE so_to = '2'")
    add_sheet(department, "2", "2025-06-30", (0, 100), count=5)
    third = pull_sheets(provincial, PostgisSource(department, "dia_chinh.thua_dat",
                                                  load_mapping("vn_cadastre")))
    assert third.fetched == [("13297", "2")]
    assert [(s.sheet_no, s.action, s.parcels, s.replaced) for s in third.imported.sheets] == [
        ("2", "replaced", 5, 6)]
    live = sql(provincial, "SELECT sheet_no, sheet_edition, count(*) FROM cadastral_parcel "
                           "WHERE deleted_at IS NULL GROUP BY 1, 2 ORDER BY 1")
    assert live == [("1", "2024-01-01", 6), ("2", "2025-06-30", 5)]
    old = sql(provincial, "SELECT count(*) FROM cadastral_parcel WHERE deleted_at IS NOT NULL "
                          "AND sheet_edition = '2024-01-01' AND sheet_no = '2'")
    assert old[0][0] == 6
    history = sql(provincial, "SELECT count(*) FROM change_log WHERE table_name = "
                              "'cadastral_parcel'")
    assert history[0][0] == 12 + 6 + 5


def test_a_key_doubled_in_the_department_table_is_refused_alone(department, provincial):
    """Issue 14 review 14o #1: the department keeps sheet 13297/1 (2024) beside the same land
    re-keyed 13300/3 (2025-07-01) after the commune merger, and publishes a new edition of
    13297/2. The pull (a PostGIS target: written again without the refused sheet) refuses
    13300/3 alone, with advice for a source the user only reads, and replaces 13297/2."""
    pull_sheets(provincial, PostgisSource(department, "dia_chinh.thua_dat",
                                          load_mapping("vn_cadastre")))
    sql(department, "INSERT INTO dia_chinh.thua_dat (ma_xa, so_to, so_thua, dien_tich, loai_dat, "
                    "chu_su_dung, ngay_cap_nhat, geom) SELECT '13300', '3', so_thua, dien_tich, "
                    "loai_dat, chu_su_dung, '2025-07-01', geom FROM dia_chinh.thua_dat "
                    "WHERE so_to = '1'")
    sql(department, "DELETE FROM dia_chinh.thua_dat WHERE so_to = '2'")
    add_sheet(department, "2", "2025-06-30", (0, 100), count=5)
    result = pull_sheets(provincial, PostgisSource(department, "dia_chinh.thua_dat",
                                                   load_mapping("vn_cadastre")),
                         whole_sheet=True)
    assert [r.sheets for r in result.refused] == [["13300/3"]]
    assert result.refused[0].reason.endswith(
        "The source holds the same land under two keys, 13297/1 (edition 2024-01-01) and "
        "13300/3 (edition 2025-07-01); its editions say 13300/3 is the current one: the "
        "department should remove the other key from its source; until then a pull leaves "
        "these sheets out and imports the others")
    live = sql(provincial, "SELECT commune_code, sheet_no, sheet_edition, count(*) FROM "
                           "cadastral_parcel WHERE deleted_at IS NULL GROUP BY 1, 2, 3 "
                           "ORDER BY 1, 2")
    assert live == [("13297", "1", "2024-01-01", 6), ("13297", "2", "2025-06-30", 5)]


def test_foreign_sample_refused_by_postgis_database(provincial):
    before = database_info(provincial)
    parcels = read_parcels(SHARED_DATA / "cadastre_fr_edigeo" /
                           "edigeo_parcelles_all_sheets.gpkg", "fr_edigeo")
    with pytest.raises(WrongCrsError, match="Lambert-93"):
        import_parcels(provincial, parcels)
    assert database_info(provincial) == before


def test_department_table_errors(department):
    from roadinfra.core.cadastre.errors import CadastreError

    with pytest.raises(CadastreError, match="no such table"):
        PostgisSource(department, "dia_chinh.nope", load_mapping("vn_cadastre")).sheets()
    with pytest.raises(CadastreError, match="no column for sheet_no \\(tried IDU\\)"):
        PostgisSource(department, "dia_chinh.thua_dat", load_mapping("fr_edigeo")).sheets()


def test_department_password_never_stored_or_shown(department, provincial):
    """The DSN's password stays out of the source label, the parcel rows and the messages;
    the connection still uses it (libpq ignores it under the test server's trust auth)."""
    dsn = department + ("&" if "?" in department else "?") + "password=S3cret"
    result = pull_sheets(provincial, PostgisSource(dsn, "dia_chinh.thua_dat",
                                                   load_mapping("vn_cadastre")))
    assert result.imported.inserted == 12 and "S3cret" not in result.source
    sources = sql(provincial, "SELECT DISTINCT source FROM cadastral_parcel")
    assert len(sources) == 1 and "S3cret" not in sources[0][0]
    assert "password=***" in sources[0][0]
    from roadinfra.core.cadastre.errors import CadastreError

    with pytest.raises(CadastreError) as caught:
        PostgisSource(dsn, "dia_chinh.nope", load_mapping("vn_cadastre")).sheets()
    assert "S3cret" not in str(caught.value)


def test_a_row_without_a_sheet_number_is_refused_by_its_key(department, provincial):
    """Issue 14 review, item 10: a NULL (or blank) sheet number in the department's table is
    one error naming the table, the rows by primary key and the column; nothing is written,
    and the next pull (after the department fixes it) fetches every sheet."""
    add_sheet(department, "9", "2024-01-01", (0, 300), count=2)
    sql(department, "UPDATE dia_chinh.thua_dat SET so_to = NULL WHERE so_to = '9' AND "
                    "so_thua = '1'")
    sql(department, "UPDATE dia_chinh.thua_dat SET so_to = ' ' WHERE so_to = '9'")
    gids = [r[0] for r in sql(department, "SELECT gid FROM dia_chinh.thua_dat WHERE so_to IS "
                                          "NULL OR so_to = ' ' ORDER BY 1")]
    source = PostgisSource(department, "dia_chinh.thua_dat", load_mapping("vn_cadastre"))
    with pytest.raises(CadastreError) as caught:
        pull_sheets(provincial, source)
    message = str(caught.value)
    assert "\n" not in message and "dia_chinh.thua_dat" in message
    assert f"2 row(s) (gid {gids[0]}, {gids[1]}) without a map sheet number in column " \
           "'so_to'; nothing was imported" in message
    assert sql(provincial, "SELECT count(*) FROM cadastral_parcel")[0][0] == 0
    sql(department, "UPDATE dia_chinh.thua_dat SET so_to = '9' WHERE so_to IS NULL OR "
                    "so_to = ' '")
    result = pull_sheets(provincial, PostgisSource(department, "dia_chinh.thua_dat",
                                                   load_mapping("vn_cadastre")))
    assert result.fetched == [("13297", "1"), ("13297", "2"), ("13297", "9")]
    assert result.imported.inserted == 14


def test_numeric_sheet_and_commune_columns_are_the_sheet_of_the_file(pg_server, tmp_path):
    """A department table whose commune and sheet numbers are numeric(8,1)
    columns (psycopg2 gives Decimal('13297.0')): the sheet imported from a file first is found
    up to date, not pulled again beside itself as 13297.0/7.0."""
    import geopandas as gpd

    url = pg_server.new_database()
    srid, wkt, proj4 = grid_crs_definition()
    if not sql(url, "SELECT 1 FROM spatial_ref_sys WHERE srid = %s", (srid,)):
        sql(url, "INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) "
                 "VALUES (%s, 'EPSG', %s, %s, %s)", (srid, srid, wkt, proj4))
    sql(url, 'CREATE TABLE public.thua (gid serial PRIMARY KEY, "MaXa" numeric(8,1), '
             '"SoTo" numeric(6,1), "SoThua" numeric, "DienTich" double precision, '
             '"LoaiDat" text, "NgayCapNhat" date, geom geometry(MultiPolygon, 9209))')
    frame = grid_parcels(columns=3, rows=1, sheet="7")
    for _, row in frame.iterrows():
        sql(url, 'INSERT INTO public.thua ("MaXa", "SoTo", "SoThua", "DienTich", "LoaiDat", '
                 '"NgayCapNhat", geom) VALUES (13297, 7, %s, 400, %s, %s, '
                 "ST_Multi(ST_GeomFromText(%s, 9209)))",
            (int(row["SoThua"]), row["LoaiDat"], "2024-01-01", row.geometry.wkt))
    path = tmp_path / "sheet7.gpkg"
    gpd.GeoDataFrame(frame.assign(MaXa=13297, NgayCapNhat="2024-01-01")).to_file(path)
    target = tmp_path / "province.gpkg"
    create_database(target).close()
    import_parcels(target, read_parcels(path))
    source = PostgisSource(url, "public.thua", load_mapping("vn_cadastre"))
    assert set(source.sheets()) == {("13297", "7")}
    result = pull_sheets(target, PostgisSource(url, "public.thua", load_mapping("vn_cadastre")))
    assert result.fetched == [] and result.up_to_date == [("13297", "7")]


SRID_TABLE = ("CREATE TABLE IF NOT EXISTS dia_chinh.{name} (gid serial PRIMARY KEY, ma_xa text, "
              "so_to text, so_thua text, dien_tich double precision, loai_dat text, "
              "ngay_cap_nhat date, geom geometry(MultiPolygon, {srid}))")


def _srid_table(url, name, srid, frame):
    """The department's table ``dia_chinh.name`` in SRID ``srid``, holding ``frame``'s
    parcels (grid coordinates, written as they are)."""
    sql(url, "CREATE SCHEMA IF NOT EXISTS dia_chinh")
    sql(url, SRID_TABLE.format(name=name, srid=int(srid)))
    for _, row in frame.iterrows():
        sql(url, f"INSERT INTO dia_chinh.{name} (ma_xa, so_to, so_thua, dien_tich, "  # noqa: S608
                 "loai_dat, ngay_cap_nhat, geom) VALUES ('13297', %s, %s, %s, %s, "
                 f"'2024-01-01', ST_Multi(ST_GeomFromText(%s, {int(srid)})))",
            (row["SoTo"], row["SoThua"], row["DienTich"], row["LoaiDat"], row.geometry.wkt))


def test_a_custom_srid_is_read_from_the_source_spatial_ref_sys(pg_server, tmp_path):
    """Issue 14 review 14i, item 1: the department's own SRIDs are defined in its
    spatial_ref_sys, not by EPSG: SRID 910209 (VN-2000 / TM-3 105-30 registered by the
    department, its srtext) and SRID 3405 (an EPSG number, here defined by the department as
    TM-3 105-30 in its proj4text) are pulled into the grid where they lie; the untouched
    PostGIS row of EPSG:3405 (with its TOWGS84) is still EPSG:3405; an SRID whose
    definition PROJ cannot read is refused in one line naming the table, column and SRID."""
    from pyproj import CRS
    from roadinfra.core.db import open_database

    url = pg_server.new_database()
    srid, wkt, proj4 = grid_crs_definition()
    sql(url, "INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) "
             "VALUES (910209, 'VN2000', 910209, %s, %s)", (wkt, proj4))
    sql(url, "INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) "
             "VALUES (910300, 'SOTNMT', 1, 'not a CRS', '')")
    frame = grid_parcels(columns=3, rows=2, sheet="7")
    _srid_table(url, "thua_custom", 910209, frame)
    _srid_table(url, "thua_broken", 910300, frame)
    mapping = load_mapping("vn_cadastre")

    target = tmp_path / "custom.gpkg"
    create_database(target).close()
    result = pull_sheets(target, PostgisSource(url, "dia_chinh.thua_custom", mapping))
    assert result.imported.inserted == 6
    with open_database(target) as db:
        stored = {r["parcel_no"]: r["geom"] for r in db.fetch("cadastral_parcel")}
    first = frame.iloc[0]
    assert stored[first["SoThua"]].symmetric_difference(first.geometry).area < 0.01

    # the PostGIS row of EPSG:3405 (VN-2000 / UTM 48N, with a TOWGS84) stays EPSG:3405:
    # grid coordinates written in it are refused as UTM 48N ones that lie elsewhere
    _srid_table(url, "thua_utm", 3405, frame)
    utm = tmp_path / "utm.gpkg"
    create_database(utm).close()
    source = PostgisSource(url, "dia_chinh.thua_utm", mapping)
    source.sheets()
    assert CRS(source.parcels([("13297", "7")]).crs) == CRS.from_epsg(3405)
    with pytest.raises(WrongCrsError):
        pull_sheets(utm, PostgisSource(url, "dia_chinh.thua_utm", mapping))

    # the department redefined SRID 3405 as its TM-3 105-30 grid (its own auth name, the
    # definition in proj4text only): read as the department defines it
    sql(url, "UPDATE spatial_ref_sys SET auth_name = 'SOTNMT', auth_srid = 3405, "
             "srtext = NULL, proj4text = %s WHERE srid = 3405", (proj4,))
    redefined = tmp_path / "redefined.gpkg"
    create_database(redefined).close()
    result = pull_sheets(redefined, PostgisSource(url, "dia_chinh.thua_utm", mapping))
    assert result.imported.inserted == 6

    broken = tmp_path / "broken.gpkg"
    create_database(broken).close()
    with pytest.raises(CadastreError) as caught:
        pull_sheets(broken, PostgisSource(url, "dia_chinh.thua_broken", mapping))
    message = str(caught.value)
    assert "\n" not in message and "dia_chinh.thua_broken" in message
    assert "column 'geom', SRID 910300" in message and "nothing was imported" in message
    with open_database(broken) as db:
        assert db.count("cadastral_parcel") == 0


@pytest.mark.parametrize("srtext, proj4, named", [
    ('LOCAL_CS["Gia dinh",LOCAL_DATUM["local",0],UNIT["metre",1],AXIS["X",EAST],'
     'AXIS["Y",NORTH]]', None, "an engineering (local) CRS"),
    (None, "+proj=tmerc +lat_0=0 +lon_0=105.5 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
     "+nadgrids=vn2000_missing.gsb +units=m +no_defs", "no transformation of it to WGS 84")])
def test_an_srid_proj_reads_but_cannot_place_is_refused(pg_server, tmp_path, srtext, proj4,
                                                         named):
    """Issue 14 review 14k, item 4: an SRID whose definition PROJ reads but cannot
    transform to WGS 84 (a LOCAL_CS, a +nadgrids grid PROJ lacks) gave a ProjError
    traceback; now one line naming the table, column, SRID and the CRS; nothing written."""
    url = pg_server.new_database()
    sql(url, "INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) "
             "VALUES (910400, 'SOTNMT', 4, %s, %s)", (srtext, proj4))
    _srid_table(url, "thua_local", 910400, grid_parcels(columns=3, rows=2, sheet="7"))
    target = tmp_path / "local.gpkg"
    create_database(target).close()
    with pytest.raises(CadastreError) as caught:
        pull_sheets(target, PostgisSource(url, "dia_chinh.thua_local",
                                          load_mapping("vn_cadastre")))
    message = str(caught.value)
    assert "\n" not in message and "dia_chinh.thua_local" in message
    assert "column 'geom', SRID 910400" in message and named in message
    assert "nothing was imported" in message
    from roadinfra.core.db import open_database
    with open_database(target) as db:
        assert db.count("cadastral_parcel") == 0


def test_one_land_under_two_keys_and_frame_gaps_on_a_postgis_target(provincial, tmp_path):
    """Issue 14 review 14m #1, #2 and #7 with the provincial database in PostGIS: one file
    holding a sheet under two keys is refused, nothing written; a re-framed sheet over two
    stored sheets is refused naming both; the sliver between a new sheet and a stored one
    is a gap finding."""
    import pandas as pd
    from roadinfra.core.cadastre.remote import FileSource

    from tests.support.cadastre_db import live_parcels, refused_unchanged
    from tests.support.cadastre_files import write

    def sheet(name, number, commune="13297", start=(0, 0), rows=2):
        frame = grid_parcels(columns=3, rows=rows, sheet=number, start=start)
        return frame.assign(MaXa=commune, NgayCapNhat="2024-01-01")

    twice = write(pd.concat([sheet("a", "7"), sheet("b", "3", commune="13300")]),
                  tmp_path / "twice.gpkg")
    refused_unchanged(provincial, lambda: import_parcels(provincial, read_parcels(twice)),
                      "sheet 13297/7 (6 parcel(s)) lies on the sheet 13300/3 fetched with it")
    pulled = pull_sheets(provincial, FileSource(twice, "vn_cadastre"))  # both refused alone
    assert [r.sheets for r in pulled.refused] == [["13297/7", "13300/3"]]
    assert live_parcels(provincial) == []
    import_parcels(provincial, read_parcels(write(pd.concat(
        [sheet("a", "7"), sheet("b", "8", start=(60, 0))]), tmp_path / "stored.gpkg")))
    refused_unchanged(provincial, lambda: import_parcels(provincial, read_parcels(write(
        sheet("c", "3", commune="13300", start=(30, 0), rows=3), tmp_path / "new.gpkg"))),
        "lies on the stored sheet 13297/7", "and on the stored sheet 13297/8",
        "in all 6 parcel(s), 2400 m² (67% of its area)")
    result = import_parcels(provincial, read_parcels(write(
        sheet("d", "9", start=(0, 40.3)), tmp_path / "above.gpkg")))
    gaps = result.quality.issues[result.quality.issues["kind"] == "gap"]
    assert list(gaps["message"]) == [
        "gap of 18.0 m² between parcels 9/1, 9/2, 9/3 and the stored parcels 13297/7/4, "
        "13297/7/5, 13297/7/6 (along the edge of two sheets)"]
    assert len(live_parcels(provincial)) == 18
