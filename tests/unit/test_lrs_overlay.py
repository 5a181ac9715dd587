"""Segment overlay of event tables into homogeneous segments."""


import numpy as np
import pandas as pd
import pytest
from roadinfra.core.errors import RoadInfraError
from roadinfra.core.lrs.overlay import OverlayError, overlay_events

PAVEMENT = [
    {"route": "QL10", "from_m": 60000, "to_m": 61000, "surface": "BTN", "pci": 80},
    {"route": "QL10", "from_m": 61000, "to_m": 62500, "surface": "BTXM", "pci": 60},
    {"route": "DT454", "from_m": 0, "to_m": 900, "surface": "BTN", "pci": 45},
]
SURVEY = [
    {"route": "QL10", "from_m": 60500, "to_m": 61800, "iri": 2.1},
    {"route": "QL10", "from_m": 62000, "to_m": 63000, "iri": 3.4},
]


def test_intersection_of_lists():
    out = overlay_events({"pav": PAVEMENT, "srv": SURVEY})
    assert isinstance(out, list)
    assert [(r["route"], r["from_m"], r["to_m"], r["pav_pci"], r["srv_iri"]) for r in out] == [
        ("QL10", 60500.0, 61000.0, 80, 2.1),
        ("QL10", 61000.0, 61800.0, 60, 2.1),
        ("QL10", 62000.0, 62500.0, 60, 3.4),
    ]
    assert out[0]["pav_row"] == 1 and out[2]["srv_row"] == 2


def test_union_of_dataframes_keeps_gaps_as_none():
    out = overlay_events({"pav": pd.DataFrame(PAVEMENT), "srv": pd.DataFrame(SURVEY)},
                         how="union")
    assert isinstance(out, pd.DataFrame)
    ql10 = out[out["route"] == "QL10"]
    assert list(zip(ql10["from_m"], ql10["to_m"])) == [
        (60000, 60500), (60500, 61000), (61000, 61800), (61800, 62000), (62000, 62500),
        (62500, 63000)]
    assert ql10["srv_iri"].iloc[0] is None and ql10["pav_pci"].iloc[-1] is None
    assert ql10["pav_pci"].iloc[0] == 80                       # integers stay integers
    dt = out[out["route"] == "DT454"]
    assert len(dt) == 1 and dt["srv_iri"].iloc[0] is None


def test_three_tables_against_brute_force():
    rng = np.random.default_rng(4)

    def table(n, name):
        cuts = np.sort(rng.choice(np.arange(1, 10000), n - 1, replace=False)).astype(float)
        start = np.concatenate([[0.0], cuts])
        end = np.concatenate([cuts, [10000.0]])
        keep = rng.random(n) > 0.2                            # leave holes
        return pd.DataFrame({"route": "R", "from_m": start[keep], "to_m": end[keep],
                             name: np.arange(n)[keep]})

    tables = {"a": table(40, "x"), "b": table(25, "y"), "c": table(60, "z")}
    out = overlay_events(tables)
    for _, seg in out.iterrows():
        mid = (seg["from_m"] + seg["to_m"]) / 2
        for name, col in (("a", "x"), ("b", "y"), ("c", "z")):
            t = tables[name]
            hit = t[(t["from_m"] < mid) & (t["to_m"] > mid)]
            assert len(hit) == 1 and hit[col].iloc[0] == seg[f"{name}_{col}"]
    # total covered length equals the length covered by all three
    grid = np.arange(0.5, 10000, 1.0)
    covered = np.ones_like(grid, dtype=bool)
    for t in tables.values():
        inside = np.zeros_like(grid, dtype=bool)
        for s, e in zip(t["from_m"], t["to_m"]):
            inside |= (grid > s) & (grid < e)
        covered &= inside
    assert (out["to_m"] - out["from_m"]).sum() == pytest.approx(covered.sum())


def test_errors_name_table_row_and_field():
    bad = PAVEMENT + [{"route": "QL10", "from_m": 62000, "to_m": 64000, "pci": 10}]
    with pytest.raises(OverlayError, match=r"table pav row 4 field from_m: .* overlaps row 2"):
        overlay_events({"pav": bad, "srv": SURVEY})
    with pytest.raises(OverlayError, match="table srv row 3 field to_m: 'abc'"):
        overlay_events({"pav": PAVEMENT, "srv": SURVEY + [
            {"route": "QL10", "from_m": 1, "to_m": "abc"}]})
    with pytest.raises(OverlayError, match="table srv row 2 fields from_m/to_m: .*reversed"):
        overlay_events({"pav": PAVEMENT, "srv": [SURVEY[0], {"route": "QL10", "from_m": 5,
                                                             "to_m": 5}]})
    with pytest.raises(OverlayError, match="no column 'route'"):
        overlay_events({"pav": PAVEMENT, "srv": [{"road": "QL10", "from_m": 0, "to_m": 1}]})
    with pytest.raises(OverlayError, match="row 3"):            # CSV numbering: header is line 1
        overlay_events({"pav": bad, "srv": SURVEY}, first_row={"pav": 0})


def test_ten_thousand_events_per_table():
    rng = np.random.default_rng(1)

    def table(name):
        cuts = np.sort(rng.choice(np.arange(1, 5_000_000), 9_999, replace=False)).astype(float)
        return pd.DataFrame({"route": "QL10", "from_m": np.concatenate([[0.0], cuts]),
                             "to_m": np.concatenate([cuts, [5_000_000.0]]), name: 1.0})

    a, b, c = table("x"), table("y"), table("z")
    out = overlay_events({"a": a, "b": b, "c": c})
    assert len(out) > 25_000
    assert out["from_m"].iloc[0] == 0.0 and out["to_m"].iloc[-1] == 5_000_000.0
    assert (out["to_m"].to_numpy()[:-1] == out["from_m"].to_numpy()[1:]).all()  # no gaps


def test_segment_overlay_reads_chainages_and_draws_on_the_routes():
    from roadinfra.core.lrs.overlay import UndrawnSegmentsError, segment_overlay
    from roadinfra.core.lrs.route import Route
    from shapely.geometry import LineString

    pavement = pd.DataFrame({"road": ["QL10", "QL10"], "from": ["Km60+000", "61000"],
                             "to": ["Km61+000", "Km62+500"], "pci": [80, 60]})
    survey = pd.DataFrame({"road": ["QL10"], "from": ["Km60+500"], "to": ["Km62+000"],
                           "iri": [2.1]})
    routes = {"R10": Route("R10", LineString([(0, 0), (5000, 0)]), [0.0, 5000.0],
                           [59000.0, 64000.0])}
    keys = {"QL10": "R10"}
    out = segment_overlay({"pav": pavement, "srv": survey}, "road", "from", "to",
                          routes=routes, resolve=keys.get)
    assert out.frame[["from", "to", "pav_pci"]].values.tolist() == [[60500, 61000, 80],
                                                                   [61000, 62000, 60]]
    assert [line.length for line in out.lines] == pytest.approx([500, 1000])
    assert segment_overlay({"pav": pavement, "srv": survey}, "road", "from", "to").lines is None
    with pytest.raises(RoadInfraError, match=r"pavement.csv row 3 field to: 'Km6\+5'"):
        segment_overlay({"pav": pavement.assign(to=["Km61+000", "Km6+5"]), "srv": survey},
                        "road", "from", "to", first_row=2, sources={"pav": "pavement.csv"})
    far = {"pav": pd.concat([pavement, pd.DataFrame(
        {"road": ["QL10", "QL5"], "from": [63000, 0], "to": [70000, 10], "pci": [1, 2]})]),
        "srv": pd.concat([survey, pd.DataFrame(
            {"road": ["QL10", "QL5"], "from": [63000, 0], "to": [70000, 10], "iri": [1, 2]})])}
    with pytest.raises(UndrawnSegmentsError) as error:
        segment_overlay(far, "road", "from", "to", routes=routes, resolve=keys.get)
    assert len(error.value.errors) == 2
    assert "beyond the route" in error.value.errors[0]
    assert error.value.errors[1].startswith("segments row 4 field road: route 'QL5'")
