"""A counted OGC API answer whose paging has no stable order: a feature given twice, under
the same id or under a new one (a server numbering the rows of each answer), is refused
before anything is imported (review 14f #2)."""

from __future__ import annotations

from roadinfra.core.cadastre.mapping import load_mapping
from roadinfra.core.cadastre.remote import FeaturesApiSource, pull_sheets

from tests.support.cadastre_db import empty_database, live_parcels, refused_unchanged
from tests.support.features_api import FeaturesApi
from tests.unit.test_cadastre_pull import features


def _pull(db, api, **kwargs):
    return pull_sheets(db, FeaturesApiSource(api.url, "thua_dat", load_mapping("vn_cadastre")),
                       **kwargs)


def _row_numbered(edition: str) -> list:
    """Sheet 5's five parcels as pages [1, 2], [2, 3], [4] of an unordered query, each
    feature's id its row in the answer (1..5): parcel 2 twice (ids 2 and 3), parcel 5
    never; five features for numberMatched 5."""
    new = features("5", edition, columns=5, rows=1)
    return [{**feature, "id": row} for row, feature in
            enumerate([new[0], new[1], new[1], new[2], new[3]], 1)]


def test_a_repeated_feature_under_a_new_id_is_refused_on_a_first_pull(tmp_path):
    """Before: inserted 5 (parcel 2 twice, parcel 5 missing). Now refused, naming the
    repeat (feature 3, the second copy of parcel 2); nothing stored."""
    db = empty_database(tmp_path)
    with FeaturesApi("thua_dat", _row_numbered("2025-01-01"), page_cap=2) as api:
        message = refused_unchanged(db, lambda: _pull(db, api), "more than once in 3 page(s)",
                                    "feature 3 (", "(it counts 5 feature(s), numberMatched): "
                                    "its paging has no stable order")
    assert "whole-sheet" not in message and "Whole sheets" not in message
    assert live_parcels(db) == []


def test_a_repeated_feature_under_a_new_id_is_refused_on_a_second_pull(tmp_path):
    """A stable first pull stores parcels 1..5; the unstable new edition is refused as
    unstable paging, not by the per-parcel guard advising --whole-sheet (which would store
    parcel 2 twice and drop parcel 5); even with whole_sheet it is refused."""
    db = empty_database(tmp_path)
    stored = [{**f, "id": n} for n, f in enumerate(features("5", "2024-05-01", columns=5,
                                                             rows=1), 1)]
    with FeaturesApi("thua_dat", stored, page_cap=2) as api:
        assert _pull(db, api).imported.inserted == 5
        api.features = _row_numbered("2025-01-01")
        for whole in (False, True):
            message = refused_unchanged(db, lambda whole=whole: _pull(db, api, whole_sheet=whole),
                                        "feature 3 (", "its paging has no stable order")
            assert "whole-sheet" not in message and "Whole sheets" not in message
    assert sorted(int(r["parcel_no"]) for r in live_parcels(db)) == [1, 2, 3, 4, 5]


def test_distinct_features_with_distinct_ids_pass(tmp_path):
    """Five different parcels numbered by row are not a repeat: all five imported."""
    db = empty_database(tmp_path)
    rows = [{**f, "id": n} for n, f in enumerate(features("5", "2025-01-01", columns=5,
                                                           rows=1), 1)]
    with FeaturesApi("thua_dat", rows, page_cap=2) as api:
        assert _pull(db, api).imported.inserted == 5
