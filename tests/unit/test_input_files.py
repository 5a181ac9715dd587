"""core/io: one encoding policy, one table reader, JSON/TOML/geodata readers and the safe
writer, each checked on the class of hostile input it exists for (issue 9, items 1, 5, 6)."""

import json
import os
import sys

import pytest
from roadinfra.core.io.errors import FileError
from roadinfra.core.io.jsonfile import MAX_DEPTH, read_json
from roadinfra.core.io.output import check_output, output_file
from roadinfra.core.io.rows import MESSAGE_LIMIT, RowError
from roadinfra.core.io.tabular import read_table
from roadinfra.core.io.text import decode_bytes, read_text
from roadinfra.core.io.tomlfile import read_toml, toml_entry
from roadinfra.core.profile import PROFILES_DIR, ProfileError, load_profile

NAME = "Cầu Thái Bình"


# ------------------------------------------------------------------ encoding policy
def test_utf8_with_or_without_bom_then_cp1258_all_read_the_same_text():
    def read(data):
        decoded = decode_bytes(data, "f")
        return decoded.text, decoded.encoding

    assert read(NAME.encode("utf-8")) == (NAME, "utf-8")
    assert read(b"\xef\xbb\xbf" + NAME.encode("utf-8")) == (NAME, "utf-8-sig")
    # cp1258 has no precomposed "ầ": it writes "â" and a combining grave accent
    assert read(_cp1258(NAME)) == (NAME, "cp1258")


def _cp1258(text):
    """Vietnamese text as Windows-1258 writes it (decomposed where it must be)."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + "".join(c for c in parts if c in tones)).encode("cp1258")
    return bytes(out)


def test_a_file_mixing_utf8_and_cp1258_lines_is_refused_naming_the_line():
    data = ("code,name\nB1," + NAME + "\n").encode("utf-8") + b"B2," + _cp1258(NAME) + b"\n"
    with pytest.raises(FileError, match="bridges.csv: line 3: not UTF-8 text, but line 2 is "
                                        "UTF-8: the file mixes encodings"):
        decode_bytes(data, "bridges.csv")
    with pytest.raises(FileError, match="line 2: not UTF-8 text, but it starts with a UTF-8 "
                                        "byte-order mark"):
        decode_bytes(b"\xef\xbb\xbfcode\n" + _cp1258(NAME), "f")


@pytest.mark.parametrize("data, words", [
    (b"code\n\x00\x01\x02", "line 2: holds control byte 0x00: a binary file"),
    (bytes(range(256)) * 4, "line 1: holds control byte 0x00"),
    (b"code\nA\n\x81\x8d\n", "line 3: neither UTF-8 nor cp1258"),
])
def test_binary_and_undecodable_bytes_are_one_clear_line(data, words):
    with pytest.raises(FileError, match=words) as info:
        decode_bytes(data, "f")
    assert "\n" not in str(info.value)


def test_every_table_reader_reads_cp1258_the_same_way(tmp_path):
    """Four policies used to disagree: `pavement pci` read a cp1258 file, `lrs events`
    refused it. Now they share read_table/read_text."""
    from roadinfra.core.lrs.io import read_table as read_event_table

    path = tmp_path / "events.csv"
    path.write_bytes(b"route,from_m,to_m,name\nQL10,0,100," + _cp1258(NAME) + b"\n")
    assert read_table(path).rows[0][1][3] == NAME
    frame, first = read_event_table(path)
    assert (frame["name"][0], first) == (NAME, 2)


# ------------------------------------------------------------------ tables
def test_a_field_longer_than_the_csv_default_limit_is_read(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("a,b\n1," + "x" * 200_000 + "\n", encoding="utf-8")
    table = read_table(path)
    assert len(table.rows[0][1][1]) == 200_000


def test_empty_file_folder_and_missing_file_are_one_line(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    for path, words in ((tmp_path / "empty.csv", "empty file"),
                        (tmp_path, "is a folder, not a table"),
                        (tmp_path / "nope.csv", "not found")):
        with pytest.raises(FileError, match=words):
            read_table(path)


def test_semicolon_header_switches_the_delimiter_and_lines_survive_quoted_breaks(tmp_path):
    path = tmp_path / "vn.csv"
    path.write_text('a;b\n1;"two\nlines"\n\n3;4\n', encoding="utf-8")
    table = read_table(path)
    assert table.delimiter == ";"
    assert [line for line, _ in table.rows] == [2, 5]


def test_a_repeated_header_column_is_refused(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("a,b,a\n1,2,3\n", encoding="utf-8")
    with pytest.raises(FileError, match="line 1 \\(header\\): column 'a' appears twice"):
        read_table(path)


def test_row_error_messages_quoting_a_huge_cell_are_cut():
    error = RowError("f.csv", 2, "iri", f"{'x' * 10_000!r} is not a number")
    assert len(error.message) == MESSAGE_LIMIT and error.message.endswith("...")


# ------------------------------------------------------------------ JSON
def test_json_nested_100000_deep_is_a_clear_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(FileError, match=f"nested 100000 levels deep \\(at most {MAX_DEPTH}\\)"):
        read_json(path)
    path.write_text(json.dumps({"a": "[[[[" * 100, "b": [[1]]}), encoding="utf-8")
    assert read_json(path)["b"] == [[1]]  # brackets inside strings are not nesting


def test_bad_json_names_line_and_column(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "a": 1,\n  oops\n}', encoding="utf-8")
    with pytest.raises(FileError, match="bad.json: line 3, column 3: not valid JSON"):
        read_json(path)


# ------------------------------------------------------------------ TOML
def _profile_text():
    return (PROFILES_DIR / "thai_binh.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("change, words", [
    (("central_meridian = 105.5", 'central_meridian = "abc"'),
     "[crs] central_meridian must be a finite number, not 'abc' (text)"),
    (("province_bbox_wgs84 = [106.167,", "province_bbox_wgs84 = [nan,"),
     "[crs] province_bbox_wgs84 must be a list of finite numbers"),
    (("province_bbox_wgs84 = [106.167, 20.293, 106.637, 20.729]",
      "province_bbox_wgs84 = [106.637, 20.293, 106.167, 20.729]"), "west < east"),
    (("epsg = 9209", "epsg = 9209.5"), "[crs] epsg must be a whole number"),
])
def test_a_profile_with_a_wrong_type_is_one_line_naming_file_and_key(tmp_path, change, words):
    path = tmp_path / "p.toml"
    text = _profile_text()
    assert change[0] in text
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and words in message and "\n" not in message


def test_a_toml_file_that_is_not_utf8_or_not_toml_or_a_folder(tmp_path):
    path = tmp_path / "p.toml"
    path.write_bytes(_profile_text().encode("utf-8").replace(b"[crs]", b"[crs] # \xe0\n"))
    with pytest.raises(ProfileError, match="p.toml: line \\d+: not UTF-8 text"):
        read_toml(path, ProfileError, "profile")
    path.write_text("a = [1,", encoding="utf-8")
    with pytest.raises(ProfileError, match="p.toml: not valid TOML"):
        read_toml(path, ProfileError, "profile")
    (tmp_path / "folder.toml").mkdir()
    with pytest.raises(ProfileError, match="is a folder"):
        load_profile(tmp_path / "folder.toml")


def test_toml_entry_kinds():
    doc = {"d": ",,", "n": float("inf"), "ok": 2}
    with pytest.raises(ProfileError, match="f: \\[source\\] d must be one character"):
        toml_entry(doc, "d", "char", "f", ProfileError, section="source")
    with pytest.raises(ProfileError, match="n must be a finite number"):
        toml_entry(doc, "n", "number", "f", ProfileError)
    assert toml_entry(doc, "ok", "number", "f", ProfileError) == 2
    assert toml_entry(doc, "none", "text", "f", ProfileError, default=None) is None


def test_a_mapping_delimiter_of_two_characters_is_one_line(tmp_path):
    from roadinfra.core.importers.bridge_inventory import MappingError, load_mapping

    path = tmp_path / "m.toml"
    path.write_text('[source]\ndelimiter = ",,"\n[bridge]\ncode = "A"\n', encoding="utf-8")
    with pytest.raises(MappingError, match="m.toml: \\[source\\] delimiter must be one "
                                           "character, not ',,'"):
        load_mapping(path)


# ------------------------------------------------------------------ geodata
def test_geodata_reader_refuses_binary_and_folders_in_one_line(tmp_path):
    from roadinfra.core.io.geodata import read_geodata

    path = tmp_path / "x.geojson"
    path.write_bytes(os.urandom(2000))
    with pytest.raises(FileError, match="x.geojson: not a readable vector file") as info:
        read_geodata(path)
    assert "\n" not in str(info.value)
    with pytest.raises(FileError, match="is a folder"):
        read_geodata(tmp_path)


# ------------------------------------------------------------------ the safe writer
def test_output_onto_an_input_is_refused_by_inode_for_every_spelling(tmp_path):
    source = tmp_path / "posts.geojson"
    source.write_text("{}", encoding="utf-8")
    os.link(source, tmp_path / "hard.geojson")
    os.symlink(source, tmp_path / "soft.geojson")
    other = tmp_path / "sub" / ".." / "posts.geojson"
    (tmp_path / "sub").mkdir()
    for spelling in ("hard.geojson", "soft.geojson", str(other)):
        with pytest.raises(FileError, match="is the input file"):
            check_output(tmp_path / spelling, [str(source)])
    assert check_output(tmp_path / "new.geojson", [str(source)]) == tmp_path / "new.geojson"


def test_output_is_written_whole_or_not_at_all(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with output_file(target) as temporary:
            temporary.write_text("half", encoding="utf-8")
            raise RuntimeError("the writer failed")
    assert target.read_text(encoding="utf-8") == "old\n"
    with output_file(target) as temporary:
        assert temporary.parent.parent == tmp_path and temporary.name == "out.csv"
        temporary.write_text("new\n", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]  # no temporary left


def test_output_into_a_folder_or_a_missing_or_unwritable_folder(tmp_path):
    with pytest.raises(FileError, match="is a folder; give a file name"):
        check_output(tmp_path)
    with pytest.raises(FileError, match="is not a regular file"):
        check_output(os.devnull)
    with pytest.raises(FileError, match="folder .*nowhere does not exist"):
        check_output(tmp_path / "nowhere" / "out.csv")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(FileError, match="does not exist"):
        check_output(blocker / "out.csv")
    if sys.platform != "win32" and os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        with pytest.raises(FileError, match="cannot write in folder"):
            with output_file(locked / "out.csv"):
                pass


def test_read_text_names_the_file(tmp_path):
    path = tmp_path / "ok.txt"
    path.write_bytes(_cp1258(NAME))
    assert read_text(path).text == NAME
