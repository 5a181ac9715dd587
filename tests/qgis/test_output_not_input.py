"""No Processing algorithm replaces one of its input files with its output: every output of
every algorithm of the provider is checked against every input file (same file by device
and inode, so a hard link is caught) before the algorithm reads anything."""

import os
import shutil
from pathlib import Path

import pytest
from qgis.core import QgsProcessingContext, QgsProcessingException, QgsProcessingFeedback

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
FILE_INPUTS = ("source", "vector", "file", "layer")


def run(name, params):
    import processing

    return processing.run(f"roadinfra:{name}", params)


def _file_outputs(alg):
    return [d for d in alg.parameterDefinitions()
            if d.isDestination() and d.type() in ("sink", "vectorDestination",
                                                  "fileDestination")]


def _inputs(alg):
    return [d for d in alg.parameterDefinitions()
            if not d.isDestination() and d.type() in FILE_INPUTS]


def test_every_algorithm_refuses_an_output_that_is_an_input(roadinfra_provider, tmp_path):
    walked = 0
    for alg in roadinfra_provider.algorithms():
        outputs, inputs = _file_outputs(alg), _inputs(alg)
        if not outputs or not inputs:
            continue
        for given in inputs:
            for output in outputs:
                suffix = ".pdf" if output.type() == "fileDestination" else ".csv"
                path = tmp_path / f"{alg.name()}_{given.name()}_{output.name()}{suffix}"
                shutil.copy(SAMPLE / "weighing_records.csv", path)
                link = path.with_name("link_" + path.name)
                os.link(path, link)  # another name, the same file
                before = path.read_bytes()
                params = {given.name(): str(path), output.name(): str(link)}
                instance = alg.create({})
                context, feedback = QgsProcessingContext(), QgsProcessingFeedback()
                with pytest.raises(QgsProcessingException, match="is the input file"):
                    instance.processAlgorithm(params, context, feedback)
                assert path.read_bytes() == before, (alg.name(), given.name())
                walked += 1
    assert walked >= 12


@pytest.mark.parametrize("name, source, extra", [
    ("loads_check", "weighing_records.csv", {"PROFILE": "thai_binh"}),
    ("classify_iri", "pavement_section.geojson", {"IRI_FIELD": "iri"}),
])
def test_processing_run_refuses_output_equal_to_input(roadinfra_provider, tmp_path, name,
                                                      source, extra):
    path = tmp_path / source
    shutil.copy(SAMPLE / source, path)
    before = path.read_bytes()
    with pytest.raises(QgsProcessingException, match="is the input file"):
        run(name, {"INPUT": str(path), "OUTPUT": str(path), **extra})
    assert path.read_bytes() == before
