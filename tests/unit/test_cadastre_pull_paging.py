"""A counted OGC API answer whose paging has no stable order: a feature given twice, under
the same id or under a new one (a server numbering the rows of each answer), is refused
before anything is imported; a feature the data holds twice (the same listing again in
pages of another size) is imported; a listing again that fails is named, not taken for
unstable paging."""

from __future__ import annotations

import json

from roadinfra.core.cadastre.mapping import load_mapping
from roadinfra.core.cadastre.remote import FeaturesApiSource, pull_sheets

from tests.support.cadastre_db import empty_database, live_parcels, refused_unchanged
from tests.support.features_api import FeaturesApi
from tests.unit.test_cadastre_pull import features


def _pull(db, api, **kwargs):
    return pull_sheets(db, FeaturesApiSource(api.url, "thua_dat", load_mapping("vn_cadastre")),
                       **kwargs)


def _unordered(api: FeaturesApi, edition: str) -> FeaturesApi:
    """``api`` serving sheet 5's five parcels as an unordered query numbering its rows: in
    pages of 2, [1, 2], [2, 3], [3] under ids 1..5 (parcel 2 twice as ids 2 and 3, parcels
    4 and 5 never), five features for numberMatched 5; in pages of 1, parcel 1 five times."""
    api.features = features("5", edition, columns=5, rows=1)
    api.unordered = api.row_ids = True
    return api


def test_a_repeated_feature_under_a_new_id_is_refused_on_a_first_pull(tmp_path):
    """Before: inserted 5 (parcel 2 twice, parcel 5 missing). Now refused, naming the
    repeat (feature 3, the second copy of parcel 2); nothing stored."""
    db = empty_database(tmp_path)
    with _unordered(FeaturesApi("thua_dat", [], page_cap=2), "2025-01-01") as api:
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
        _unordered(api, "2025-01-01")
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


def test_a_parcel_the_data_holds_twice_under_its_own_id_is_imported(tmp_path):
    """A stable server (numberMatched 6, pages of 2 in a fixed order) whose
    data holds parcel 5 twice (the same geometry and properties, ids 5 and 6): listed
    again in pages of 1, the same six features come back, so it is a duplicate in the data,
    not unstable paging: imported as a file import does, the duplicate a finding."""
    db = empty_database(tmp_path)
    rows = [{**f, "id": n} for n, f in enumerate(features("5", "2025-01-01", columns=5,
                                                           rows=1), 1)]
    with FeaturesApi("thua_dat", rows + [{**rows[4], "id": 6}], page_cap=2) as api:
        result = _pull(db, api).imported
    assert result.inserted == 6
    assert result.quality.summary()["findings"]["duplicate"] == 2


def test_an_unordered_server_repeating_a_row_under_a_new_id_names_it_in_full(tmp_path):
    """Listed again in pages of 1, the unordered server gives other features: refused as
    unstable paging, naming the repeat with its whole properties (not cut mid-way)."""
    db = empty_database(tmp_path)
    with _unordered(FeaturesApi("thua_dat", [], page_cap=2), "2025-01-01") as api:
        facts = json.dumps(api.features[1]["properties"], ensure_ascii=False)
        refused_unchanged(db, lambda: _pull(db, api), f"feature 3 ({facts}) more than once")


def test_a_parcel_the_data_holds_twice_under_the_same_id_is_listed_again_and_imported(tmp_path):
    """The server's id is the parcel's own key, and the data holds parcel 5 twice under its
    id 5: listed again in pages of 1, the same six features come back, so it is imported as
    the file import does (the duplicate a finding), not refused as unstable paging without
    listing again."""
    db = empty_database(tmp_path)
    rows = [{**f, "id": n} for n, f in enumerate(features("5", "2025-01-01", columns=5,
                                                           rows=1), 1)]
    with FeaturesApi("thua_dat", rows + [dict(rows[4])], page_cap=2) as api:
        result = _pull(db, api).imported
        assert any("limit=1" in r and "so_to=5" in r for r in api.requests)
    assert result.inserted == 6
    assert result.quality.summary()["findings"]["duplicate"] == 2


def test_a_failing_listing_again_is_named_and_the_pull_can_be_retried(tmp_path):
    """The same stable server holding parcel 5 twice (ids 5 and 6), busy (HTTP 503) when
    listed again in pages of 1: refused naming the failed listing and the server's error,
    saying the pull can be retried; not called unstable paging. Nothing stored."""
    db = empty_database(tmp_path)
    rows = [{**f, "id": n} for n, f in enumerate(features("5", "2025-01-01", columns=5,
                                                           rows=1), 1)]
    with FeaturesApi("thua_dat", rows + [{**rows[4], "id": 6}], page_cap=2,
                     busy_limit=1) as api:
        message = refused_unchanged(
            db, lambda: _pull(db, api), "more than once in 3 page(s)",
            "the repeat could not be confirmed as a duplicate in the data because listing "
            "again (pages of 1) failed: ", "503", "nothing was imported, the pull can be "
            "retried")
    assert "no stable order" not in message
    assert live_parcels(db) == []


def test_a_server_ignoring_limit_cannot_confirm_a_repeat(tmp_path):
    """Issue 14 review 14i, item 8: the unordered server pages by two whatever ``limit``
    asks, so listing again "in pages of 1" gives the very same pages. Before: taken as a
    duplicate in the data, inserted 5 (parcel 2 twice, parcel 5 missing). Now refused,
    saying the repeat could not be confirmed because the server ignores limit; nothing
    stored."""
    db = empty_database(tmp_path)
    api = _unordered(FeaturesApi("thua_dat", [], fixed_page=2), "2025-01-01")
    api.row_ids = False  # the same id given twice
    with api:
        message = refused_unchanged(
            db, lambda: _pull(db, api), "more than once in 3 page(s)",
            "the repeat could not be confirmed as a duplicate in the data: listed again in "
            "pages of 1, its first page held 2 (the server ignores limit",
            "nothing was imported")
        assert any("limit=1" in r for r in api.requests)
    assert "whole-sheet" not in message
    assert live_parcels(db) == []
