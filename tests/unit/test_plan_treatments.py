"""The profile's treatment decision table: the shipped one loads; bad entries name the key."""

import copy

import pytest
from roadinfra.core.planning.errors import PlanningError
from roadinfra.core.planning.treatments import applicable, load_treatments, traffic_bands
from roadinfra.core.profile import Profile, load_profile


def with_data(change):
    profile = load_profile()
    data = copy.deepcopy(dict(profile.data))
    change(data)
    return Profile(profile.id, profile.path, data)


def test_shipped_table():
    profile = load_profile()
    table = load_treatments(profile)
    codes = [t.code for t in table]
    assert codes[:6] == ["ROUTINE", "CRACK_SEAL", "SURFACE_TREAT", "OVERLAY", "MILL_OVERLAY",
                         "RECONSTRUCT"]
    assert {t.asset for t in table} == {"pavement", "bridge", "culvert"}
    bands = traffic_bands(profile)
    assert [bands.band(v) for v in (None, 10, 300, 1499, 5000)] == [
        "low", "low", "medium", "medium", "high"]
    # a poor asphalt road with heavy traffic: no surface treatment, overlay to reconstruction
    poor = [t.code for t in applicable(table, "pavement", surface="AC", pci=35, traffic="high")]
    assert poor == ["OVERLAY", "MILL_OVERLAY", "RECONSTRUCT"]
    assert [t.code for t in applicable(table, "bridge", state=5)] == ["BRIDGE_STRENGTHEN",
                                                                       "BRIDGE_REPLACE"]
    overlay = table[codes.index("OVERLAY")]
    assert overlay.condition_after(40) == 92 and overlay.condition_after(95) == 95
    assert table[0].condition_after(99.5) == 100  # a gain stops at 100


def test_every_bad_entry_is_reported_with_its_key():
    def spoil(data):
        t = data["treatments"]
        t[0]["unit_cost_vnd"] = -1
        t[1]["surfaces"] = ["AC", "ICE"]
        t[2]["pci_gain"] = 5
        t[2]["pci_after"] = 90
        t[3]["traffic"] = ["heavy"]
        t[4]["pci_min"], t[4]["pci_max"] = 70, 60
        t[5]["colour"] = "red"
        t[6]["state_after"] = 3
        t[7]["code"] = t[6]["code"]
        t[8]["asset"] = "tunnel"

    with pytest.raises(PlanningError) as err:
        load_treatments(with_data(spoil))
    message = str(err.value)
    for expected in ("#1 (ROUTINE): key 'unit_cost_vnd'", "#2 (CRACK_SEAL): key 'surfaces'",
                     "#3 (SURFACE_TREAT): key 'pci_after' or 'pci_gain'",
                     "#4 (OVERLAY): key 'traffic'", "#5 (MILL_OVERLAY): key 'pci_min' 70 is above",
                     "#6 (RECONSTRUCT): key 'colour' is not a pavement treatment key",
                     "#7 (BRIDGE_REPAIR): key 'state_after' 3 must be better",
                     "#8 (BRIDGE_REPAIR): key 'code' repeats entry #7",
                     "#9 (BRIDGE_REPLACE): key 'asset' must be one of"):
        assert expected in message


def test_missing_table_and_bands():
    with pytest.raises(PlanningError, match="no \\[\\[treatments\\]\\]"):
        load_treatments(with_data(lambda d: d.pop("treatments")))
    with pytest.raises(PlanningError, match="upper_esal_per_day"):
        traffic_bands(with_data(lambda d: d["planning"]["traffic_bands"].update(
            upper_esal_per_day=[1500.0, 300.0])))
