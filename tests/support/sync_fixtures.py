"""The provincial databases the sync tests start from, made once: the sample province as a
GeoPackage (``sample_province``, one per session, never written) and a fresh copy of it per
test (``province``). ``tests/unit/conftest.py`` hands them to the unit tests; the
PostGIS tier's ``province`` (the sample province in the test's database) is in
``tests/postgis/conftest.py``."""

import shutil

import pytest
from roadinfra.core.db import create_database
from roadinfra.core.sample_data import load_sample_data


@pytest.fixture(scope="session")
def sample_province(tmp_path_factory):
    """The sample province (GeoPackage); tests write to a copy (``province``)."""
    path = tmp_path_factory.mktemp("province") / "province.gpkg"
    with create_database(path) as db:
        load_sample_data(db)
    return path


@pytest.fixture
def province(sample_province, tmp_path):
    """A copy of the sample province for one test (its path as text)."""
    return str(shutil.copyfile(sample_province, tmp_path / "province.gpkg"))

