"""The CLI and the Processing algorithm of one operation give the same answer on the same
file: one core entry point, one set of defaults, one encoding policy."""

import json
import unicodedata

import pytest
from qgis.core import QgsProcessingException
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


def cp1258(text: str) -> bytes:
    """``text`` as Vietnamese Windows writes it: tone marks as combining characters."""
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            out.append((unicodedata.normalize("NFC", parts[:-1]) + parts[-1]).encode("cp1258"))
    return b"".join(out)


def _distress_csv(path, mixed=False):
    """A one-unit distress table whose sample unit is 'Đông-Thái' (and a Vietnamese note),
    in cp1258; ``mixed``: one line in UTF-8, the others in cp1258."""
    lines = ["sample_unit,unit_area_m2,distress_code,severity,quantity,ghi_chu",
             "Đông-Thái,230,1,M,12.5,Cầu Thái Bình",
             "Đông-Thái,230,13,L,2,vết nứt"]
    data = b"".join((line + "\n").encode("utf-8") if mixed and k == 2 else cp1258(line + "\n")
                    for k, line in enumerate(lines))
    path.write_bytes(data)
    return path


def test_compute_pci_reads_a_cp1258_csv_by_core_policy(roadinfra_provider, tmp_path, capsys):
    table = _distress_csv(tmp_path / "cp1258.csv")
    result = run("compute_pci", {"INPUT": str(table), "OUTPUT": "memory:"})
    units = [f["sample_unit"] for f in result["OUTPUT"].getFeatures()]
    assert units == ["Đông-Thái"]
    assert "\ufffd" not in units[0]
    assert main(["pavement", "pci", str(table), "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert result["SECTION_PCI"] == round(cli["section_pci"], 1)


def test_classify_iri_keeps_vietnamese_text_of_a_cp1258_csv(roadinfra_provider, tmp_path):
    table = tmp_path / "iri.csv"
    table.write_bytes(cp1258("route,from_m,to_m,iri,ten\nDT454,0,100,2.5,Cầu Thái Bình\n"))
    result = run("classify_iri", {"INPUT": str(table), "IRI_FIELD": "iri", "OUTPUT": "memory:"})
    (feature,) = list(result["OUTPUT"].getFeatures())
    assert feature["ten"] == "Cầu Thái Bình"


def test_a_csv_mixing_encodings_is_refused_naming_file_and_line(roadinfra_provider, tmp_path):
    table = _distress_csv(tmp_path / "mixed.csv", mixed=True)
    for name in ("compute_pci", "classify_iri"):
        with pytest.raises(QgsProcessingException, match=rf"{table}.*line \d"):
            run(name, {"INPUT": str(table), "OUTPUT": "memory:"})
