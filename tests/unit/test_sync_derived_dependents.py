"""A crew's edit or delete of a distress, synced, derives its survey's PCI again, as the
same change made in the office does (review 11s #1: the PCI stayed stale), on a
GeoPackage provincial database (the sample province)."""

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from roadinfra.core.db import open_database  # noqa: E402
from roadinfra.core.sync import Scope, create_package, sync_package  # noqa: E402

from tests.support.sync import ogr_delete, ogr_update, row, rows  # noqa: E402

AREA = "340"


@pytest.mark.parametrize("change", ["edit", "delete"])
def test_a_synced_distress_change_derives_its_survey_again(province, tmp_path, change):
    office = tmp_path / "office.gpkg"
    shutil.copy(province, office)
    pkg = tmp_path / "crew" / "p.gpkg"
    pkg.parent.mkdir()
    create_package(str(province), Scope("area", AREA), str(pkg))
    distress = next(r for r in rows(pkg, "pavement_distress")
                    if r["deleted_at"] is None and r.get("quantity"))
    survey = distress["survey_id"]
    before = row(province, "pavement_survey", survey)["pci"]
    if change == "edit":
        ogr_update(pkg, "pavement_distress", distress["id"], quantity=400)
    else:
        ogr_delete(pkg, "pavement_distress", distress["id"])
    report = sync_package(str(pkg), str(province))
    assert report["conflicts"] == [] and report["applied"] == 1
    with open_database(str(office)) as db:  # the same change made in the office
        if change == "edit":
            db.update("pavement_distress", distress["id"], {"quantity": 400}, user="office")
        else:
            db.tombstone("pavement_distress", distress["id"], user="office")
    expected = row(office, "pavement_survey", survey)["pci"]
    assert expected != before
    assert row(province, "pavement_survey", survey)["pci"] == pytest.approx(expected)
