"""No password or key in a source label, a parcel row or an error message (WFS, PostGIS and
OGC API - Features sources)."""

from __future__ import annotations

import pytest
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.db import open_database


def test_wfs_password_never_reaches_the_parcel_rows(tmp_path, tb_db):
    from roadinfra.core.cadastre.mapping import load_mapping
    from roadinfra.core.cadastre.remote import WfsSource, pull_sheets

    from tests.support.wfs_server import WfsServer
    from tests.unit.test_cadastre_wfs import TYPES, features

    with WfsServer("thua_dat", features("1", "2024-01-01"), 9209, types=TYPES) as server:
        url = server.url.replace("http://", "http://u:S3cret@") + "?token=T0ken"
        result = pull_sheets(tb_db, WfsSource(url, server.typename,
                                              load_mapping("vn_cadastre")))
    assert result.imported.inserted == 6
    assert "S3cret" not in result.source and "T0ken" not in result.source
    db = open_database(tb_db)
    sources = {r["source"] for r in db.fetch("cadastral_parcel")}
    db.close()
    assert len(sources) == 1 and "S3cret" not in sources.pop()


@pytest.mark.parametrize("dsn", [
    "host=db password=S3cret dbname=dc", "host=db password='S3 cret' dbname=dc",
    "postgresql://u@h/db?password=S3cret", "postgresql://u:S3cret@h:5433/db"])
def test_postgis_source_label_hides_the_password(dsn):
    from roadinfra.core.cadastre.mapping import load_mapping
    from roadinfra.core.cadastre.remote import PostgisSource

    label = PostgisSource(dsn, "dc.thua_dat", load_mapping("vn_cadastre")).label
    assert "S3" not in label and "cret" not in label and label.endswith("dc.thua_dat")


def test_features_source_hides_credentials_in_label_and_errors():
    from roadinfra.core.cadastre.mapping import load_mapping
    from roadinfra.core.cadastre.remote import FeaturesApiSource

    api = FeaturesApiSource("http://u:S3cret@127.0.0.1:9/ogc?api_key=K3y", "thua",
                            load_mapping("vn_cadastre"))
    assert "S3cret" not in api.label and "K3y" not in api.label
    with pytest.raises(CadastreError) as caught:
        api.sheets()
    assert "S3cret" not in str(caught.value) and "K3y" not in str(caught.value)
