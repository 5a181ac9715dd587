"""Our Qt 6 readiness checker: the rules of QGIS's ``pyqt5_to_pyqt6.py`` for code that must run on
QGIS 3 (Qt 5) and QGIS 4 (Qt 6), reported as ``path:line: CODE message`` without changing files.

Rules (the upstream tool needs PyQt6 and QGIS's source tree; this one uses the PyQt5/QGIS 3
bindings installed here to see which names are enum values):

- QT6-IMPORT  Qt bindings imported directly (PyQt5, PyQt6, PySide, ``import sip``,
              ``qgis.PyQt.Qt``): use the ``qgis.PyQt`` shim.
- QT6-ENUM    an enum value reached through its class without its enum (``Qt.AlignLeft``,
              ``Qgis.Warning``): Qt 6 enums are scoped, write ``Qt.AlignmentFlag.AlignLeft``.
              The class is resolved through module-qualified names (``QtCore.Qt.AlignLeft``,
              ``qgis.core.Qgis.Info``) and, in a class derived from a Qt/QGIS class (directly
              or through one of the same module), through ``self``/``cls`` and that
              class's name (``self.FlagNoThreading``, ``Alg.FlagNoCancel``).
- QT6-EXEC    ``exec_()`` (removed): call ``exec()``.
- QT6-REMOVED APIs Qt 6 removed: QRegExp*, QDesktopWidget / ``desktop()``, ``qApp``,
              ``fontMetrics().width()``, ``activated[str]``, compiled ``resources_rc``, the
              null ``QVariant()``, renamed enum values (``Qt.MidButton``...),
              ``QLayout.setMargin()``, ``QDateTime`` from 8 integers, ``addAction`` with 4+
              arguments, ``QVariant.Type`` (absent from PyQt6; it also crashes the upstream
              tool).

Run ``python -m tests.support.qt6_check PATH...`` for a report.
"""

from __future__ import annotations

import ast
import enum
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

QT_ROOTS = ("qgis", "PyQt5")  # modules whose classes we resolve to see enum values
DIRECT_BINDINGS = ("PyQt5", "PyQt6", "PySide2", "PySide6", "sip")
REMOVED_NAMES = {
    "QRegExp": "QRegExp is removed in Qt 6: use QRegularExpression",
    "QRegExpValidator": "QRegExpValidator is removed in Qt 6: use QRegularExpressionValidator",
    "QDesktopWidget": "QDesktopWidget is removed in Qt 6: use QScreen (QGuiApplication.screens())",
    "qApp": "qApp is removed in Qt 6: use QApplication.instance()",
}
# QVariant.Int etc. stay valid through QGIS's Qt 6 shim (QVariant.Type.Int does not exist in
# PyQt6; pyqt5_to_pyqt6.py leaves them alone in its QGIS-3-compatible mode).
SHIMMED_ENUM_OWNERS = {"QVariant"}
RENAMED_ENUMS = {
    ("Qt", "MidButton"): "Qt.MouseButton.MiddleButton",
    ("Qt", "TextColorRole"): "Qt.ItemDataRole.ForegroundRole",
    ("Qt", "BackgroundColorRole"): "Qt.ItemDataRole.BackgroundRole",
}


@dataclass(frozen=True)
class Qt6Finding:
    path: str
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code} {self.message}"


def _enum_member_of(owner, name: str) -> str | None:
    """The enum type name when ``owner.name`` is an enum value reached without its enum."""
    try:
        value = getattr(owner, name)
    except Exception:  # noqa: BLE001 - any failure means: not an enum we can see
        return None
    kind = type(value)
    if isinstance(value, enum.Enum):
        enum_name = kind.__name__
    elif type(kind).__name__ == "enumtype":  # sip's metaclass of PyQt5 / QGIS 3 enums
        enum_name = kind.__name__
    else:
        return None
    if enum_name == name or getattr(owner, enum_name, None) is not kind:
        return None  # the enum type itself, or an enum not nested in this class
    return enum_name


def _resolve_import(module_name: str, attr: str | None = None):
    """The module ``module_name`` (or its member ``attr``: a class or a sub-module)."""
    try:
        module = importlib.import_module(module_name)
    except Exception:  # noqa: BLE001 - a module this QGIS lacks: nothing to resolve
        return None
    if attr is None:
        return module
    obj = getattr(module, attr, None)
    if obj is None:
        try:
            obj = importlib.import_module(f"{module_name}.{attr}")
        except Exception:  # noqa: BLE001 - not a sub-module either
            return None
    return obj if isinstance(obj, (type, ModuleType)) else None


def _imported_names(tree: ast.Module) -> dict[str, object]:
    """Names bound by imports of Qt/QGIS in the module, resolved: classes
    (``from qgis.core import Qgis``) and modules (``from qgis import core``,
    ``import qgis.core``, ``from qgis.PyQt import QtCore``)."""
    bound: dict[str, object] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.startswith(QT_ROOTS):
            for alias in node.names:
                obj = _resolve_import(node.module, alias.name)
                if obj is not None:
                    bound[alias.asname or alias.name] = obj
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if not alias.name.startswith(QT_ROOTS):
                    continue
                if alias.asname:
                    obj = _resolve_import(alias.name)
                    if obj is not None:
                        bound[alias.asname] = obj
                else:  # ``import qgis.core`` binds ``qgis`` (with core loaded)
                    root = alias.name.split(".")[0]
                    if _resolve_import(alias.name) is not None:
                        bound[root] = _resolve_import(root)
    return bound


def _resolve(expr: ast.expr, names: dict[str, object]):
    """The class or module an expression names (``Qt``, ``QtCore.Qt``, ``qgis.core.Qgis``,
    ``self`` in a method of a Qt/QGIS subclass), None when it cannot be resolved."""
    if isinstance(expr, ast.Name):
        return names.get(expr.id)
    if isinstance(expr, ast.Attribute):
        owner = _resolve(expr.value, names)
        if owner is None:
            return None
        try:
            obj = getattr(owner, expr.attr)
        except Exception:  # noqa: BLE001 - not an attribute we can see
            return None
        return obj if isinstance(obj, (type, ModuleType)) else None
    return None


def _qt_base(klass: ast.ClassDef, names: dict[str, object]):
    """The first Qt/QGIS class among a class's bases (directly or through a class of the
    same module already resolved), None if none."""
    for base in klass.bases:
        obj = _resolve(base, names)
        if isinstance(obj, type) and obj.__module__.startswith(QT_ROOTS):
            return obj
    return None


def _first_argument(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    if any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in function.decorator_list):
        return None
    arguments = function.args.posonlyargs + function.args.args
    return arguments[0].arg if arguments else None


def _attribute_scopes(tree: ast.Module, names: dict[str, object]):
    """(Attribute node, the names it is resolved with): ``self``/``cls`` in the methods of a
    class derived from a Qt/QGIS class, and the class's own name, stand for that base."""
    names = dict(names)
    scoped: list[tuple[ast.Attribute, dict]] = []

    def visit(node: ast.AST, scope: dict) -> None:
        if isinstance(node, ast.ClassDef):
            base = _qt_base(node, scope)
            if base is not None:
                names[node.name] = base
                scope = {**scope, node.name: base}
            for child in node.body:
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                        and base is not None and _first_argument(child):
                    visit(child, {**scope, _first_argument(child): base})
                else:
                    visit(child, scope)
            for child in node.bases + node.decorator_list:
                visit(child, scope)
            return
        if isinstance(node, ast.Attribute):
            scoped.append((node, scope))
        for child in ast.iter_child_nodes(node):
            visit(child, scope)

    visit(tree, names)
    return scoped


def check_source(source: str, path: str) -> list[Qt6Finding]:
    tree = ast.parse(source, filename=path)
    out: list[Qt6Finding] = []

    def add(node, code, message):
        out.append(Qt6Finding(path, node.lineno, code, message))

    for node, scope in _attribute_scopes(tree, _imported_names(tree)):
        _check_attribute(node, scope, add)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in DIRECT_BINDINGS:
                    add(node, "QT6-IMPORT", f"import {alias.name}: use the qgis.PyQt shim")
        elif isinstance(node, ast.ImportFrom) and node.module:
            root = node.module.split(".")[0]
            if root in DIRECT_BINDINGS or node.module == "qgis.PyQt.Qt":
                add(node, "QT6-IMPORT", f"from {node.module} import ...: use qgis.PyQt.QtCore etc.")
            for alias in node.names:
                if alias.name in REMOVED_NAMES:
                    add(node, "QT6-REMOVED", REMOVED_NAMES[alias.name])
                if alias.name == "resources_rc":
                    add(node, "QT6-REMOVED", "compiled resources are removed: load files by path")
        elif isinstance(node, ast.FunctionDef) and node.name == "exec_":
            add(node, "QT6-EXEC", "def exec_(): name it exec()")
        elif isinstance(node, ast.Name) and node.id in REMOVED_NAMES:
            add(node, "QT6-REMOVED", REMOVED_NAMES[node.id])
        elif isinstance(node, ast.Call):
            _check_call(node, add)
        elif isinstance(node, ast.Subscript):
            value, index = node.value, node.slice
            if (isinstance(value, ast.Attribute) and value.attr == "activated"
                    and isinstance(index, ast.Name) and index.id == "str"):  # fmt: skip
                add(node, "QT6-REMOVED", "activated[str] is removed: use textActivated")
    return sorted(set(out), key=lambda f: (f.line, f.code, f.message))


def _check_attribute(node: ast.Attribute, names: dict, add) -> None:
    if node.attr == "exec_":
        add(node, "QT6-EXEC", "exec_() is removed in Qt 6: call exec()")
    if node.attr == "setMargin":
        add(node, "QT6-REMOVED", "QLayout.setMargin() is removed: use setContentsMargins()")
    if isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Attribute):
        if node.value.func.attr == "fontMetrics" and node.attr == "width":
            add(node, "QT6-REMOVED", "QFontMetrics.width() is removed: use horizontalAdvance()")
    owner = _resolve(node.value, names)
    if isinstance(node.value, ast.Name):
        owner_class = node.value.id
    elif isinstance(owner, type):
        owner_class = owner.__name__
    else:
        return
    written = ast.unparse(node.value)
    if owner_class == "QVariant" and node.attr == "Type":
        add(node, "QT6-REMOVED", f"{written}.Type does not exist in PyQt6: use QMetaType.Type "
            "(QGIS >= 3.38) or QVariant values only")  # fmt: skip
        return
    if (owner_class, node.attr) in RENAMED_ENUMS:
        add(node, "QT6-REMOVED", f"{written}.{node.attr} is removed: use "
            f"{RENAMED_ENUMS[(owner_class, node.attr)]}")  # fmt: skip
        return
    if not isinstance(owner, type) or owner_class in SHIMMED_ENUM_OWNERS:
        return
    enum_name = _enum_member_of(owner, node.attr)
    if enum_name:
        scoped = f"{written}.{enum_name}.{node.attr}"
        add(node, "QT6-ENUM", f"{written}.{node.attr}: write {scoped}")


def _check_call(node: ast.Call, add) -> None:
    func = node.func
    if isinstance(func, ast.Name) and func.id == "QVariant":
        if not node.args or (
            len(node.args) == 1 and isinstance(node.args[0], ast.Attribute)
            and isinstance(node.args[0].value, ast.Name) and node.args[0].value.id == "QVariant"
        ):  # fmt: skip
            add(node, "QT6-REMOVED", "a null QVariant(): use qgis.core.NULL")
    if isinstance(func, ast.Name) and func.id == "QDateTime" and len(node.args) == 8:
        add(node, "QT6-REMOVED", "QDateTime from 8 integers: use QDateTime(QDate(...), QTime(...))")
    if isinstance(func, ast.Attribute):
        if func.attr == "desktop" and not node.args:
            add(node, "QT6-REMOVED", "QApplication.desktop() is removed: use QScreen")
        if func.attr == "addAction" and len(node.args) >= 4:
            add(node, "QT6-REMOVED", "addAction with 4+ arguments is fragile in Qt 6: create "
                "the QAction, then addAction(action)")  # fmt: skip


def check_paths(paths: list[Path], root: Path) -> list[Qt6Finding]:
    """Check every ``*.py`` under ``paths``; finding paths are relative to ``root``."""
    out: list[Qt6Finding] = []
    for base in paths:
        files = [base] if base.is_file() else sorted(base.rglob("*.py"))
        for file in files:
            if "__pycache__" in file.parts:
                continue
            relative = file.resolve().relative_to(root.resolve()).as_posix()
            out.extend(check_source(file.read_text(encoding="utf-8"), relative))
    return out


if __name__ == "__main__":
    here = Path.cwd()
    found = check_paths([Path(arg) for arg in sys.argv[1:]] or [here], here)
    for finding in found:
        print(finding)
    print(f"{len(found)} Qt 6 finding(s)")
    sys.exit(1 if found else 0)
