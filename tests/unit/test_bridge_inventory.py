"""Legacy-spreadsheet import through a column mapping: the real NBI sample (quote char ',
leading zeros, N codes, a culvert, MMYY dates), per-row errors, cp1258 detection, XLSX, and
writing the result into a fresh GeoPackage."""

import csv
import unicodedata
from pathlib import Path

import pytest
from roadinfra.core.importers.bridge_inventory import (
    MappingError,
    TabularError,
    import_tabular,
    load_mapping,
)
from roadinfra.core.io.errors import FileError
from roadinfra.core.io.tabular import read_table

from tests.support.shared_data import SHARED_DATA

NBI = SHARED_DATA / "bridges_us_nbi_sample/sample.csv"
BAD = Path(__file__).resolve().parents[1] / "data" / "condition" / "nbi_bad_rows.csv"


def test_nbi_sample_import():
    result = import_tabular(NBI, "nbi_2013")
    assert result.errors == []
    assert result.rows_read == 19
    counts = {t: len(r) for t, r in result.rows.items()}
    assert counts == {"bridge": 18, "culvert": 1, "inspection": 19, "component_rating": 71}
    bridges = {b["code"]: b for b in result.rows["bridge"]}
    assert "000002" in bridges  # trailing blanks stripped, leading zeros kept
    s702 = bridges["00000000000S702"]
    assert s702["year_built"] == 1999 and s702["length_m"] == 15.0 and s702["spans"] == 1
    assert s702["material"] == "PSC" and s702["crossing"] == "RIVER"
    assert bridges["000002"]["year_built"] == 1898
    culvert = result.rows["culvert"][0]
    assert culvert["code"] == "00000BLN0BR0010" and culvert["culvert_type"] == "BOX"
    inspections = {i.get("bridge_id") or i.get("culvert_id"): i for i in result.rows["inspection"]}
    assert inspections[s702["id"]]["inspection_date"] == "2012-02-01"  # '212' = 02/2012
    assert inspections[culvert["id"]]["overall_rating"] == 7
    assert sum(1 for i in result.rows["inspection"] if i["structurally_deficient"]) == 4
    closed = inspections[bridges["000010"]["id"]]
    assert closed["overall_rating"] == 2 and closed["load_posting_t"] == 0.0
    assert inspections[bridges["000008"]["id"]]["load_posting_t"] == 13.0
    assert result.unresolved == {"bridge": ["route_id"], "culvert": ["route_id"]}
    # ids are stable across imports
    assert import_tabular(NBI, "nbi_2013").rows["bridge"][0]["id"] == result.rows["bridge"][0]["id"]


def test_nbi_coordinates_are_decoded():
    from roadinfra.core.crs import to_wgs84

    result = import_tabular(NBI)
    s702 = next(b for b in result.rows["bridge"] if b["code"] == "00000000000S702")
    lon, lat = to_wgs84(s702["geom"].x, s702["geom"].y)
    # LAT_016 31061102 = 31 deg 06' 11.02"; LONG_017 087341352 = 87 deg 34' 13.52" W
    assert lat == pytest.approx(31 + 6 / 60 + 11.02 / 3600, abs=1e-5)
    assert lon == pytest.approx(-(87 + 34 / 60 + 13.52 / 3600), abs=1e-5)


def test_bad_rows_are_reported_and_the_rest_imported():
    result = import_tabular(BAD)
    assert result.encoding == "cp1258"
    found = [(e.row, e.field) for e in result.errors]
    assert found == [(3, "DECK_COND_058"), (4, "YEAR_BUILT_027"), (4, "LAT_016"),
                     (5, "DATE_OF_INSPECT_090"), (6, "STRUCTURE_NUMBER_008")]
    assert "outside scheme 'nbi'" in result.errors[0].message
    assert [b["code"] for b in result.rows["bridge"]] == ["00000000000S702"]
    assert result.rows["bridge"][0]["crossing_name"] == "SÔNG TRÀ LÝ"  # NFC-composed
    assert result.summary()["rows_imported"] == 1


def test_xlsx_source(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    with open(NBI, newline="", encoding="ascii") as handle:
        rows = list(csv.reader(handle, quotechar="'"))
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / "nbi.xlsx"
    book.save(path)
    table = read_table(path)
    assert table.encoding == "xlsx" and len(table.rows) == 19
    assert import_tabular(path).rows["bridge"][0]["code"] == "00000000000S702"


def test_broken_xlsx_and_missing_sheet_are_reported(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    fake = tmp_path / "inventory.xlsx"
    fake.write_text("STRUCTURE_NUMBER_008\n000002\n")  # a CSV saved with the wrong name
    with pytest.raises(FileError, match="inventory.xlsx: cannot read as an XLSX"):
        read_table(fake)
    book = openpyxl.Workbook()
    book.active.title = "Cau"
    book.save(tmp_path / "real.xlsx")
    with pytest.raises(FileError, match="no sheet 'Bridges'.*Cau"):
        read_table(tmp_path / "real.xlsx", sheet="Bridges")


def test_empty_required_values_are_row_errors(tmp_path):
    """An empty bridge name or inspection date passed the import and made db.insert refuse
    the whole batch later; now the row is reported (file, line, source column)."""
    with open(NBI, newline="", encoding="ascii") as handle:
        rows = list(csv.reader(handle, quotechar="'"))
    head = rows[0]
    for column in ("FACILITY_CARRIED_007", "FEATURES_DESC_006A"):
        rows[1][head.index(column)] = " "
    rows[2][head.index("DATE_OF_INSPECT_090")] = ""
    path = tmp_path / "nbi_empty.csv"
    with open(path, "w", newline="", encoding="ascii") as handle:
        csv.writer(handle, quotechar="'").writerows(rows)
    result = import_tabular(path)
    assert [(e.row, e.field) for e in result.errors] == [
        (2, "FACILITY_CARRIED_007+FEATURES_DESC_006A"), (3, "DATE_OF_INSPECT_090")]
    assert "bridge.name is required" in result.errors[0].message
    assert "inspection.inspection_date is required" in result.errors[1].message
    assert len(result.rows["inspection"]) == 17


def test_wrong_fixed_encoding_is_reported(tmp_path):
    path = tmp_path / "utf8.csv"
    path.write_bytes("code,name\nC1,Cầu Bo\n".encode())
    for name in ("ascii", "latin-1", "no-such-codec"):  # one encoding policy: no others
        with pytest.raises(FileError, match=f"encoding '{name}' is not supported"):
            read_table(path, encoding=name)
    path.write_bytes(b"code,name\nC1,\x81\n")  # 0x81 is undefined in cp1258
    with pytest.raises(FileError, match="utf8.csv: line 2: not cp1258 text"):
        read_table(path, encoding="cp1258")


def test_nan_and_inf_numbers_are_row_errors(tmp_path):
    """float() reads 'nan': a NaN bridge length used to pass the schema's min/max check."""
    with open(NBI, newline="", encoding="ascii") as handle:
        rows = list(csv.reader(handle, quotechar="'"))
    length = rows[0].index("STRUCTURE_LEN_MT_049")
    width = rows[0].index("DECK_WIDTH_MT_052")
    rows[1][length] = "nan"
    rows[2][width] = "inf"
    path = tmp_path / "nbi_nan.csv"
    with open(path, "w", newline="", encoding="ascii") as handle:
        csv.writer(handle, quotechar="'").writerows(rows)
    result = import_tabular(path)
    assert [(e.row, e.field) for e in result.errors] == [
        (2, "STRUCTURE_LEN_MT_049"), (3, "DECK_WIDTH_MT_052")]
    assert "not a finite number" in result.errors[0].message
    assert len(result.rows["bridge"]) + len(result.rows["culvert"]) == 17


def test_mapping_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[bridge]\nnot_a_column = "X"\n')
    with pytest.raises(MappingError, match="not a column of table bridge"):
        load_mapping(bad)
    bad.write_text('[bridge]\ncode = { column = "X", transform = "magic" }\n')
    with pytest.raises(MappingError, match="unknown transform"):
        load_mapping(bad)
    bad.write_text('[bridge]\ncode = "X"\n[ratings]\nscheme = "nbi"\nroof = "Y"\n')
    with pytest.raises(MappingError, match="not a component"):
        load_mapping(bad)
    ok = tmp_path / "ok.toml"
    ok.write_text('[bridge]\ncode = "MISSING_COLUMN"\n')
    with pytest.raises(TabularError, match="MISSING_COLUMN"):
        import_tabular(NBI, ok)


@pytest.mark.parametrize("text, named", [
    ('[bridge]\ncode = "X"\n[structure]\nbridge_when = ["N"]\n', "[structure] needs column"),
    ('[bridge]\nname = { columns = "A" }\n', "'columns' must be a list"),
    ('[bridge]\nyear_built = { column = "A", transform = "int", null_if = 0 }\n',
     "'null_if' must be a list"),
    ('[bridge]\nlength_m = { column = "A", transform = "float", scale = "km" }\n',
     "'scale' must be a number"),
    ('[bridge]\ncode = "X"\n[ratings]\nscheme = "nbj"\ndeck = "D"\n',
     "[ratings] scheme: "),
])
def test_malformed_mappings_name_the_file_and_key(tmp_path, text, named):
    """A province edits its own mapping: these used to end in KeyError/TypeError tracebacks
    or (scale = "km") in every row of the inventory reported bad."""
    path = tmp_path / f"mapping_{abs(hash(text))}.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as info:
        load_mapping(path)
    assert path.name in str(info.value) and named in str(info.value)


def test_nbi_into_a_fresh_geopackage(tmp_path):
    """US points are refused by the Thai Binh database (outside the province); the
    attributes go in once the structures are put on a route of the province."""
    db_mod = pytest.importorskip("roadinfra.core.db")
    result = import_tabular(NBI)
    db = db_mod.create_database(tmp_path / "x.gpkg")
    with pytest.raises(db_mod.ValidationError, match="outside the province"):
        db.insert("bridge", result.rows["bridge"][:1], user="test")
    route = db.insert("route", [{"code": "QL10", "name": "Quốc lộ 10", "route_class": "QL"}],
                      user="test")[0]
    for table in ("bridge", "culvert"):
        rows = [{**{k: v for k, v in r.items() if k != "geom"}, "route_id": route}
                for r in result.rows[table]]
        db.insert(table, rows, user="test")
    db.insert("inspection", result.rows["inspection"], user="test")
    db.insert("component_rating", result.rows["component_rating"], user="test")
    counts = db.counts()
    assert (counts["bridge"], counts["culvert"], counts["inspection"],
            counts["component_rating"]) == (18, 1, 19, 71)
    assert len(db.fetch("inspection", {"structurally_deficient": True})) == 4
    db.close()


def cp1258(text):
    """Encode as Windows Vietnamese does: base letters with circumflex/breve/horn precomposed,
    tone marks (grave, acute, tilde, hook, dot below) as combining characters."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def test_vietnamese_legacy_sheet_with_vn5_ratings(tmp_path):
    """The same path for a province's own spreadsheet: Vietnamese headers, cp1258, vn5."""
    mapping = tmp_path / "vn_legacy.toml"
    mapping.write_text(
        '[source]\nkey = "Mã cầu"\n'
        '[bridge]\ncode = "Mã cầu"\nname = "Tên cầu"\n'
        'year_built = { column = "Năm XD", transform = "int" }\n'
        'length_m = { column = "Dài (m)", transform = "float", decimal_comma = true }\n'
        '[inspection]\ninspection_date = { column = "Ngày KT", transform = "date", '
        'format = "%d/%m/%Y" }\n'
        '[ratings]\nscheme = "vn5"\ndeck = "Mặt cầu"\nsuperstructure = "Dầm"\n'
        'substructure = "Mố trụ"\n', encoding="utf-8")
    sheet = tmp_path / "cau.csv"
    sheet.write_bytes(cp1258(
        "Mã cầu,Tên cầu,Năm XD,Dài (m),Ngày KT,Mặt cầu,Dầm,Mố trụ\n"
        "TB-01,Cầu Tân Đệ,1995,\"512,4\",15/03/2024,2,4,3\n"
        "TB-02,Cầu Nguyễn,2010,33,15/03/2024,6,2,2\n"))
    result = import_tabular(sheet, mapping)
    assert result.encoding == "cp1258"
    bridge = result.rows["bridge"][0]
    assert bridge["name"] == "Cầu Tân Đệ" and bridge["length_m"] == 512.4
    inspection = result.rows["inspection"][0]
    assert inspection["scheme"] == "vn5" and inspection["overall_rating"] == 4
    assert inspection["structurally_deficient"] is True
    assert inspection["inspection_date"] == "2024-03-15"
    assert [(e.row, e.field) for e in result.errors] == [(3, "Mặt cầu")]


def test_nbi_rating_factor_methods_are_converted_to_tonnes(tmp_path):
    """Items 63/65 = 6, 7 or 8: items 64/66 hold rating factors, not tonnes (x 32.4 t, HS20)."""
    with open(NBI, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, quotechar="'"))
    bridge = rows[0]["STRUCTURE_NUMBER_008"].strip()
    as_tonnes = {i["notes"] for i in import_tabular(NBI, "nbi_2013").rows["inspection"]}
    rows[0].update(OPR_RATING_METH_063="8", OPERATING_RATING_064="0.5",
                   INV_RATING_METH_065="8", INVENTORY_RATING_066="0.3")
    changed = tmp_path / "nbi_rating_factors.csv"
    with open(changed, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), quotechar="'")
        writer.writeheader()
        writer.writerows(rows)
    result = import_tabular(changed, "nbi_2013")
    assert result.errors == []
    bridge_id = next(b["id"] for b in result.rows["bridge"] if b["code"] == bridge)
    inspection = next(i for i in result.rows["inspection"] if i.get("bridge_id") == bridge_id)
    assert "operating rating 16.2 t, inventory rating 9.72 t" in inspection["notes"]
    assert inspection["notes"] not in as_tonnes
    # 16.2 t operating on a 32.4 t legal load: posted, not open
    assert inspection["load_posting_t"] is not None and inspection["load_posting_t"] > 0
