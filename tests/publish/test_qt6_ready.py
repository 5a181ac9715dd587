"""The packaged plugin is Qt 6 (QGIS 4) ready by the rules of QGIS's pyqt5_to_pyqt6.py, checked
statically with our own checker (tests/support/qt6_check.py); it still runs on QGIS 3.22 (the
qgis tier) and 3.40 (the ltr tier). A failure lists ``path:line: CODE what to write``."""

import configparser
import zipfile

import pytest

from tests.support.package import build_plugin_zip
from tests.support.qt6_check import check_paths, check_source

SAMPLE = '''
import sip
from PyQt5.QtCore import Qt
from qgis.core import Qgis, QgsProcessing
from qgis.PyQt.QtCore import QRegExp, QVariant
from qgis.PyQt.QtWidgets import QDialog

dialog = QDialog()
dialog.exec_()
align = Qt.AlignmentFlag.AlignLeft | Qt.AlignTop
level = Qgis.Warning, Qgis.MessageLevel.Info, QgsProcessing.TypeVectorLine
button = Qt.MidButton
field_type = QVariant.Int
width = dialog.fontMetrics().width("x")


def kind(value) -> QVariant.Type:
    return QVariant.Int
'''


@pytest.fixture(scope="module")
def unzipped(tmp_path_factory):
    plugin_zip = build_plugin_zip(tmp_path_factory.mktemp("dist"))
    folder = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(plugin_zip) as archive:
        archive.extractall(folder)
    return folder


def test_packaged_plugin_has_no_qt6_finding(unzipped):
    findings = check_paths([unzipped / "roadinfra"], unzipped)
    assert not findings, f"{len(findings)} Qt 6 finding(s):\n" + "\n".join(map(str, findings))


def test_metadata_lets_qgis4_users_in(unzipped):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(unzipped / "roadinfra" / "metadata.txt", encoding="utf-8")
    general = parser["general"]
    assert general["qgisMinimumVersion"] == "3.22"
    assert tuple(map(int, general["qgisMaximumVersion"].split("."))) >= (4, 0)


def test_checker_reports_each_rule_with_its_line():
    report = "\n".join(str(f) for f in check_source(SAMPLE, "sample.py"))
    for expected in (
        "sample.py:2: QT6-IMPORT import sip",
        "sample.py:3: QT6-IMPORT from PyQt5.QtCore",
        "sample.py:5: QT6-REMOVED QRegExp is removed",
        "sample.py:9: QT6-EXEC exec_()",
        "sample.py:10: QT6-ENUM Qt.AlignTop: write Qt.AlignmentFlag.AlignTop",
        "sample.py:11: QT6-ENUM Qgis.Warning: write Qgis.MessageLevel.Warning",
        "sample.py:11: QT6-ENUM QgsProcessing.TypeVectorLine: write "
        "QgsProcessing.SourceType.TypeVectorLine",
        "sample.py:12: QT6-REMOVED Qt.MidButton is removed",
        "sample.py:14: QT6-REMOVED QFontMetrics.width()",
        "sample.py:17: QT6-REMOVED QVariant.Type does not exist in PyQt6",
    ):
        assert expected in report, f"{expected!r} not in:\n{report}"
    for fine in ("AlignLeft", "QVariant.Int", "MessageLevel.Info"):
        assert fine not in report


QUALIFIED = '''
import qgis.core
from qgis import core
from qgis.core import QgsProcessingAlgorithm
from qgis.PyQt import QtCore, QtWidgets
from qgis.PyQt.QtCore import Qt


class Alg(QgsProcessingAlgorithm):
    def flags(self):
        return self.FlagNoThreading | self.Flag.FlagSupportsBatch


class Sub(Alg):
    @classmethod
    def make(cls):
        return cls.FlagHideFromToolbox

    def flags(self):
        return Alg.FlagCanCancel | Alg.Flag.FlagSupportsBatch | self.FlagHideFromModeler


class Plain:
    FlagNoThreading = 1

    def flags(self):
        return self.FlagNoThreading


align = QtCore.Qt.AlignLeft
answer = QtWidgets.QMessageBox.Yes
warning = core.Qgis.Warning
info = qgis.core.Qgis.Info
fine = (QtCore.Qt.AlignmentFlag.AlignLeft, qgis.core.Qgis.MessageLevel.Info,
        Qt.AlignmentFlag.AlignRight, core.Qgis.MessageLevel.Warning)
'''


@pytest.mark.parametrize("expected", [
    "sample.py:11: QT6-ENUM self.FlagNoThreading: write self.Flag.FlagNoThreading",
    "sample.py:17: QT6-ENUM cls.FlagHideFromToolbox: write cls.Flag.FlagHideFromToolbox",
    "sample.py:20: QT6-ENUM Alg.FlagCanCancel: write Alg.Flag.FlagCanCancel",
    "sample.py:20: QT6-ENUM self.FlagHideFromModeler: write self.Flag.FlagHideFromModeler",
    "sample.py:30: QT6-ENUM QtCore.Qt.AlignLeft: write QtCore.Qt.AlignmentFlag.AlignLeft",
    "sample.py:31: QT6-ENUM QtWidgets.QMessageBox.Yes: write "
    "QtWidgets.QMessageBox.StandardButton.Yes",
    "sample.py:32: QT6-ENUM core.Qgis.Warning: write core.Qgis.MessageLevel.Warning",
    "sample.py:33: QT6-ENUM qgis.core.Qgis.Info: write qgis.core.Qgis.MessageLevel.Info",
])
def test_checker_resolves_qualified_names_and_subclasses(expected):
    report = "\n".join(str(f) for f in check_source(QUALIFIED, "sample.py"))
    assert expected in report, f"{expected!r} not in:\n{report}"


def test_checker_leaves_scoped_values_and_plain_classes_alone():
    findings = check_source(QUALIFIED, "sample.py")
    lines = {f.line for f in findings}
    assert 27 not in lines  # Plain is no Qt class: its own attribute
    assert not lines & {34, 35}, [str(f) for f in findings]
    assert len(findings) == 8, [str(f) for f in findings]
