"""Building footprints for the overlay: read from a vector file (one layer of it, chosen),
taken as polygons whatever the file holds them as (arcs, a drawing's closed polylines, a
geometry collection), one building per polygon part, checked against the province and moved
into the provincial grid."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
from shapely import wkb as shapely_wkb
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon
from shapely.ops import polygonize, transform, unary_union

from ..io.errors import FileError
from ..io.paths import input_file
from ..spatial_index import query_indices, strtree
from .errors import CadastreError

#: How a face names the layer of a multi-layer buildings file (the CLI's option).
LAYER_ADVICE = "--buildings-layer NAME, or FILE|layername=NAME"
#: How a face names the CAD layers (DXF layers, DGN levels) of a buildings drawing.
CAD_ADVICE = "--buildings-cad-layer NAME (repeat), or FILE|cadlayer=NAME"
#: GDAL drivers whose single layer is a drawing: each entity carries its CAD layer (level).
DRAWING_DRIVERS = ("DXF", "DGN", "DGNV8", "CAD", "DWG")
#: A line whose ends lie within this (m) is a closed outline left open by the drawing (a
#: snap missed by a few millimetres), read as a polygon; a wider gap is no outline.
CLOSE_GAP_M = 0.05
#: A footprint with this share of its area within another's outline lies inside it (a
#: house's HATCH, which GDAL reads as a polygon, drawn to the outline or the walls' inner
#: face; a stair well; an inner outline; a house whose rear wall or steps stick a little
#: out of its lot wall).
INSIDE_SHARE = 0.95
#: An inner footprint under this area (m²) is a small part of the outline holding it (a
#: stair well, a light well), whatever its share of it; a house is larger.
SMALL_PART_M2 = 25.0
#: Small parts are merged only into an outline of a house's size (m²: a 1:200 sheet frame
#: covers 10,000 m²) holding at most this many of them; a larger outline, or more, is an
#: enclosure (a frame, a yard wall around kiosks).
HOUSE_M2 = 5_000.0
PART_COUNT = 3
#: Two footprints whose symmetric difference holds nothing wider than this (m, whatever
#: the file's CRS: old brick walls are 0.22 to 0.45 m thick) are the same building drawn
#: twice (a copy, a HATCH traced or shifted off its outline, a fill to the walls' inner
#: face); a yard, a stair well, a courtyard is wider.
WALL_M = 0.5
#: Two footprints of a size (the smaller at least this share of the larger), overlapping by
#: at least :data:`MOVED_OVERLAP` of the smaller, each sticking out of the other about as
#: much (at least :data:`MOVED_BALANCE` of what the other does), each within :data:`MOVED_M`
#: (m) of the other, are one building moved off itself (an old outline beside a new survey,
#: a HATCH left where the outline was moved or turned); a house sticking out of its lot
#: wall, two houses overlapping by half their width, are not.
SAME_SIZE = 0.9
#: Two buildings kept that still overlap by this share of the smaller are noted (both
#: counted: one building drawn twice beyond what the rules read, a house sticking out of
#: its lot wall, a kiosk across a shed's wall); neighbours overlapping by a wall are not.
OVERLAP_NOTED = 0.2
MOVED_OVERLAP = 0.5
MOVED_BALANCE = 0.5
MOVED_M = 1.5
#: Areas compared to this many decimals (m²: 0.01), so float noise (1e-7 m² on a curved
#: route) never decides which of two outlines of one size is kept or charged.
TIE_DIGITS = 2
#: What OGR's DXF driver gives a HATCH entity in its ``SubClasses`` field.
HATCH_SUBCLASS = "acdbhatch"
#: Words that, as a CAD layer's whole name or its first word, say it holds the sheet frame.
FRAME_LAYER_WORDS = ("khung", "frame", "border")


def split_layer(path, layer: str | None = None) -> tuple[str, str | None]:
    """(file, layer) of ``path``, which may name its layer as QGIS does
    (``buildings.gpkg|layername=nha``); ``layer`` given wins."""
    text, _, options = str(path).partition("|")
    named = dict(part.split("=", 1) for part in options.split("|") if "=" in part)
    return text, (layer or named.get("layername") or None)


def read_buildings(path, profile, area=None, layer: str | None = None,
                   advice: str = LAYER_ADVICE, cad_layers=None,
                   cad_advice: str = CAD_ADVICE) -> gpd.GeoDataFrame:
    """The building polygons of one layer of a vector file (any format GDAL reads; ``path``
    may end in ``|layername=NAME`` and ``|cadlayer=A,B``), checked against the province
    (``area`` as in :func:`buildings_in_grid`) and moved into the grid. The layer: ``layer``,
    else the file's only layer with geometries; a file with several is refused naming them
    (``advice``: how the face names one). Of a drawing (a DXF, a DGN: one layer whose
    entities carry their CAD layer or level), only the CAD layers ``cad_layers`` are read
    (:func:`buildings_in_grid`). Arcs are linearised, closed lines (a drawing's outlines)
    and the polygons of a geometry collection taken as polygons; attributes are not read (a
    Shapefile's text in any encoding is no reason to refuse it)."""
    file, wanted = split_layer(path, layer)
    cad_layers = list(cad_layers or ()) or split_cad_layers(path)
    file = input_file(file, "buildings file")
    name, crs, geometries, cad, hatch = _read_layer(file, wanted, advice)
    return buildings_in_grid(f"{file} (layer {name})" if wanted else str(file), geometries,
                             crs, profile, area, cad=cad, cad_layers=cad_layers,
                             cad_advice=cad_advice, hatch=hatch)


def split_cad_layers(path) -> list[str]:
    """The CAD layers named by ``path``'s ``|cadlayer=A,B`` (empty when none)."""
    _, _, options = str(path).partition("|")
    named = dict(part.split("=", 1) for part in options.split("|") if "=" in part)
    return [v.strip() for v in named.get("cadlayer", "").split(",") if v.strip()]


def cad_layer_field(names) -> str | None:
    """The field of a drawing's entities that holds their DXF layer or DGN level, if any."""
    for name in names:
        if str(name).lower() in ("layer", "level"):
            return name
    return None


def subclass_field(names) -> str | None:
    """The field of a DXF's entities that holds their entity classes (OGR's
    ``SubClasses``: ``AcDbEntity:AcDbHatch``), if any."""
    return next((name for name in names if str(name).lower() == "subclasses"), None)


def is_hatch(subclasses) -> bool:
    """Whether an entity's ``SubClasses`` value says it is a HATCH (a fill)."""
    return HATCH_SUBCLASS in str(subclasses or "").lower()


def _read_layer(path: Path, wanted: str | None, advice: str):
    """(layer name, its CRS or None, its geometries as 2D shapely shapes or None, each
    feature's CAD layer or None when the layer is no drawing, whether each feature is a
    HATCH or None when the layer has no entity classes)."""
    from osgeo import gdal, ogr

    from .reader import gdal_failures, parse_crs

    with gdal_failures() as failures:
        source = gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_READONLY)
        if source is None:
            raise FileError(f"{path}: not a readable buildings file: "
                            f"{failures[0] if failures else 'GDAL cannot open it'}")
        layers = [source.GetLayerByIndex(i) for i in range(source.GetLayerCount())]
        names = [lay.GetName() for lay in layers]
        if wanted:
            chosen = [lay for lay in layers if lay.GetName().lower() == wanted.lower()]
            if not chosen:
                raise CadastreError(f"{path}: no layer {wanted!r} (layers: "
                                    f"{', '.join(names) or 'none'})")
        else:
            chosen = [lay for lay in layers if lay.GetGeomType() != ogr.wkbNone]
            if len(chosen) > 1:
                raise CadastreError(f"{path}: {len(chosen)} layers with geometries "
                                    f"({', '.join(lay.GetName() for lay in chosen)}); name "
                                    f"the buildings layer ({advice})")
            if not chosen:
                raise CadastreError(f"{path}: no layer with geometries (layers: "
                                    f"{', '.join(names) or 'none'})")
        layer = chosen[0]
        defn = layer.GetLayerDefn()
        drawing = source.GetDriver().ShortName.upper() in DRAWING_DRIVERS
        fields = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
        field = cad_layer_field(fields) if drawing else None
        kind = subclass_field(fields) if drawing else None
        geometries, cad, hatch = [], [], []
        for feature in layer:
            geometries.append(footprint(feature.GetGeometryRef()))
            cad.append(str(feature.GetField(field) or "").strip() if field else None)
            hatch.append(is_hatch(feature.GetField(kind)) if kind else False)
        if failures:
            raise FileError(f"{path}: not a readable buildings file: layer "
                            f"{layer.GetName()!r} breaks off after feature "
                            f"{len(geometries)} ({failures[0]})")
        srs = layer.GetSpatialRef()
        crs = (parse_crs(srs.ExportToWkt(), f"{path}: declared CRS") if srs is not None
               else None)
        return (layer.GetName(), crs, geometries, (cad if field else None),
                (hatch if kind else None))


def footprint(geom):
    """An OGR geometry as a 2D shapely geometry (arcs linearised by GDAL), None for none."""
    if geom is None:
        return None
    flat = geom.GetLinearGeometry()
    flat.FlattenTo2D()
    return shapely_wkb.loads(bytes(flat.ExportToIsoWkb()))


def _polygons(shape, gap: float):
    """The polygons of ``shape``: its polygons, its lines whose ends lie within ``gap``
    (closed), a collection's of both."""
    kind = shape.geom_type
    if shape.is_empty:
        return
    if kind == "Polygon":
        yield shape
    elif kind == "MultiPolygon":
        yield from shape.geoms
    elif kind in ("LineString", "LinearRing"):
        coords = list(shape.coords)
        closed = coords[0] == coords[-1]
        if len(coords) >= (4 if closed else 3) and (
                closed or Point(coords[0]).distance(Point(coords[-1])) <= gap):
            yield Polygon(coords)
    else:
        for part in getattr(shape, "geoms", ()):
            yield from _polygons(part, gap)


class _Groups:
    """Items 0..n-1 joined into groups (union-find): :meth:`join` two, :meth:`root` of one,
    :meth:`members` of each group (root -> items, in item order)."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def root(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        self.parent[self.root(j)] = self.root(i)

    def members(self) -> dict:
        out: dict = {}
        for i in range(len(self.parent)):
            out.setdefault(self.root(i), []).append(i)
        return out


def _touching_groups(shape) -> list:
    """The polygons of ``shape`` grouped where they touch (the two halves of a repaired
    bow-tie meet at a point: one building), each group one (multi)polygon."""
    polygons = [p for p in getattr(shape, "geoms", [shape])
                if p.geom_type == "Polygon" and not p.is_empty]
    if len(polygons) < 2:
        return polygons
    tree = strtree(polygons)
    groups = _Groups(len(polygons))
    for i, polygon in enumerate(polygons):
        for j in query_indices(tree, polygon):
            if j > i and polygon.intersects(polygons[j]):
                groups.join(i, j)
    return [polygons[m[0]] if len(m) == 1 else MultiPolygon([polygons[i] for i in m])
            for m in groups.members().values()]


def _on_cad_layers(name: str, geometries: list, cad, wanted, advice: str) -> list:
    """The 1-based rows of ``geometries`` to read as buildings: every row, or of a drawing
    (``cad``: each row's CAD layer) the rows on the CAD layers ``wanted``; a drawing whose
    outlines lie on several CAD layers and none named is refused, naming them."""
    rows = list(range(1, len(geometries) + 1))
    if cad is None:
        if wanted:
            raise CadastreError(f"{name}: not a drawing with CAD layers; the CAD layers "
                                f"named ({', '.join(wanted)}) cannot be chosen")
        return rows
    counts: dict = {}
    for row in rows:
        if geometries[row - 1] is not None and not geometries[row - 1].is_empty:
            counts[cad[row - 1]] = counts.get(cad[row - 1], 0) + 1
    listed = ", ".join(f"{layer or '(none)'} ({n})" for layer, n in sorted(counts.items()))
    if wanted:
        keys = {w.strip().lower() for w in wanted}
        missing = [w for w in wanted if w.strip().lower() not in
                   {str(c).lower() for c in counts}]
        if missing:
            raise CadastreError(f"{name}: no CAD layer {', '.join(missing)} (CAD layers and "
                                f"their entities: {listed or 'none'})")
        return [row for row in rows if str(cad[row - 1]).lower() in keys]
    if len(counts) > 1:
        raise CadastreError(f"{name}: a drawing with entities on {len(counts)} CAD layers "
                            f"({listed}); name the buildings' CAD layer ({advice})")
    return rows


def frame_layer(name) -> bool:
    """Whether a CAD layer's name says it holds the sheet frame: one of
    :data:`FRAME_LAYER_WORDS` as the whole name or its first word (``KHUNG``, ``KHUNG_BD``,
    ``Frame-1``; not ``NHA_KHUNG_THEP``, a steel-frame house)."""
    words = re.split(r"[^0-9a-z]+", str(name or "").strip().lower())
    return bool(words) and words[0] in FRAME_LAYER_WORDS


def _in_metres(crs, profile):
    """polygon -> the polygon in the profile's grid (metres), the polygon in ``crs`` (None:
    undeclared, read as metres), so a footprint's size does not hang on the file's CRS."""
    from .placement import _grid_mover, grid_crs

    grid = grid_crs(profile)
    if crs is None or crs.equals(grid) or crs.to_epsg(min_confidence=90) == grid.to_epsg():
        return lambda polygon: polygon
    move = _grid_mover(crs, profile)
    return lambda polygon: transform(move, polygon)


def _fills(inner, outline) -> bool:
    """Whether ``inner``'s outer ring, widened by :data:`WALL_M` (mitred: a corner's wall
    too), covers ``outline``: a fill leaving out courtyard islands (metres; a fill without
    islands is the same building, :func:`_same_buildings`)."""
    rings = unary_union([Polygon(p.exterior) for p in getattr(inner, "geoms", [inner])])
    rest = outline.difference(rings.buffer(WALL_M, join_style=2))
    return rest.area <= 1e-6 * outline.area


def _nesting(found: dict, cad, named=(), metres=None, hatch=None) -> tuple:
    """Footprints of ``found`` (row -> [(polygon, why)]) that are one building with others.
    First the same building drawn twice (:func:`_same_buildings`: nothing wider than
    :data:`WALL_M` between them: a copy, a HATCH traced or shifted off its outline, a fill to
    the walls' inner face): merged into the one kept (no HATCH, else the larger), noted.
    Then footprints lying inside others: at least :data:`INSIDE_SHARE` of a footprint within
    another's polygon (:func:`_inside`), its holes not filled (a
    kiosk standing in a building's courtyard is a building of its own). Geometry
    cannot tell a stair well in a house from a kiosk in a yard, so the rule reads what the
    drawing says (HATCH entities, frame CAD layers), weighs sizes, not shares, and names
    each outline it had to read (``readings``). Innermost first (a house has taken its
    hatch and wells, a frame inside a frame is left out, before the outer outline is
    weighed), areas in m² (``metres``: polygon -> the polygon in metres; None: as it is),
    an outline O holding inner footprints is:

    a. its fill: its only separate HATCH (``hatch``: whether each row is one; None: none
       is), O at most :data:`HOUSE_M2` (:func:`_own_hatches`), merged whatever its share (a
       hatch over half a house); several separate hatches, or hatches in a larger O, are
       houses drawn as HATCH only, weighed by c-e as inner footprints; a hatch with no
       outline around it is a building; an outline's fill or copy is not weighed as an
       outline: what it holds goes to O;
    b. a sheet frame, left out: on a frame CAD layer (:func:`frame_layer`) the user did not
       name (``named``: the CAD layers named; none, every layer);
    c. ``part``: the other inner footprints under :data:`SMALL_PART_M2` (a stair well, a
       light well), at most :data:`PART_COUNT`, O at most :data:`HOUSE_M2`, and no larger
       one: merged into O whatever their share (a 3 m² well in a 60 m² tube house);
    d. ``fill``: exactly one larger inner footprint F (with c's parts beside it) whose outer
       ring widened by :data:`WALL_M` covers O: O's fill leaving out courtyard islands
       (a fill without islands was merged first as the same building), merged;
       ``hatched``: the larger inner footprints lie in a HATCH of O (its rooms): merged, O
       filled by the hatch;
    e. ``enclosure``: else (several house-size footprints, one with a yard around it): a
       lot wall, a block outline, a frame: left out, the inner footprints the buildings.

    Footprints of one building and O's own hatch are merged without a reading (adding
    nothing to O); an outline whose inner footprints another took first is weighed with
    that one. An outline left out by b or e that had outlines merged into it as moved off
    it (a lot wall with the house built out past it) takes them out with it no more: they
    stand as buildings again and all is read anew (their copies within :data:`WALL_M` go
    with them; the left-out outline's own copies go with it).
    Returns (the rows of
    the outlines left out, (row kept, row merged into it) for each footprint merged from
    another row, the readings: (kind, O's row, O's m², [(inner building, its m²)]: the
    building its row, or ``row.n`` for a part of a row cut by party walls) for each
    outline decided by c, d or e), the footprints merged as moved off the one kept: (kept
    building, its m² with what it took, [(other building, its m² with what the kept one
    took besides its own outline, its building row: ``row``, ``building``, ``parts``,
    ``repaired``, ``geometry`` as ``found`` holds it joined with what the kept one took,
    the rows merged into it first, its own outline's m²)]) per kept one that stays a
    building, and (row left out, [rows that stand again]) per outline left out whose
    moved outlines stand as buildings again; rows left with no footprint leave ``found``."""
    flat = [(row, part, why) for row, parts in found.items() for part, why in parts]
    if len(flat) < 2:
        return [], [], [], [], []
    parts = [part for _, part, _ in flat]
    grid = [metres(part) for part in parts] if metres else parts
    fill = [bool(hatch is not None and hatch[row - 1]) for row, _, _ in flat]
    apart: dict = {}  # outline left out -> its moved alternatives, standing again
    while True:
        frames, shape, pairs, readings, others, moved = _nested_once(
            flat, parts, grid, fill, cad, named, metres, apart)
        lost = {k: moved[k] for k in frames if k in moved and k not in apart}
        if not lost:
            break
        apart.update(lost)
    for row in found:
        found[row] = []
    for i in sorted(shape):
        row, _, why = flat[i]
        found[row].append((shape[i], why))
    for row in [row for row, kept in found.items() if not kept]:
        del found[row]
    back = sorted((flat[k][0], sorted({flat[i][0] for i, _ in alternatives} - {flat[k][0]}))
                  for k, alternatives in apart.items())
    return (sorted({flat[k][0] for k in frames}), pairs, readings, others,
            [(row, rows) for row, rows in back if rows])


def _nested_once(flat, parts, grid, fill, cad, named, metres, apart) -> tuple:
    """One pass of :func:`_nesting` with the outlines ``apart`` (indices of ``flat``)
    merging nothing as moved off them: (the outlines left out, as indices; each footprint
    kept -> its polygon with what it took; the (row kept, row merged) pairs; the readings;
    the moved alternatives per kept building; every kept footprint -> its moved
    alternatives, :func:`_same_buildings`)."""
    same, moved = _same_buildings(grid, fill, apart)  # i -> the footprint it is the same as
    left = [i for i in range(len(flat)) if i not in same]  # merged first: out of the rest
    inside = [set() for _ in flat]  # i -> the footprints whose polygon i lies inside
    for n, outer in enumerate(_inside([grid[i] for i in left])):
        inside[left[n]] = {left[m] for m in outer}

    def copies(i, k):
        return k in inside[i] and i in inside[k]

    def within(i, k):  # i lies inside k; of copies, a hatch in the outline, else row order
        return k in inside[i] and (not copies(i, k) or (
            fill[i] and not fill[k]) or (fill[i] == fill[k] and k < i))

    keys = {str(name).strip().lower() for name in named or ()}

    def frame_named(k):
        layer = cad[flat[k][0] - 1] if cad is not None else None
        return (layer is not None and frame_layer(layer)
                and (not keys or str(layer).strip().lower() not in keys))

    holds = [set() for _ in flat]  # k -> the footprints lying inside it
    for i, outer in enumerate(inside):
        for k in outer:
            if within(i, k):
                holds[k].add(i)
    own = [_own_hatches(k, holds[k], fill, within, grid[k].area) for k in range(len(flat))]
    order = sorted(range(len(flat)), key=lambda i: (
        -sum(within(i, k) for k in inside[i]), grid[i].area, i))
    shape = dict(enumerate(parts))  # each footprint kept, with the ones merged into it
    metric = dict(enumerate(grid))  # the same in metres
    frames, into, taken, readings = set(), {}, {}, []
    took: dict = {}  # k -> (polygons, in metres) of what k took not being its own outline's
    for i, k in same.items():
        del shape[i], metric[i]
        taken[i] = k
        into.setdefault(k, []).append(i)

    def holder(i):  # the footprint that took i (itself when none did)
        while i in taken:
            i = taken[i]
        return i

    for k in order:  # innermost first: a house takes its hatch before a frame is weighed
        if k not in shape:
            continue
        # what k holds, or the footprint that took it (a HATCH traced past its outline)
        inner = sorted(m for m in {holder(i) for i in holds[k]}
                       if m != k and m in shape and not within(k, m))
        if not inner:
            continue
        if frame_named(k):
            kind = "frame"
        elif any(m in shape and not fill[m] and not frame_named(m) and within(k, m)
                 and (copies(k, m) or k in own[m]) for m in inside[k]):
            continue  # an outline's fill or copy: what it holds goes to the outline
        else:
            kind, direct = _reading(k, inner, own[k], copies, within, inside, metric,
                                    grid[k])
            if kind:
                readings.append((kind, k, direct))
        if kind in ("frame", "enclosure"):
            frames.add(k)  # a frame, a lot wall: the inner ones are the buildings
            del shape[k], metric[k]
            continue
        grown = [i for i in inner if i not in own[k] and not copies(i, k)]  # its fill adds nothing
        ours, theirs = took.get(k, ([], []))
        took[k] = (ours + [shape[i] for i in grown], theirs + [metric[i] for i in grown])
        shape[k] = unary_union([shape[k]] + [shape[i] for i in grown])
        metric[k] = unary_union([metric[k]] + [metric[i] for i in grown]) if metres else shape[k]
        into[k] = into.get(k, []) + inner + [m for i in inner for m in into.pop(i, [])]
        for i in inner:
            del shape[i], metric[i]
            taken[i] = k
    pairs = sorted({(flat[k][0], flat[i][0]) for k, members in into.items() for i in members
                    if flat[i][0] != flat[k][0]})
    names = _part_names(flat, shape)
    readings = sorted(((kind, flat[k][0], round(grid[k].area, 1),
                        _held(direct, names, metric, grid))
                       for kind, k, direct in readings), key=lambda reading: reading[1])
    footprints = {}
    for row, _, _ in flat:
        footprints[row] = footprints.get(row, 0) + 1

    def alternative(k, i, followers):  # outline i in k's place, taking what k took
        ours, theirs = took.get(k, ([], []))
        geom = unary_union([parts[i]] + ours) if ours else parts[i]
        m2 = unary_union([grid[i]] + theirs).area if theirs else grid[i].area
        row, _, why = flat[i]
        return (str(names[i]), m2, {"row": row, "building": str(names[i]),
                                    "parts": footprints[row], "repaired": why,
                                    "geometry": geom},
                sorted({flat[m][0] for m in followers} - {flat[k][0], row}),
                round(grid[i].area, 1))

    others = [(str(names[k]), metric[k].area,
               [alternative(k, i, followers) for i, followers in alternatives])
              for k, alternatives in sorted(moved.items()) if k in shape]
    return frames, shape, pairs, readings, others, moved


def _same_buildings(grid: list, fill: list, apart=()) -> tuple[dict, dict]:
    """i -> the footprint of ``grid`` (polygons in metres) that footprint i is the same
    building as: two footprints are one building drawn twice (a copy, a HATCH traced,
    shifted or turned off its outline, a fill to the walls' inner face, an old outline
    beside a new survey of it) when each lies within :data:`WALL_M` of the other and their
    symmetric difference holds nothing wider (eroded by half of it, nothing is left), or,
    of the buildings so kept, when one is the other moved off itself (:func:`_overlapping`);
    of each group the one kept is no HATCH (``fill``: whether each is one), else the
    larger (to :data:`TIE_DIGITS` decimals of m²), else the earlier. Also: kept ->
    [(other footprint merged as moved off it: an outline, or a HATCH more than
    :data:`WALL_M` off every outline, a house drawn as a HATCH only; the footprints merged
    into that one first)]: geometry cannot tell a resurvey moved off itself from a house
    built out past its lot wall, so the overlay charges the one taking more road land
    (:func:`buildings_in_grid`). A lot wall with a
    yard (a house sticking out of it too), a house and its stair well, two neighbours, two
    thin walls apart, an outline and a hatch with a courtyard island are not the same
    building."""
    tree = strtree(grid)
    areas = [part.area for part in grid]
    edges = [part.length for part in grid]
    groups = _Groups(len(grid))
    root = groups.root
    for i, part in enumerate(grid):  # first: within WALL_M of each other
        for j in query_indices(tree, part):
            if j <= i or root(i) == root(j):
                continue
            # a set nothing wider than WALL_M fits in covers at most WALL_M times its edges;
            # the symmetric difference is at least |a - b|
            most = WALL_M * (edges[i] + edges[j])
            if abs(areas[i] - areas[j]) <= most and _within_wall(part, grid[j], most):
                groups.join(i, j)

    def kept_of():
        return {r: min(m, key=lambda i: (fill[i], -round(areas[i], TIE_DIGITS), i))
                for r, m in groups.members().items()}

    kept = kept_of()  # then: the buildings kept so far overlapping by most of the smaller
    first = {i: kept[root(i)] for i in range(len(grid))}  # i -> its copy kept so far
    ones = sorted(kept.values())
    tree = strtree([grid[k] for k in ones])
    for n, k in enumerate(ones):
        for m in query_indices(tree, grid[k]):
            if m > n and root(k) != root(ones[m]) and k not in apart and (
                    ones[m] not in apart) and _overlapping(
                    grid[k], grid[ones[m]], areas[k], areas[ones[m]]):
                groups.join(k, ones[m])
    kept = kept_of()
    moved: dict = {}  # kept -> the other outlines merged into it as moved off it
    for k in ones:
        top = kept[root(k)]
        if k != top:
            moved.setdefault(top, []).append(
                (k, [i for i in range(len(grid)) if first[i] == k and i != k]))
    return {i: kept[root(i)] for i in range(len(grid)) if kept[root(i)] != i}, moved


def _within_wall(a, b, most: float) -> bool:
    """Whether footprints ``a`` and ``b`` (in metres) lie within :data:`WALL_M` of each other
    and their symmetric difference (at most ``most`` m²) holds nothing wider."""
    rest = a.symmetric_difference(b)
    if rest.area <= 1e-6:
        return True
    return (rest.area <= most and rest.buffer(-WALL_M / 2, join_style=2).area <= 1e-6
            and a.buffer(WALL_M, join_style=2).covers(b)
            and b.buffer(WALL_M, join_style=2).covers(a))


def _overlapping(a, b, area_a: float, area_b: float) -> bool:
    """Whether footprints ``a`` and ``b`` (in metres) are one building moved off itself: of
    a size (:data:`SAME_SIZE`), overlapping by :data:`MOVED_OVERLAP` of the smaller or more,
    each sticking out of the other about as much (:data:`MOVED_BALANCE`: a house lying in
    its lot wall, or sticking a little out of it, does not), each within :data:`MOVED_M` of
    the other."""
    small = min(area_a, area_b)
    if small <= 0 or small < SAME_SIZE * max(area_a, area_b):
        return False
    common = a.intersection(b).area
    if common < MOVED_OVERLAP * small:
        return False
    out_a, out_b = area_a - common, area_b - common
    return (min(out_a, out_b) >= MOVED_BALANCE * max(out_a, out_b)
            and a.buffer(MOVED_M, join_style=2).covers(b)
            and b.buffer(MOVED_M, join_style=2).covers(a))


def _inside(grid: list) -> list:
    """i -> the footprints of ``grid`` (polygons in metres) that footprint i lies inside:
    :data:`INSIDE_SHARE` of its area within the other's polygon (its holes not filled)."""
    tree = strtree(grid)
    inside = [set() for _ in grid]
    for i, part in enumerate(grid):
        for j in query_indices(tree, part):
            if j != i and grid[j].intersection(part).area >= INSIDE_SHARE * part.area:
                inside[i].add(j)
    return inside


def _own_hatches(k, held, fill, within, area) -> set:
    """The HATCH entities of ``held`` (the footprints lying inside outline ``k``) that are
    its fill: its only separate HATCH (with the hatches lying inside that one) when ``k``
    is at most :data:`HOUSE_M2`; none when it holds several separate ones or is larger
    (then the hatches are houses drawn as HATCH only, weighed as footprints). A HATCH
    lying in another footprint inside ``k`` (a house's own) is not ``k``'s."""
    hatches = [h for h in held if fill[h]]
    if not hatches or area > HOUSE_M2:
        return set()
    separate = [h for h in hatches if not any(within(h, m) for m in held if m != h)]
    if len(separate) != 1:
        return set()
    return {separate[0]} | {h for h in hatches if within(h, separate[0])}


def _part_names(flat: list, shape: dict) -> dict:
    """i -> the building name footprint i of ``flat`` goes by: its row, or ``row.n`` for
    the n-th part of a row that gives several (a part kept, in ``shape``, as
    :func:`buildings_in_grid` names it; a part merged, by its place in the row)."""
    every: dict = {}
    for i, (row, _, _) in enumerate(flat):
        every.setdefault(row, []).append(i)
    names = {}
    for row, members in every.items():
        kept = [i for i in members if i in shape]
        for n, i in enumerate(members, 1):
            group, place = (kept, kept.index(i) + 1) if i in shape else (members, n)
            names[i] = row if len(group) == 1 else f"{row}.{place}"
    return names


def _held(direct: list, names: dict, metric: dict, grid: list) -> list:
    """(building name, m²) of each inner footprint of a reading, each named once."""
    return [(names[i], round((metric[i] if i in metric else grid[i]).area, 1))
            for i in direct]


def _reading(k, inner, own, copies, within, inside, metric, outline) -> tuple[str, list]:
    """How :func:`_nesting` reads outline ``k`` (``outline``: its polygon in metres) holding
    the footprints ``inner`` (``metric``: each kept one in metres, with what it took;
    ``own``: its HATCH fill, :func:`_own_hatches`): (``part``, ``hatched``, ``fill``,
    ``enclosure``,
    or "" when it holds only its own hatch and copies; the inner footprints weighed, none
    inside another)."""
    rest = {i for i in inner if i not in own and not copies(i, k)}
    direct = [i for i in sorted(rest) if not any(m in rest and within(i, m) for m in inside[i])]
    if not direct:
        return "", direct
    small = [i for i in direct if metric[i].area < SMALL_PART_M2]
    large = [i for i in direct if metric[i].area >= SMALL_PART_M2]
    parts = not small or (outline.area <= HOUSE_M2 and len(small) <= PART_COUNT)
    if parts and not large:
        return "part", direct
    if parts and own and all(any(h in own and h in inside[i] for h in inner) for i in large):
        return "hatched", direct  # its rooms lie in its HATCH
    if parts and len(large) == 1 and _fills(metric[large[0]], outline):
        return "fill", direct  # its fill leaving out courtyard islands
    return "enclosure", direct


def _lines(shape) -> list:
    """The lines of ``shape`` (a line, a multi-line, a collection's)."""
    if shape is None or shape.is_empty:
        return []
    if shape.geom_type in ("LineString", "LinearRing"):
        return [shape]
    return [line for part in getattr(shape, "geoms", ()) for line in _lines(part)]


def _joined_outlines(open_lines: dict, gap: float) -> list:
    """The closed outlines that loose lines form (houses "exploded" into LINE entities):
    the lines of ``open_lines`` (row -> its open lines) with ends within ``gap`` snapped
    together, noded where they cross and joined into faces, each face an outline of its
    own (a wall between two faces is shared: a terrace of houses gives one per house, as
    its closed outlines would); returns (polygon, the rows with a line on it) for each."""
    ends = [Point(c) for lines in open_lines.values() for line in lines
            for c in (line.coords[0], line.coords[-1])]
    if not ends:
        return []
    tree = strtree(ends)
    snapped: dict = {}
    for i, end in enumerate(ends):
        if i not in snapped:
            for j in query_indices(tree, end.buffer(gap)):
                if j not in snapped and ends[j].distance(end) <= gap:
                    snapped[j] = end.coords[0]
    k, moved = 0, {}
    for row, lines in open_lines.items():
        moved[row] = []
        for line in lines:
            coords = list(line.coords)
            coords[0], coords[-1] = snapped[k], snapped[k + 1]
            k += 2
            if len(set(coords)) > 1:
                moved[row].append(LineString(coords))
    faces = list(polygonize(unary_union([line for lines in moved.values() for line in lines])))
    if not faces:
        return []
    rows = [row for row, lines in moved.items() if lines]
    tree = strtree([MultiLineString(moved[row]) for row in rows])
    joined = []
    for polygon in faces:
        near = polygon.buffer(gap)
        on = sorted(rows[i] for i in query_indices(tree, near)
                    if any(near.covers(line) for line in moved[rows[i]]))
        if on and polygon.geom_type == "Polygon" and polygon.area > 0:
            joined.append((polygon, on))
    return joined


def _extended(line: LineString, by: float) -> LineString:
    """``line`` with each end carried ``by`` further along its last segment (a wall's end
    that stops short of the outline by a snap's miss still crosses it)."""
    coords = list(line.coords)

    def beyond(end, before):
        dx, dy = end[0] - before[0], end[1] - before[1]
        length = (dx * dx + dy * dy) ** 0.5 or 1.0
        return (end[0] + dx / length * by, end[1] + dy / length * by)

    return LineString([beyond(coords[0], coords[1])] + coords[1:-1]
                      + [beyond(coords[-1], coords[-2])])


def _walls_across(found: dict, loose: dict, gap: float, hatch=None) -> list:
    """Loose lines of a drawing drawn across its closed outlines (a terrace drawn as one
    outline with its party walls as LINE entities): a line lying within an outline (no
    HATCH; ``hatch``: whether each row is one), each of its ends within ``gap`` of the
    outline or of another such line, is a wall; every footprint of ``found`` (row ->
    [(polygon, why)]) the walls cross, hatches too, is split into the faces they cut, each
    a building (a terrace gives one per house, as its closed outlines do). ``loose``: row
    -> its open lines. Returns (the outline's row, the rows of its walls) per outline
    split."""
    items = [(row, line) for row, lines in loose.items() for line in lines]
    keys = [(row, n) for row, parts in found.items() for n in range(len(parts))]
    if not items or not keys:
        return []
    polygons = [found[row][n][0] for row, n in keys]
    tree = strtree(polygons)
    walls: dict = {}  # index of an outline -> the items of its walls
    wide: dict = {}
    for j, (_, line) in enumerate(items):
        for i in query_indices(tree, line):
            if hatch is not None and hatch[keys[i][0] - 1]:
                continue
            if i not in wide:
                wide[i] = polygons[i].buffer(gap)
            if wide[i].covers(line):
                walls.setdefault(i, []).append(j)
    used, cut = {}, {}
    for i, members in walls.items():
        edge = polygons[i].boundary
        near = strtree([items[m][1] for m in members])  # each end against the lines by it
        ends = [j for j in members if all(
            _end_met(Point(end), j, edge, members, near, items, gap)
            for end in (items[j][1].coords[0], items[j][1].coords[-1]))]
        if ends:
            used[i] = ends
            cut.update({j: _extended(items[j][1], 2 * gap) for j in ends})
    if not cut:
        return []
    split_rows = set()
    lines_tree = strtree(list(cut.values()))
    lines = list(cut.values())
    for i, polygon in enumerate(polygons):
        crossing = [lines[m] for m in query_indices(lines_tree, polygon)
                    if polygon.intersection(lines[m]).length > gap]
        if not crossing:
            continue
        faces = [face for face in polygonize(unary_union([polygon.boundary] + crossing))
                 if face.area > 0 and polygon.contains(face.representative_point())]
        if len(faces) > 1:
            row, n = keys[i]
            why = found[row][n][1]
            found[row][n] = (faces, why)
            split_rows.add(i)
    for row in {keys[i][0] for i in split_rows}:
        found[row] = [(face, why) for part, why in found[row]
                      for face in (part if isinstance(part, list) else [part])]
    return sorted((keys[i][0], sorted({items[j][0] for j in ends}))
                  for i, ends in used.items() if i in split_rows)


def _end_met(point, j, edge, members, near, items, gap) -> bool:
    """Whether the end ``point`` of wall item ``j`` lies within ``gap`` of its outline's
    ``edge`` or of another line ``members`` of the outline (``near``: their STRtree)."""
    return edge.distance(point) <= gap or any(
        members[m] != j and items[members[m]][1].distance(point) <= gap
        for m in query_indices(near, point.buffer(gap)))


def overlapping_pairs(grid: list, names: list) -> list:
    """(building, building, overlap m², share of the smaller) for each two buildings of
    ``grid`` (polygons in metres, named ``names``) overlapping by :data:`OVERLAP_NOTED` of
    the smaller or more: both are counted, and the run says so; an overlap nothing wider
    than :data:`WALL_M` fits in is a wall drawn in both outlines (a row of 2 m kiosks), not
    noted."""
    tree = strtree(grid)
    out = []
    for i, part in enumerate(grid):
        for j in query_indices(tree, part):
            if j <= i:
                continue
            small = min(part.area, grid[j].area)
            shared = part.intersection(grid[j]) if small > 0 else None
            common = shared.area if shared is not None else 0.0
            if (small > 0 and common >= OVERLAP_NOTED * small
                    and shared.buffer(-WALL_M / 2, join_style=2).area > 1e-6):
                out.append((names[i], names[j], round(common, 1), common / small))
    return sorted(out, key=lambda o: (str(o[0]), str(o[1])))


def _what_was_found(geometries, rows) -> str:
    """What the rows ``rows`` hold, when none gave a polygon: ``22 open line(s)``, ..."""
    kinds: dict = {}
    for row in rows:
        geom = geometries[row - 1]
        kind = ("empty" if geom is None or geom.is_empty else
                "open line(s)" if _lines(geom) else
                "point(s)" if "Point" in geom.geom_type else "other")
        kinds[kind] = kinds.get(kind, 0) + 1
    return ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "no feature"


def buildings_in_grid(name: str, geometries, crs, profile, area=None, layer: bool = False,
                      cad=None, cad_layers=None, cad_advice: str = CAD_ADVICE,
                      hatch=None) -> gpd.GeoDataFrame:
    """Building footprints for the overlay: the polygons of ``geometries`` (shapely, in
    ``crs``, a pyproj CRS; None: undeclared) checked against the province as parcels are
    (:func:`~roadinfra.core.cadastre.placement.check_placement`, inside ``area``, a WGS 84
    polygon, if given: a wrong zone, a missing .prj is refused, not 0 encroachments) and
    moved into the provincial grid (:func:`~roadinfra.core.cadastre.placement.to_grid_frame`).
    A line whose ends lie within :data:`CLOSE_GAP_M` is closed (an outline left open by the
    drawing); the rows with no polygon (points, open lines, empty) are left out and listed
    in the frame's ``attrs["left_out"]``. An invalid footprint (a bow-tie) is repaired as
    the parcel import repairs it (:func:`~roadinfra.core.cadastre.quality.repaired`). The
    polygons of one footprint are merged (rooms sharing walls are one house), then each
    separate polygon is a building of its own (a dissolved layer holds a district's houses
    in one feature). Of a drawing (``cad``: each row's DXF layer or DGN level), only the
    rows on ``cad_layers`` are read; with none named, a drawing whose entities lie on
    several CAD layers is refused naming them (``cad_advice``: how the face names one); loose
    lines closing an outline (a house "exploded" into LINE entities) are joined into a
    polygon each, a wall shared by two faces giving two houses (their rows in
    ``attrs["joined"]``); loose lines across a closed outline (party walls) split it into
    a building per face (:func:`_walls_across`; ``attrs["walls"]``: (outline's row, the
    walls' rows)). Footprints lying inside others (:func:`_nesting`; ``hatch``:
    whether each row is a drawing's HATCH entity, None: none is): an outline taken for a
    sheet frame or an enclosure (a lot wall) is left out (its row in ``attrs["frames"]``);
    footprints that are parts of a building (its hatch, its fill, its stair wells) are
    merged into it, counted once (``attrs["same"]``: (row kept, row merged into it)); each
    outline read one way where the drawing could say another is in ``attrs["readings"]``
    (:func:`_nesting`); each building kept with another outline merged into it as moved
    off it (:func:`_same_buildings`), with that outline in the grid, in ``attrs["moved"]``
    (:func:`_moved_in_grid`: the overlay charges the one taking more road land); each
    outline left out whose moved outlines stand as buildings again, with their rows, in
    ``attrs["apart"]``.
    The
    frame's ``row`` column holds each building's 1-based row in
    ``geometries``, ``building`` its name (``12``, or ``12.2`` for the second part of row
    12), ``parts`` how many buildings its row gave, ``repaired`` whether its footprint was
    repaired. A CadastreError names ``name`` when there is no polygon; ``layer``: ``name`` is
    a QGIS layer (the refusal's advice says so)."""
    from .placement import check_buildings, to_grid_frame
    from .quality import repaired
    from .reader import ParcelSet

    geometries = list(geometries)
    gap = CLOSE_GAP_M if crs is None or not crs.is_geographic else CLOSE_GAP_M / 111_320.0
    found: dict = {}  # row -> [(a separate polygon, why its footprint was repaired)]
    left_out, open_lines = [], {}
    read = _on_cad_layers(name, geometries, cad, cad_layers, cad_advice)
    for row in read:
        geom = geometries[row - 1]
        valid_parts, reasons = [], []
        for part in _polygons(geom, gap) if geom is not None else ():
            valid, was_invalid, why = repaired(part)
            if valid is not None:  # else nothing of it has an area
                valid_parts.append(valid)
                if was_invalid:
                    reasons.append(why)
        if not valid_parts:
            left_out.append(row)
            if cad is not None and _lines(geom):
                open_lines[row] = _lines(geom)
            continue
        merged = valid_parts[0] if len(valid_parts) == 1 else unary_union(valid_parts)
        why = reasons[0] if reasons else ""
        found[row] = [(p, why) for p in _touching_groups(merged)]
    joined = []
    for polygon, rows in _joined_outlines(open_lines, gap) if open_lines else ():
        valid, was_invalid, why = repaired(polygon)
        if valid is None:
            continue
        key = next((row for row in rows if row not in found), rows[0])  # a row per face
        found.setdefault(key, []).extend(
            (p, why if was_invalid else "") for p in _touching_groups(valid))
        left_out = [row for row in left_out if row not in rows]
        joined.append(rows)
    loose = {row: open_lines[row] for row in left_out if row in open_lines}
    walls = _walls_across(found, loose, gap, hatch) if loose and found else []
    across = {row for _, rows in walls for row in rows}
    left_out = [row for row in left_out if row not in across]
    found = dict(sorted(found.items()))
    frames, same, readings, moved, apart = _nesting(found, cad, cad_layers,
                                                    _in_metres(crs, profile), hatch)
    kept, rows, names, counts, fixed = [], [], [], [], []
    for row, parts in found.items():
        for n, (part, why) in enumerate(parts, 1):
            kept.append(part)
            rows.append(row)
            names.append(str(row) if len(parts) == 1 else f"{row}.{n}")
            counts.append(len(parts))
            fixed.append(why)
    if not kept:
        found_text = (f"of the {len(read)} feature(s) read, {_what_was_found(geometries, read)}"
                      + (", joining into no closed outline" if open_lines else "")
                      + (f"; row(s) {', '.join(map(str, frames))} left out, each enclosing "
                         "separate footprints (a sheet frame)" if frames else "")
                      if read else "no feature to read")
        raise CadastreError(f"{name}: no building polygons: {found_text}")
    frame = gpd.GeoDataFrame({"row": rows, "building": names, "parts": counts,
                              "repaired": fixed}, geometry=kept)
    buildings = ParcelSet(str(name), frame, crs, "buildings")
    check_buildings(buildings, profile, area, layer)
    result = to_grid_frame(buildings, profile)
    result.attrs["left_out"] = left_out
    result.attrs["frames"] = frames
    result.attrs["same"] = same
    result.attrs["readings"] = readings
    result.attrs["joined"] = joined
    result.attrs["overlaps"] = overlapping_pairs(list(result.geometry), list(result["building"]))
    result.attrs["walls"] = walls
    result.attrs["moved"] = _moved_in_grid(moved, name, crs, profile)
    result.attrs["apart"] = apart
    return result


def _moved_in_grid(moved: list, name: str, crs, profile) -> list:
    """:func:`_nesting`'s outlines merged as moved off the one kept, each as a complete
    building row (every column of the buildings frame) moved into the grid as the buildings
    are: (kept building, its m², [(other building, its m², its row: ``row``, ``building``,
    ``parts``, ``repaired``, ``geometry``, the rows merged into it first, its own outline's
    m²)]). The other's geometry and m² hold what the kept one took besides its own
    outline (small parts, a shed in the yard): either reading counts them."""
    from .placement import to_grid_frame
    from .reader import ParcelSet

    records = [other[2] for _, _, alternatives in moved for other in alternatives]
    if not records:
        return []
    frame = gpd.GeoDataFrame({column: [r[column] for r in records] for column in
                              ("row", "building", "parts", "repaired")},
                             geometry=[r["geometry"] for r in records])
    grid = iter(to_grid_frame(ParcelSet(str(name), frame, crs, "buildings"),
                              profile).to_dict("records"))
    return [(kept, m2, [(other, a, next(grid), rows, own)
                        for other, a, _, rows, own in alternatives])
            for kept, m2, alternatives in moved]
