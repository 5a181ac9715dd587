"""condition_summary on a real GeoPackage holding the small Thai Binh fixture network.

Expected numbers are worked out by hand from tests/data/qgisui/small_network.json.
"""

import json
import sys
from pathlib import Path

import pytest
from roadinfra.core.cli import main
from roadinfra.core.condition.summary import (
    SummaryError,
    condition_summary,
    iri_band_index,
    route_id,
    structure_class,
    summary_rows,
)
from roadinfra.core.errors import Cancelled
from roadinfra.core.profile import load_profile

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data" / "qgisui"))
from small_network import build_small_network  # noqa: E402


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    database = build_small_network(tmp_path_factory.mktemp("summary") / "tb.gpkg")
    yield database
    database.close()


def _route_id(db, code):
    return next(r["id"] for r in db.fetch("route") if r["code"] == code)


def _by_label(classes):
    return {c.label.en: (c.count, c.length_m) for c in classes}


def test_whole_network(db):
    s = condition_summary(db)
    pav = s.pavement
    assert pav.sections == 6 and pav.length_m == 26700.0
    pci = _by_label(pav.pci_classes)
    # latest PCI per section: 68.5 (a later vehicle survey has no PCI), 88, 47, 31, 72; one never
    assert pci["Good"] == (1, 3300.0)
    assert pci["Satisfactory"] == (1, 6200.0)
    assert pci["Fair"] == (1, 2600.0)
    assert pci["Poor"] == (1, 3400.0)
    assert pci["Very Poor"] == (1, 3200.0)
    assert pci["Serious"] == (0, 0.0) and pci["Failed"] == (0, 0.0)
    assert (pav.not_surveyed_pci.count, pav.not_surveyed_pci.length_m) == (1, 8000.0)
    assert pav.mean_pci == pytest.approx(1173900 / 18700, abs=0.05)
    iri = _by_label(pav.iri_bands)
    assert iri == {"Good": (1, 3300.0), "Fair": (2, 8800.0), "Poor": (2, 6600.0)}
    assert [c.label.vi for c in pav.pci_classes][:2] == ["Tốt", "Khá"]

    bridges = s.bridges
    assert bridges.count == 4
    # Tân Đệ vn5 3 -> fair; Bo nbi 7 -> good; Nguyễn nbi 4 + deficient -> poor; Vũ Quý never
    assert bridges.by_condition == {"good": 1, "fair": 1, "poor": 1, "none": 1}
    assert [p.name for p in bridges.poor] == ["Cầu Nguyễn"]
    assert bridges.poor[0].structurally_deficient is True
    assert s.culverts.by_condition == {"good": 0, "fair": 0, "poor": 1, "none": 1}
    loads = s.loads
    assert (loads.records, loads.overloaded, loads.overloaded_share_pct) == (20, 5, 25.0)


def test_route_scope(db):
    s = condition_summary(db, route_id=_route_id(db, "DT454"))
    assert s.scope.route_code == "DT454"
    assert s.pavement.sections == 2
    assert _by_label(s.pavement.pci_classes)["Satisfactory"] == (1, 6200.0)
    assert s.pavement.not_surveyed_pci.length_m == 8000.0
    assert s.bridges.by_condition["none"] == 1 and s.bridges.count == 1
    assert s.loads.stations == () and s.loads.overloaded_share_pct is None


def test_district_scope_and_route_and_district(db):
    s = condition_summary(db, district_code="340")
    assert s.scope.district_name.vi == "Huyện Đông Hưng"
    assert s.scope.heading("vi") == "Huyện Đông Hưng"
    assert s.pavement.sections == 2 and s.pavement.length_m == 6600.0
    assert s.bridges.by_condition["poor"] == 1
    assert s.culverts.by_condition["poor"] == 1
    assert s.loads.stations[0].overloaded_share_pct == 25.0
    both = condition_summary(db, route_id=_route_id(db, "DT454"), district_code="340")
    assert both.pavement.sections == 0 and both.bridges.count == 0


def test_tombstoned_survey_no_longer_counts(tmp_path):
    db = build_small_network(tmp_path / "tomb.gpkg")
    try:
        survey = next(r for r in db.fetch("pavement_survey")
                      if str(r["survey_date"]) == "2024-03-14" and r["pci"] == 68.5)
        db.tombstone("pavement_survey", survey["id"], user="test")
        pci = _by_label(condition_summary(db).pavement.pci_classes)
        # the section falls back to its 2022 survey, PCI 78: Satisfactory, no longer Fair
        assert pci["Fair"] == (0, 0.0)
        assert pci["Satisfactory"] == (2, 8800.0)
    finally:
        db.close()


def test_unknown_scope_is_a_clear_error(db):
    with pytest.raises(SummaryError, match="district_code: '999'"):
        condition_summary(db, district_code="999")
    with pytest.raises(SummaryError, match="no route with id"):
        condition_summary(db, route_id="00000000-0000-0000-0000-000000000000")


def test_progress_and_cancel(db):
    seen = []
    condition_summary(db, progress=seen.append)
    assert seen[-1] == 100.0 and seen == sorted(seen)
    with pytest.raises(Cancelled, match="cancelled"):
        condition_summary(db, is_cancelled=lambda: True)


@pytest.mark.parametrize("scheme, rating, deficient, expected", [
    ("nbi", 9, False, "good"), ("nbi", 7, False, "good"), ("nbi", 6, False, "fair"),
    ("nbi", 5, False, "fair"), ("nbi", 4, False, "poor"), ("nbi", 8, True, "poor"),
    ("vn5", 1, False, "good"), ("vn5", 2, False, "good"), ("vn5", 3, False, "fair"),
    ("vn5", 4, False, "poor"), ("vn5", 5, False, "poor"),
    ("nbi", None, False, None), ("other", 5, False, None),
])
def test_structure_class(scheme, rating, deficient, expected):
    assert structure_class(scheme, rating, deficient) == expected


def test_iri_band_bounds():
    profile = load_profile()
    assert [iri_band_index(v, profile) for v in (0.8, 1.49, 1.5, 2.69, 2.7, 9.0)] == [
        0, 0, 1, 1, 2, 2]


def test_table_rows_in_both_languages(db):
    s = condition_summary(db)
    en = summary_rows(s, "en")
    vi = summary_rows(s, "vi_VN")
    numbers = [r.cells[1:] for r in en if r.kind != "header"]
    assert numbers == [r.cells[1:] for r in vi if r.kind != "header"]
    assert [r.section for r in en] == [r.section for r in vi]
    pci = [r for r in en if r.section == "pci"]
    assert pci[0].cells == ("Pavement condition (PCI)", "km", "Sections")
    assert pci[1].cells == ("Good", "3.30", "1")
    assert pci[-2].cells == ("Not surveyed", "8.00", "1") and pci[-2].key == "none"
    assert pci[-1].cells == ("Total", "26.70", "6")
    assert vi[0].cells[0] == "Tình trạng mặt đường (PCI)"
    structures = {r.key: r.cells for r in en if r.section == "structures" and r.kind == "class"}
    assert structures["poor"] == ("Poor", "1", "1") and structures["none"] == ("Not inspected",
                                                                              "1", "1")
    assert en[-1].cells == ("Overloaded share (weigh stations)", "25.0 %", "")
    only = summary_rows(s, "en", sections=("structures",))
    assert {r.section for r in only} == {"structures"}


def test_as_dict_is_json_with_both_labels(db):
    data = condition_summary(db, district_code="340").as_dict()
    assert data["scope"]["district_name_en"] and data["scope"]["district_name_vi"]
    assert data["pavement"]["pci_classes"][0]["label_vi"] == "Tốt"
    pavement = data["pavement"]
    assert sum(c["count"] for c in pavement["pci_classes"]) + \
        pavement["not_surveyed"]["pci"]["count"] == pavement["sections"] == 2
    assert json.loads(json.dumps(data)) == data
    assert data["bridges"]["poor"][0]["name"] == "Cầu Nguyễn"


def test_route_by_code_or_id(db):
    rid = _route_id(db, "DT454")
    assert route_id(db, "DT454") == rid == route_id(db, rid)
    with pytest.raises(SummaryError, match="'XX9'"):
        route_id(db, "XX9")


def test_cli_condition_summary(db, capsys):
    target = str(db.target)
    assert main(["condition", "summary", "--db", target, "--route", "DT454", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scope"]["route_code"] == "DT454" and data["pavement"]["sections"] == 2
    assert main(["condition", "summary", "--db", target, "--lang", "vi"]) == 0
    out = capsys.readouterr().out
    assert "Toàn mạng lưới" in out and "Cầu Nguyễn" in out
    assert main(["condition", "summary", "--db", target, "--district", "999"]) == 2
    assert "district_code: '999'" in capsys.readouterr().err
