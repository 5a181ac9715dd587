"""Shapefile text encodings: values without a .cpg read as UTF-8, else Windows-1258, mixed
encodings refused naming row and field; a .cpg saying UTF-8 over Windows-1258 text refused;
a UTF-8 letter cut at the field's width; field NAMES in Windows-1258 (a Vietnamese
MapInfo/Famis export) decoded by the policy of the values or, under a .cpg saying UTF-8,
refused naming the field; buildings read whatever the encoding of their unused text. Never a
traceback."""

from __future__ import annotations

import struct
from pathlib import Path

import fiona
import pytest
from roadinfra.core.cadastre.buildings import read_buildings
from roadinfra.core.cadastre.errors import CadastreError
from roadinfra.core.cadastre.reader import read_parcels
from roadinfra.core.cli import main
from roadinfra.core.crs import (
    to_grid,
)
from roadinfra.core.db import database_info
from roadinfra.core.io.errors import FileError
from roadinfra.core.profile import load_profile
from shapely.geometry import box, mapping

from tests.support.cadastre_files import grid_parcels, origin, truth


def _shapefile(tmp_path, cpg):
    path = tmp_path / "fn.shp"
    schema = {"geometry": "Polygon",
              "properties": {"SoTo": "str:5", "SoThua": "str:5", "ChủSD": "str:40"}}
    x, y = origin()
    with fiona.open(path, "w", driver="ESRI Shapefile", crs="EPSG:9209", schema=schema,
                    encoding="cp1258") as out:
        for k in range(2):
            out.write({"geometry": mapping(box(x + 20 * k, y, x + 20 * k + 20, y + 20)),
                       "properties": {"SoTo": "7", "SoThua": str(k + 1),
                                      "ChủSD": "Nguyen Van A"}})
    path.with_suffix(".cpg").unlink(missing_ok=True)
    if cpg:
        path.with_suffix(".cpg").write_text(cpg)
    return path


@pytest.mark.parametrize("cpg", [None, "1258"])
def test_cp1258_field_names_are_read(tmp_path, cpg):
    shipped = (Path(__file__).parents[2] / "core/data/cadastre_mappings/vn_cadastre.toml")
    mapping = tmp_path / "names.toml"
    mapping.write_text(shipped.read_text(encoding="utf-8").replace('"ChuSD"', '"ChủSD"'),
                       encoding="utf-8")
    parcels = read_parcels(_shapefile(tmp_path, cpg), str(mapping))
    assert not parcels.errors and parcels.columns["owner"] == "ChủSD"
    assert list(parcels.frame["owner"]) == ["Nguyen Van A"] * 2


def test_cp1258_field_names_under_a_utf8_cpg_are_refused_naming_the_field(tmp_path):
    path = _shapefile(tmp_path, "UTF-8")
    with pytest.raises(CadastreError) as caught:
        read_parcels(path)
    message = str(caught.value)
    assert "\n" not in message and str(path.with_suffix(".dbf")) in message
    assert "field 'ChủSD'" in message and "write 1258 in" in message


def _owner_shapefile(tmp_path, name, owners, encoding, cpg=False):
    frame = grid_parcels(columns=len(owners), rows=1)
    frame["ChuSuDung"] = owners
    path = tmp_path / name
    frame.to_file(path, encoding=encoding)
    if not cpg:
        path.with_suffix(".cpg").unlink(missing_ok=True)
    return path


@pytest.mark.parametrize("encoding, cpg", [("utf-8", False), ("cp1258", False),
                                           ("cp1258", True)])
def test_shapefile_text_read_by_the_encoding_policy(tmp_path, encoding, cpg):
    # the owners end in a tone mark: GDAL's own CP1258 recoding loses that last letter
    owners = ["Nguyễn Thị Hằng", "Trần Văn Đức", "Lê Thị Mỹ"]
    path = _owner_shapefile(tmp_path, f"{encoding}.shp", owners, encoding, cpg)
    assert path.with_suffix(".cpg").exists() == cpg
    parcels = read_parcels(path)
    assert list(parcels.frame["owner"]) == owners
    assert list(parcels.frame["parcel_no"]) == ["1", "2", "3"]


def test_shapefile_mixing_encodings_refused(tmp_path):
    path = _owner_shapefile(tmp_path, "mixed.shp", ["Hằng", "Hằng"], "utf-8")
    dbf = path.with_suffix(".dbf")
    data = dbf.read_bytes()
    second = data.index("Hằng".encode(), data.index("Hằng".encode()) + 1)
    # row 2 as cp1258 writes it (a + breve, combining grave), padded to the same length
    dbf.write_bytes(data[:second] + b"H\xe3\xccng " + data[second + 6:])
    with pytest.raises(FileError, match=r"row 2, field 'ChuSuDung': not UTF-8 text, but row 1, "
                       r"field 'ChuSuDung' is UTF-8"):
        read_parcels(path)


def _owners_shapefile(tmp_path, owners, encoding, cpg=None):
    frame = truth(count=len(owners))
    frame["ChuSuDung"] = owners
    path = tmp_path / "owners.shp"
    frame.to_file(path, encoding=encoding)
    path.with_suffix(".cpg").unlink(missing_ok=True)
    if cpg is not None:
        path.with_suffix(".cpg").write_text(cpg)
    return path


def test_a_cpg_saying_utf8_over_cp1258_text_is_refused_naming_rows_and_fields(tmp_path,
                                                                              tb_db):
    owners = ["Hộ ông Nguyễn Văn Đức", "Lê Thị Hằng", "Tran Van A"]
    path = _owners_shapefile(tmp_path, owners, "cp1258", cpg="UTF-8")
    before = database_info(tb_db)
    with pytest.raises(FileError) as refused:
        read_parcels(path)
    message = str(refused.value)
    assert message.startswith(f"{path.with_suffix('.dbf')}: row 1, field 'ChuSuDung': not "
                              "UTF-8 text as the file declares (as Windows-1258: 'Hộ ông "
                              "Nguyễn Văn Đức') (also row 2, field 'ChuSuDung')")
    assert f"write 1258 in {path.with_suffix('.cpg')}" in message and "\n" not in message
    assert main(["cadastre", "import", str(path), str(tb_db)]) != 0
    assert database_info(tb_db) == before
    # the way out the message names
    path.with_suffix(".cpg").write_text("1258")
    assert list(read_parcels(path).frame["owner"]) == owners


def test_a_cpg_saying_utf8_over_utf8_text(tmp_path):
    owners = ["Hộ ông Nguyễn Văn Đức", "Lê Thị Hằng"]
    path = _owners_shapefile(tmp_path, owners, "utf-8", cpg="UTF-8")
    assert list(read_parcels(path).frame["owner"]) == owners


def _cut_owner(path, row, text: bytes):
    """Row ``row``'s ChuSuDung as ``text`` (padded with blanks), straight in the .dbf."""
    dbf = path.with_suffix(".dbf")
    data = bytearray(dbf.read_bytes())
    header, size = struct.unpack_from("<HH", data, 8)
    offset, at = 1, 32
    while data[at] != 0x0D:
        name = bytes(data[at:at + 11]).split(b"\0")[0]
        if name == b"ChuSuDung":
            width = data[at + 16]
            break
        offset += data[at + 16]
        at += 32
    start = header + (row - 1) * size + offset
    data[start:start + width] = text.ljust(width, b" ")[:width]
    dbf.write_bytes(bytes(data))


@pytest.mark.parametrize("cpg", [None, "UTF-8"])
def test_a_utf8_letter_cut_at_the_field_width_is_not_mixed_encodings(tmp_path, cpg):
    owners = ["Hộ Lê", "Hộ Võ", "Nguyen", "Hồ Thị"]
    path = _owners_shapefile(tmp_path, owners, "utf-8", cpg=cpg)
    _cut_owner(path, 3, "Nguyễn Văn".encode()[:6])  # ends inside the 3-byte 'ễ'
    parcels = read_parcels(path)
    assert list(parcels.frame["owner"]) == ["Hộ Lê", "Hộ Võ", "Nguy", "Hồ Thị"]
    assert parcels.errors == []


def test_cut_letters_in_a_cp1258_file_and_real_mixtures(tmp_path):
    # cp1258 text ending in 'à' (0xE0, a UTF-8 lead byte) is still cp1258
    owners = ["Hộ Hà", "Lê Thị Hằng"]
    path = _owners_shapefile(tmp_path, owners, "cp1258")
    assert list(read_parcels(path).frame["owner"]) == owners
    # a whole cp1258 text beside UTF-8 texts is still refused, naming row and field
    path = _owners_shapefile(tmp_path, ["Hộ Lê", "Hộ Võ"], "utf-8")
    _cut_owner(path, 2, "Bà Hà".encode("cp1258"))
    with pytest.raises(FileError, match=r"row 2, field 'ChuSuDung': not UTF-8 text, but "
                       r"row 1, field 'ChuSuDung' is UTF-8"):
        read_parcels(path)


def test_buildings_are_read_whatever_the_encoding_of_their_unused_text(tmp_path):
    """A buildings Shapefile whose .cpg says UTF-8 but whose field
    names and text are Windows-1258 (a Vietnamese MapInfo export) was refused as unreadable;
    only its polygons are used, so its text is no reason to refuse it."""
    import fiona
    from shapely.geometry import mapping

    x, y = to_grid(106.40, 20.50)
    path = tmp_path / "nha.shp"
    schema = {"geometry": "Polygon", "properties": {"ChủNhà": "str:40", "LoạiNhà": "str:8"}}
    with fiona.open(path, "w", driver="ESRI Shapefile", crs="EPSG:9209", schema=schema,
                    encoding="cp1258") as out:
        for k in range(2):
            out.write({"geometry": mapping(box(x + 20 * k, y, x + 20 * k + 8, y + 8)),
                       "properties": {"ChủNhà": "Nguyễn Văn Bảy", "LoạiNhà": "cấp 4"}})
    path.with_suffix(".cpg").write_text("UTF-8")
    buildings = read_buildings(path, load_profile())
    assert list(buildings.columns) == ["row", "building", "parts", "repaired",
                                       "geometry"]  # none of the file's
    assert buildings.crs.to_epsg() == 9209
    assert sorted(round(g.area, 6) for g in buildings.geometry) == [64.0, 64.0]


@pytest.mark.parametrize("cpg", [b"\xef\xbb\xbf1258", b"ANSI 1258\r\n", b"Windows-1258",
                                 b"CP1258\n", b" cp 1258 \x00"])
def test_a_cpg_naming_1258_in_another_form_is_read_as_cp1258(tmp_path, cpg):
    """Notepad's 'UTF-8' save of '1258' (a byte-order mark first), ArcGIS's 'ANSI 1258':
    GDAL knows neither and read the text as Latin-1 (NguyêÞn)."""
    owners = ["Nguyễn Văn Hằng", "Lê Thị Đức"]
    path = _owners_shapefile(tmp_path, owners, "cp1258")
    path.with_suffix(".cpg").write_bytes(cpg)
    parcels = read_parcels(path)
    assert parcels.errors == [] and list(parcels.frame["owner"]) == owners


def test_a_cpg_naming_utf8_with_a_byte_order_mark_keeps_the_utf8_check(tmp_path):
    path = _owners_shapefile(tmp_path, ["Nguyễn Văn Hằng"], "cp1258")
    path.with_suffix(".cpg").write_bytes(b"\xef\xbb\xbfUTF-8")
    with pytest.raises(FileError, match="not UTF-8 text as the file declares"):
        read_parcels(path)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1258"])
def test_a_cpg_naming_no_encoding_follows_the_no_cpg_policy(tmp_path, encoding):
    owners = ["Nguyễn Văn Hằng", "Lê Thị Đức"]
    path = _owners_shapefile(tmp_path, owners, encoding)
    path.with_suffix(".cpg").write_bytes(b"\xef\xbb\xbfVietnamese (TCVN)")
    assert list(read_parcels(path).frame["owner"]) == owners


def test_a_cpg_naming_another_code_page_is_decoded_in_it(tmp_path):
    owners = ["Café Müller", "Señora Peña"]
    path = _owners_shapefile(tmp_path, owners, "cp1252")
    path.with_suffix(".cpg").write_bytes(b"ANSI 1252\r\n")
    assert list(read_parcels(path).frame["owner"]) == owners


def test_text_a_declared_code_page_cannot_decode_is_a_row_error(tmp_path):
    """0x81 is no letter in Windows-1258: the row is listed naming the field."""
    path = _owners_shapefile(tmp_path, ["Xa", "Lê Thị Đức"], "cp1258", cpg="1258")
    dbf = path.with_suffix(".dbf")
    data = dbf.read_bytes()
    dbf.write_bytes(data.replace(b"Xa", b"X\x81", 1))
    parcels = read_parcels(path)
    assert [(e.row, e.field) for e in parcels.errors] == [(1, "ChuSuDung")]
    assert list(parcels.frame["owner"]) == ["Lê Thị Đức"]
