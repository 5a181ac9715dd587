"""The CLI and the Processing algorithm of one operation give the same answer on the same
file: one core entry point, one set of defaults, one encoding policy."""

import json

from roadinfra.core.cli import main

from tests.support.distress import one_survey_of_the_sample


def run(name, params):
    import processing

    return processing.run(f"roadinfra:{name}", params)


def test_compute_pci_and_pavement_pci_read_a_distress_file_alike(roadinfra_provider, tmp_path,
                                                                 capsys):
    table = one_survey_of_the_sample(tmp_path / "distress.csv")
    assert main(["pavement", "pci", str(table), "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    result = run("compute_pci", {"INPUT": str(table), "OUTPUT": "memory:"})
    assert result["SECTION_PCI"] == round(cli["section_pci"], 1)
    assert result["SECTION_RATING"] == cli["section_rating"]
