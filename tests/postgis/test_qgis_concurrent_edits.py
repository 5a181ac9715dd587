"""Two QGIS users edit the same PostGIS row from layers read before either saved.

QGIS's PostGIS provider sends only the attributes that changed, never ``revision``, so the
server cannot tell a stale QGIS edit from a fresh one (a default value on ``revision``
applied on update does not help: the value is unchanged, so it is not sent). The later save
wins; the history shows what it overwrote (old and new values, author), so it can be seen
and undone. This test keeps that true and documents the limit (docs/data-model.md,
"Concurrent edits"): if a QGIS release or the plugin's edit path ever sends the revision,
the second commit fails and this test must change with the docs."""

import sys
from pathlib import Path
from urllib.parse import urlparse

from qgis.core import QgsDefaultValue, QgsVectorLayer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data" / "qgisui"))
from small_network import build_small_network  # noqa: E402

from tests.support.pg import sql  # noqa: E402


def bridge_layer(pg_database):
    url = urlparse(pg_database)
    uri = (f"host={url.hostname} port={url.port} dbname={url.path.lstrip('/')} "
           f"user={url.username} key='id' table=\"public\".\"bridge\" (geom)")
    layer = QgsVectorLayer(uri, "bridge", "postgres")
    assert layer.isValid()
    layer.setDefaultValueDefinition(layer.fields().indexFromName("revision"),
                                    QgsDefaultValue('"revision"', True))
    return layer


def test_stale_qgis_edits_are_last_writer_wins_and_both_are_logged(pg_database, qgis_app):
    build_small_network(pg_database).close()
    first, second = bridge_layer(pg_database), bridge_layer(pg_database)
    read_first, read_second = next(first.getFeatures()), next(second.getFeatures())
    spans = first.fields().indexFromName("spans")
    start = read_first["spans"]
    for layer, feature, value in ((first, read_first, start + 1),
                                  (second, read_second, start + 4)):
        assert layer.startEditing()
        assert layer.changeAttributeValue(feature.id(), spans, value)
        assert layer.commitChanges(), layer.commitErrors()  # the stale one is not refused
    row_id = read_first["id"]
    assert sql(pg_database, "SELECT spans, revision FROM bridge WHERE id = %s",
               (row_id,)) == [(start + 4, 3)]
    logged = sql(pg_database, "SELECT revision, (old_values->>'spans')::int, "
                              "(new_values->>'spans')::int FROM change_log WHERE row_id = %s "
                              "AND operation = 'UPDATE' ORDER BY id", (row_id,))
    assert logged == [(2, start, start + 1), (3, start + 1, start + 4)]
