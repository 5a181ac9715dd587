"""Field mappings: which source attributes hold the map sheet, parcel number, area, land use,
owner... (TOML files in ``core/data/cadastre_mappings``; data, not code)."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence, Union

from ..datafiles import DATA_DIR, data_file
from ..io.tabular import cell_text
from ..io.tomlfile import read_toml
from .errors import CadastreError

MAPPINGS_DIR = DATA_DIR / "cadastre_mappings"
DEFAULT_MAPPING = "vn_cadastre"
#: The parcel fields a mapping may fill (columns of ``cadastral_parcel``).
TARGET_FIELDS = ("sheet_no", "parcel_no", "commune_code", "land_use", "area_official_m2",
                 "owner", "sheet_edition")
NUMERIC_FIELDS = ("area_official_m2",)
#: DXF/DGN: an outline end within this distance (drawing units, m) of other linework is
#: joined to it, so a drafting gap does not lose the parcel (``[cad] snap_m``).
DEFAULT_SNAP_M = 0.1


@dataclass(frozen=True)
class FieldRule:
    """Where one parcel field comes from: the first present of ``sources``, optionally the
    first group of ``pattern`` matched in it, times ``scale`` for numbers."""

    target: str
    sources: tuple[str, ...] = ()
    pattern: re.Pattern | None = None
    scale: float = 1.0
    value: Any = None  # a constant (when no source is given)


@dataclass(frozen=True)
class FieldMapping:
    name: str
    path: Path
    rules: Mapping[str, FieldRule]
    layer: str | None = None
    label_pattern: re.Pattern | None = None  # DXF/DGN: parcel label text inside a polygon
    cad_layers: tuple[str, ...] = ()  # DXF layers / DGN levels read (empty: all)
    cad_snap_m: float = DEFAULT_SNAP_M  # DXF/DGN: line ends this close are joined
    description: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def resolve(self, columns: Sequence[str]) -> dict[str, str | None]:
        """Target field -> the source column used (None: not in this file)."""
        lower = {c.lower(): c for c in columns}
        out = {}
        for target, rule in self.rules.items():
            out[target] = next((lower[s.lower()] for s in rule.sources if s.lower() in lower),
                               None)
        return out


def mapping_path(name_or_path: Union[str, Path, None]) -> Path:
    return data_file(name_or_path or DEFAULT_MAPPING, MAPPINGS_DIR)


def shipped_mappings() -> list[str]:
    return sorted(p.stem for p in MAPPINGS_DIR.glob("*.toml"))


def _regex(text: Any, where: str) -> re.Pattern:
    try:
        return re.compile(str(text))
    except re.error as exc:
        raise CadastreError(f"{where}: pattern {text!r} is not a valid regular expression: "
                            f"{exc}") from None


#: A ``scale`` turns the source's unit into m²: from 1e-6 (mm²) to 1e6 (km²).
SCALE_RANGE = (1e-6, 1e6)


def _table(data: Mapping, key: str, path: Path) -> Mapping:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise CadastreError(f"{path}: {key} = {value!r} must be a table ([{key}])")
    return value


def _scale(value: Any, where: str) -> float:
    """A rule's ``scale``: a number within :data:`SCALE_RANGE` (10000 for hectares)."""
    try:
        scale = float(value) if not isinstance(value, bool) else float("nan")
    except (TypeError, ValueError):
        scale = float("nan")
    if not SCALE_RANGE[0] <= scale <= SCALE_RANGE[1]:  # also nan, inf, 0, negatives
        raise CadastreError(f"{where}: scale = {value!r} must be a number from "
                            f"{SCALE_RANGE[0]:g} to {SCALE_RANGE[1]:g} (the m² in one unit of "
                            "the source: 10000 for hectares)")
    return scale


def _constant(value: Any, where: str) -> str:
    """A rule's constant ``value`` as the text a file's cell would give (``13297`` and
    ``13297.0`` as ``13297``, a TOML date as ``2024-01-01``)."""
    ok = (isinstance(value, (str, int, dt.date, dt.datetime)) and not isinstance(value, bool)
          or isinstance(value, float) and math.isfinite(value))
    text = unicodedata.normalize("NFC", cell_text(value)).strip() if ok else ""
    if not text:
        raise CadastreError(f"{where}: value = {value!r} must be a text, a number or a date")
    return text


def load_mapping(name_or_path: Union[str, Path, None] = None) -> FieldMapping:
    """Load a field mapping by name (``vn_cadastre``, ``fr_edigeo``, ``nl_inspire``) or path."""
    path = mapping_path(name_or_path)
    if not path.exists() and not Path(str(name_or_path or "")).suffix:
        raise CadastreError(f"field mapping {name_or_path!r} not found; shipped: "
                            f"{', '.join(shipped_mappings())} (or give a .toml path)")
    data = read_toml(path, CadastreError, "field mapping")
    fields = data.get("fields")
    if not isinstance(fields, Mapping) or not fields:
        raise CadastreError(f"{path}: no [fields.<name>] tables")
    rules = {}
    for target, spec in fields.items():
        where = f"{path}: [fields.{target}]"
        if target not in TARGET_FIELDS:
            raise CadastreError(f"{where}: unknown parcel field (known: "
                                f"{', '.join(TARGET_FIELDS)})")
        if not isinstance(spec, Mapping):
            raise CadastreError(f"{where}: must be a table with source = [...]")
        sources = spec.get("source", ())
        sources = (sources,) if isinstance(sources, str) else sources
        if not isinstance(sources, (list, tuple)) or not all(isinstance(s, str)
                                                             for s in sources):
            raise CadastreError(f"{where}: source = {sources!r} must be a column name or a "
                                "list of column names (text)")
        sources = tuple(sources)
        if not sources and "value" not in spec:
            raise CadastreError(f"{where}: needs source = [...] or value = ...")
        scale = _scale(spec.get("scale", 1.0), where)
        pattern = _regex(spec["pattern"], where) if "pattern" in spec else None
        if pattern is not None and pattern.groups < 1:
            raise CadastreError(f"{where}: pattern {pattern.pattern!r} needs a (group)")
        value = _constant(spec["value"], where) if "value" in spec else None
        rules[target] = FieldRule(target, sources, pattern, scale, value)
    for required in ("sheet_no", "parcel_no"):
        if required not in rules:
            raise CadastreError(f"{path}: [fields.{required}] is required")
    head = _table(data, "mapping", path)
    cad = _table(data, "cad", path)
    layer = head.get("layer")
    if layer is not None and (isinstance(layer, bool) or not isinstance(layer, (str, int))):
        raise CadastreError(f"{path}: [mapping] layer = {layer!r} must be a layer name")
    label = (_regex(cad["label_pattern"], f"{path}: [cad]") if "label_pattern" in cad
             else None)
    layers = cad.get("layers", ())
    layers = (layers,) if isinstance(layers, (str, int)) else layers
    if not isinstance(layers, (list, tuple)):
        raise CadastreError(f"{path}: [cad] layers must be a list of layer names")
    try:
        snap = float(cad.get("snap_m", DEFAULT_SNAP_M))
    except (TypeError, ValueError):
        snap = -1.0
    if not (0.0 <= snap <= 10.0):
        raise CadastreError(f"{path}: [cad] snap_m {cad.get('snap_m')!r} must be a distance "
                            "from 0 to 10 m")
    return FieldMapping(name=str(head.get("name", path.stem)), path=path, rules=rules,
                        layer=None if layer is None else str(layer), label_pattern=label,
                        cad_layers=tuple(str(v) for v in layers), cad_snap_m=snap,
                        description=str(head.get("description", "")))
