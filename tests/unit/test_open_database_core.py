"""Core of the tools that run on what is open (issue 15, item 2): weighing records already read
(a layer's features) checked like a CSV file, PCI computed survey by survey, and written back
to the surveys with the revision read."""

import sqlite3

import pytest
from roadinfra.core.condition.pci_survey import pci_by_survey, pci_from_records
from roadinfra.core.condition.pci_writeback import survey_revisions, write_survey_pci
from roadinfra.core.db import open_database
from roadinfra.core.db.errors import ConflictError, DatabaseError
from roadinfra.core.io.rows import RowErrorsError
from roadinfra.core.loads import csv_format as fmt
from roadinfra.core.loads.check import check_file, check_weighing
from roadinfra.core.loads.records import RecordsError, records_from_rows
from roadinfra.core.sample_data import build_demo_database


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "thai_binh.gpkg"
    build_demo_database(path)
    return path


def test_records_from_rows_check_like_the_csv_file(tmp_path):
    lines = ["LS-1,2025-03-14T08:00:00+07:00,truck,2,6.00;12.00,4.50,18.00,1,up",
             "LS-1,2025-03-14T09:00:00+07:00,truck,3,6.00;9.00,4.50;1.30,15.00,,",
             "LS-2,2025-03-14T10:00:00+07:00,bus,2,5.00;9.00,6.00,14.00,2,down"]
    csv = tmp_path / "w.csv"
    csv.write_text("\n".join([",".join(fmt.COLUMNS), *lines]) + "\n", encoding="utf-8")
    from datetime import datetime, timezone

    rows = [(2, "LS-1", datetime(2025, 3, 14, 1, tzinfo=timezone.utc), "truck", 2, [6.0, 12.0],
             "[4.5]", 18.0, 1, "up"),
            (3, "LS-1", "2025-03-14T09:00:00+07:00", "truck", 3, "[6, 9]", "4.5;1.3", 15.0,
             None, None),
            (4, "LS-2", datetime(2025, 3, 14, 10), "bus", "2", (5, 9), [6], "14", 2, "down")]
    from_rows = check_weighing(records_from_rows(rows, "scale layer"), "thai_binh")
    from_file = check_file(csv, "thai_binh")
    assert from_rows.results_frame().drop(columns="line").equals(
        from_file.results_frame().drop(columns="line"))
    assert [str(e) for e in from_rows.records.errors] == [
        "scale layer, row 3, field 'axle_loads_t': 2 axle load(s) for axle_count 3"]
    with pytest.raises(RecordsError, match="a record has 2 values"):
        records_from_rows([(1, "LS-1", "x")])


def distress(path):
    with sqlite3.connect(path) as con:
        return con.execute("SELECT fid, survey_id, sample_unit, unit_area_m2, distress_code, "
                           "severity, quantity FROM pavement_distress").fetchall()


def test_pci_by_survey_keeps_each_survey_apart(demo):
    rows = distress(demo)
    with pytest.raises(RowErrorsError):  # the surveys mixed: unit areas differ
        pci_from_records([(r[0], *r[2:]) for r in rows])
    result = pci_by_survey(rows, "pavement_distress")
    assert len(result.surveys) == 250 and result.errors == {}
    survey, pci = result.surveys[0]
    alone = pci_from_records([(r[0], *r[2:]) for r in rows if r[1] == survey])
    assert pci.section_pci == alone.section_pci


def test_pci_by_survey_errors_per_survey():
    rows = [(1, "S1", "SU1", 230, 1, "L", 5), (2, "S2", "SU1", 230, 42, "L", 5),
            (3, "S2", "SU1", 230, 1, "M", -2), (4, None, "SU1", 230, 1, "L", 1)]
    result = pci_by_survey(rows, "t")
    assert [s for s, _ in result.surveys] == ["S1"]
    assert sorted(result.errors) == ["", "S2"]
    assert [e.row for e in result.errors["S2"]] == [2, 3]
    assert str(result.errors["S2"][0]).startswith("t, survey S2, row 2, field 'code'")
    with pytest.raises(RowErrorsError, match="3 bad row"):
        pci_by_survey(rows[1:], "t")


def test_write_back_with_the_revision_read(demo, tmp_path):
    import shutil

    path = tmp_path / "db.gpkg"
    shutil.copy(demo, path)
    result = pci_by_survey(distress(path), "pavement_distress")
    revisions = survey_revisions(path, [s for s, _ in result.surveys])
    moved = result.surveys[5][0]
    db = open_database(str(path))
    db.update("pavement_survey", moved, {"surveyor": "someone else"}, "other")
    db.close()
    with pytest.raises(ConflictError, match="changed by someone else"):
        write_survey_pci(path, result, revisions, "me")

    def stored():
        db = open_database(str(path))
        try:
            return {row["id"]: row for row in db.fetch("pavement_survey")}
        finally:
            db.close()

    assert all(row["updated_by"] != "me" for row in stored().values())  # nothing written
    db = open_database(str(path))  # a PCI typed over the computed one: the write-back changes it
    db.update("pavement_survey", result.surveys[0][0], {"pci": 1.0}, "other")
    db.close()
    before = stored()
    revisions = survey_revisions(path, [s for s, _ in result.surveys])
    assert write_survey_pci(path, result, revisions, "me") == 250
    after = stored()
    for survey, pci in result.surveys:
        assert after[survey]["pci"] == round(pci.section_pci, 1)
    changed = [s for s in after if after[s]["revision"] > before[s]["revision"]]
    db = open_database(str(path))
    try:
        entry = db.history("pavement_survey", changed[0])[-1]
    finally:
        db.close()
    assert entry["operation"] == "UPDATE" and entry["changed_by"] == "me"
    unknown = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(DatabaseError, match=f"no pavement_survey with id {unknown}"):
        survey_revisions(path, [unknown])


def test_bridge_inventory_from_a_table_already_read_equals_the_file():
    from roadinfra.core.importers.bridge_inventory import import_table, import_tabular, load_mapping
    from roadinfra.core.io.tabular import read_table

    from tests.support.shared_data import SHARED_DATA

    nbi = f"{SHARED_DATA}/bridges_us_nbi_sample/sample.csv"
    mapping = load_mapping("nbi_2013")
    src = mapping.source
    table = read_table(nbi, src.get("encoding", "auto"), src.get("delimiter", ","),
                       src.get("quotechar", '"'))
    from_table, from_file = import_table(table, mapping), import_tabular(nbi, mapping)
    assert from_table.rows_read == from_file.rows_read == 19
    for kind in ("bridge", "culvert", "inspection"):
        assert [{k: v for k, v in row.items() if k != "geom"} for row in from_table.rows[kind]] \
            == [{k: v for k, v in row.items() if k != "geom"} for row in from_file.rows[kind]]
