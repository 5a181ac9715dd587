"""``roadinfra cadastre``: check and import cadastral maps, overlay them on road corridors."""

from __future__ import annotations

import argparse
import json
import sys

from ..cadastre.errors import CadastreError
from ..io.output import check_output, inputs_of
from .argtypes import input_file, output_path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "cadastre", help="cadastral maps: check, import, corridor overlay")
    sub = parser.add_subparsers(dest="cadastre_command", metavar="ACTION", required=True)

    check = sub.add_parser("check", help="read a cadastral file in any CRS and report on it "
                           "(fields, CRS, quality, whether the province would accept it)")
    check.add_argument("file", type=input_file,
                       help="parcels file: Shapefile, GeoPackage, GML/INSPIRE, DXF, DGN")
    _reading(check)
    check.add_argument("--database", help="check against this RoadInfra database's province "
                       "(its profile and province polygon) instead of --profile's box")
    check.add_argument("-o", "--output", type=output_path, help="write the quality findings "
                       "(.gpkg layer, .xlsx, .csv, .geojson)")
    check.set_defaults(func=run_check)

    imp = sub.add_parser("import", help="import parcels into a RoadInfra database (refused "
                         "before writing if they lie outside the profile's province)")
    imp.add_argument("file", type=input_file,
                     help="parcels file: Shapefile, GeoPackage, GML/INSPIRE, DXF, DGN")
    imp.add_argument("database", help="RoadInfra database (.gpkg, postgresql://..., service=)")
    _reading(imp, profile=False)  # the database's own profile decides
    imp.add_argument("--edition", type=edition_date, help="edition date of the sheets "
                     "(dd/mm/yyyy, yyyymmdd or yyyy-mm-dd); default: the newest sheet_edition of "
                     "each sheet, else none (stored undated: a dated edition replaces it, an "
                     "undated one is compared parcel by parcel)")
    imp.add_argument("--user", help="name recorded in the history")
    imp.add_argument("--whole-sheet", action="store_true", help="each sheet in the file is the "
                     "whole sheet: a new edition with fewer parcels than the stored one "
                     "replaces it (refused without this, as a selection or part of a sheet "
                     "would remove the rest)")
    imp.add_argument("-q", "--quality-output", type=output_path, help="write the quality "
                     "findings (.gpkg, .xlsx, .csv, .geojson)")
    imp.set_defaults(func=run_import)

    over = sub.add_parser("overlay", help="parcels of a database in the road-protection "
                          "corridors of its routes; encroachment and land acquisition")
    over.add_argument("database", help="RoadInfra database with parcels and routes")
    over.add_argument("--route", action="append", help="only this route (repeat)")
    over.add_argument("--widening", action="append", default=[], metavar="ROUTE:FROM-TO:WIDTH",
                      help="planned widening, e.g. QL10:Km12+000-Km13+500:24 (repeat)")
    over.add_argument("--buildings", type=buildings_path, help="file of building polygons "
                      "(any GDAL format, grid CRS or declared) to list as encroachments; each "
                      "polygon is a building; FILE|layername=NAME names its layer")
    over.add_argument("--buildings-layer", metavar="NAME", help="layer of a buildings file "
                      "with several")
    over.add_argument("--buildings-cad-layer", action="append", default=[], metavar="NAME",
                      help="CAD layer (DXF layer, DGN level) of a buildings drawing that holds "
                           "the buildings (repeat); a drawing with entities on several is "
                           "refused without it")
    over.add_argument("-o", "--output", action="append", default=[], type=output_path,
                      help="write the results: .gpkg (layers), .xlsx (sheets), .csv (the "
                           "corridor parcels); repeat for several")
    over.add_argument("--lang", choices=["vi", "en"], default="en", help="language of the "
                      "workbook's headers and values (default en)")
    over.add_argument("--json", action="store_true", help="print JSON")
    over.set_defaults(func=run_overlay)
    register_pull(sub)


def _reading(parser: argparse.ArgumentParser, profile: bool = True) -> None:
    parser.add_argument("--mapping", help="field mapping: vn_cadastre (default from the "
                        "profile), fr_edigeo, nl_inspire, or a .toml path")
    parser.add_argument("--layer", help="layer of a multi-layer file")
    parser.add_argument("--crs", help="CRS of the data when the source declares none "
                        "(e.g. EPSG:9209)")
    parser.add_argument("--assign-crs", action="store_true", help="read the source in --crs "
                        "in place of the CRS it declares (a mislabelled file); the report "
                        "names both")
    parser.add_argument("--sheet", help="map sheet number for parcels without one (a drawing "
                        "of one sheet)")
    _trust_crs(parser)
    parser.add_argument("--cad-layer", action="append", metavar="NAME", help="DXF/DGN: read "
                        "only the linework and labels of this drawing level (DXF: its name, "
                        "DGN: its number; repeat; default: the mapping's [cad] layers, else "
                        "all)")
    if profile:
        parser.add_argument("--profile", default=None,
                            help="jurisdiction profile id or .toml path (default thai_binh)")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _trust_crs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--trust-crs", action="store_true", help="accept the declared VN-2000 "
                        "CRS of another zone although the coordinates also fit the provincial "
                        "grid (refused by default as probably mislabelled): you confirm the "
                        "data really is in that zone")


def _progress(args: argparse.Namespace, what: str):
    if args.json or not sys.stderr.isatty():
        return None

    def show(pct: float) -> None:
        end = "\n" if pct >= 100 else ""
        print(f"\r{what}... {pct:5.1f} %", end=end, file=sys.stderr, flush=True)

    return show


def buildings_path(text: str) -> str:
    """A buildings file, which may name its layer (``FILE|layername=NAME``): the file must
    exist."""
    from ..cadastre.buildings import split_layer

    input_file(split_layer(text)[0])
    return text


def edition_date(text: str) -> str:
    """A sheet edition given on the command line: a date (:func:`.editions.parse_edition`),
    as an ISO date."""
    from ..cadastre.editions import FORMS, EditionError, parse_edition

    try:
        value = parse_edition(text)
    except EditionError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if value is None:
        raise argparse.ArgumentTypeError(f"give {FORMS}")
    return value


def _mapping(args, profile):
    from ..cadastre.mapping import load_mapping

    default = (profile.data.get("cadastre", {}).get("mapping") if profile else None)
    return load_mapping(args.mapping or default)


def _read(args, profile):
    from ..cadastre.reader import read_parcels

    return read_parcels(args.file, _mapping(args, profile), layer=args.layer, crs=args.crs,
                        sheet=args.sheet, cad_layers=args.cad_layer,
                        assign_crs=args.assign_crs)


def _not_an_input(args, outputs, option: str = "-o") -> None:
    """Every output checked before any work (never an input, a folder or a device; a format
    the tables are written in)."""
    from ..cadastre.outputs import check_suffix

    inputs = inputs_of(args, exclude=("output", "quality_output"))
    for out in outputs:
        if out:
            check_output(out, inputs, option)
            check_suffix(out)


def _write_findings(report, path, args, columns, option: str = "-o") -> None:
    from ..cadastre.outputs import write_tables

    write_tables({"quality_findings": report.issues, "parcels": report.parcels}, path,
                 single="quality_findings", option=option, rows_of=report.source,
                 columns=columns,
                 inputs=inputs_of(args, exclude=("output", "quality_output")))


def run_check(args: argparse.Namespace) -> int:
    from ..cadastre.check import check_parcels
    from ..profile import load_profile

    _not_an_input(args, [args.output])
    area = province = None
    if args.database:
        from ..cadastre.placement import province_lonlat
        from ..db import open_database

        if args.profile:
            raise CadastreError("give --profile or --database (the database's profile is used)")
        db = open_database(args.database)
        try:
            profile, area, province = db.profile, province_lonlat(db), db.province_area()
        finally:
            db.close()
    else:
        profile = load_profile(args.profile)
    parcels = _read(args, profile)
    checked = check_parcels(parcels, profile, progress=_progress(args, "checking"),
                            trust_crs=args.trust_crs, area=area, province=province)
    if args.output:
        _write_findings(checked.quality, args.output, args, parcels.columns)
    info = checked.summary()
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2, default=str))
        return 0
    print(f"{info['file']}: {info['parcels']} parcel(s) on {len(info['sheets'])} sheet(s), "
          f"{info['driver']} layer {info['layer']}, mapping {info['mapping']}")
    print(f"fields: {', '.join(f'{k}<-{v}' for k, v in info['fields'].items()) or 'none'}")
    print(f"CRS: {info['crs'] or 'not declared (give --crs)'}; "
          f"WGS 84 bounds: {info['bounds_wgs84']}")
    if info["crs_note"]:
        print(f"  {info['crs_note']}")
    verdict = {True: "accepted", False: "refused", None: "not checked"}[info["fits_province"]]
    print(f"province {profile.id}: {verdict}: {info['province']}")
    print(f"area: {_area_line(info)} ({info['area_measured']})")
    print("findings: " + ", ".join(f"{k} {v}" for k, v in info["findings"].items()))
    for error in parcels.errors:
        print(f"  left out: {error}")
    for error in checked.outside:
        print(f"  outside the province: {error}")
    return 0


def _area_line(info: dict) -> str:
    """The check's area line: computed against official area over the parcels that have one."""
    given, parcels = info["area_official_parcels"], info["parcels"]
    if not given:
        return f"computed {info['area_computed_m2']:.1f} m², no official areas"
    ratio = info["area_ratio_median"]
    return (f"official area given for {given} of {parcels} parcel(s): computed "
            f"{info['area_computed_official_m2']:.1f} m², official "
            f"{info['area_official_m2']:.1f} m²"
            + (f", median ratio {ratio}" if ratio is not None else ""))


def run_import(args: argparse.Namespace) -> int:
    from ..cadastre.importer import import_parcels
    from ..db import open_database

    _not_an_input(args, [args.quality_output], "-q")
    db = open_database(args.database)
    profile = db.profile
    db.close()
    parcels = _read(args, profile)
    result = import_parcels(args.database, parcels, user=args.user, edition=args.edition,
                            progress=_progress(args, "importing"), trust_crs=args.trust_crs,
                            whole_sheet=args.whole_sheet)
    if args.quality_output:
        _write_findings(result.quality, args.quality_output, args, parcels.columns, "-q")
    info = result.summary()
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2, default=str))
        return 0
    print(f"{info['source']} -> {info['target']}: {info['inserted']} parcel(s) imported, "
          f"{info['tombstoned']} replaced (kept in history), "
          f"{info['left_out_invalid']} left out (invalid)")
    print(info["placement"])
    for sheet in result.sheets:
        prev = (f" (was {sheet.previous_edition or 'undated'})" if sheet.action != "new"
                else "")
        print(f"  sheet {sheet.commune_code or '-'}/{sheet.sheet_no} edition "
              f"{sheet.edition or 'undated'}{prev}: {sheet.action}, {sheet.parcels} parcel(s)")
        _print_sheet_notes(sheet)
    undated = [f"{s.commune_code or '-'}/{s.sheet_no}" for s in result.sheets
               if s.edition is None and s.action in ("new", "replaced")]
    if undated:
        print(f"  {len(undated)} sheet(s) stored undated (no edition in the file nor "
              f"--edition): {', '.join(undated)}; a dated edition will replace them, an "
              "undated one is compared parcel by parcel")
    print("findings: " + ", ".join(f"{k} {v}"
                                   for k, v in info["quality"]["findings"].items()))
    return 0


def _print_sheet_notes(sheet) -> None:
    """What became of a sheet stored twice, and the stored parcels that a replaced sheet's
    new edition left off the live map."""
    if sheet.stored_as:
        print(f"  {sheet.stored_twice()}")
    if sheet.leaving:
        print(f"  sheet {sheet.commune_code or '-'}/{sheet.sheet_no}: {len(sheet.leaving)} "
              f"parcel(s) leave the live map (kept in history): "
              f"{', '.join(parcel.text() for parcel in sheet.leaving)}")


def run_overlay(args: argparse.Namespace) -> int:
    from ..cadastre.buildings import read_buildings, split_layer
    from ..cadastre.corridor import parse_widening
    from ..cadastre.outputs import DECISIONS_SHEET, write_tables
    from ..cadastre.overlay import overlay_corridors
    from ..cadastre.sources import overlay_inputs
    from ..db import open_database

    if args.buildings_layer is not None and not args.buildings:
        raise CadastreError("--buildings-layer names a layer of --buildings: give the file")
    if args.buildings_cad_layer and not args.buildings:
        raise CadastreError("--buildings-cad-layer names a CAD layer of --buildings: give the "
                            "file")
    inputs = inputs_of(args) + ([split_layer(args.buildings)[0]] if args.buildings else [])
    for out in args.output:
        check_output(out, inputs)
    widenings = [parse_widening(w) for w in args.widening]
    db = open_database(args.database)
    try:
        given = overlay_inputs(db, args.route, widenings, bool(args.buildings))
    finally:
        db.close()
    parcels, routes, profile = given.parcels, given.routes, given.profile
    buildings = (read_buildings(args.buildings, profile, given.area, args.buildings_layer,
                                cad_layers=args.buildings_cad_layer)
                 if args.buildings else None)
    result = overlay_corridors(parcels, routes, given.grades, profile, widenings, buildings,
                               progress=_progress(args, "overlaying"), every=given.every)
    tables = {"corridor_parcels": result.pieces, "encroachment": result.encroachments,
              "land_acquisition": result.acquisition, "corridors": result.corridors}
    for path in args.output:
        write_tables(tables, path, single="corridor_parcels", inputs=inputs, lang=args.lang,
                     notes=result.workbook_notes,
                     extra={DECISIONS_SHEET: result.decisions} if buildings is not None else None)
    info = result.summary()
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    print(f"{len(parcels)} parcel(s), {len(routes)} route(s): {info['pieces']} parcel part(s) "
          f"in corridors; encroachments: {info['encroaching_parcels']} parcel(s), "
          f"{info['encroaching_buildings']} building(s) ({info['encroachments']} row(s), one "
          "per zone and place)")
    for key, value in info["by_route_zone"].items():
        print(f"  {key}: {value['parcels']} parcel(s), {value['area_m2']:.1f} m²")
    print(f"  {result.regulation.line('en')}")
    for key, value in info["acquisition"].items():
        print(f"  widening {key}: {value['parcels']} parcel(s) to acquire, "
              f"{value['area_m2']:.1f} m²")
    for note in info["notes"]:
        print(f"  note: {note}")
    return 0


def register_pull(sub) -> None:
    pull = sub.add_parser("pull", help="keep in step with the land-resource department: fetch "
                          "and import only the map sheets that are new or have a newer edition")
    pull.add_argument("database", help="RoadInfra database to update")
    pull.add_argument("--postgis", metavar="DSN", help="the department's PostGIS database "
                      "(postgresql://... or service=NAME)")
    pull.add_argument("--table", metavar="SCHEMA.TABLE", help="its parcel table")
    pull.add_argument("--features", metavar="URL", help="an OGC API - Features endpoint")
    pull.add_argument("--collection", help="its parcel collection id")
    pull.add_argument("--wfs", metavar="URL", help="a WFS 2.0 service (read with GDAL's WFS "
                      "driver)")
    pull.add_argument("--typename", metavar="NAME", help="its parcel feature type "
                      "(e.g. dc:thua_dat)")
    pull.add_argument("--file", type=input_file, help="or an exported parcels file (only its "
                      "new or newer sheets are imported)")
    pull.add_argument("--mapping", help="field mapping (default from the profile)")
    pull.add_argument("--user", help="name recorded in the history")
    _trust_crs(pull)
    pull.add_argument("--whole-sheet", action="store_true", help="the source holds whole "
                      "sheets: a new edition with fewer parcels than the stored one replaces "
                      "it (needed for a file, or a server that does not count its features; "
                      "refused without this, as part of a sheet would remove the rest)")
    pull.add_argument("-q", "--quality-output", type=output_path, help="write the quality "
                      "findings of the sheets fetched, but those refused (.gpkg, .xlsx, "
                      ".csv, .geojson; an empty table when none was fetched)")
    pull.add_argument("--json", action="store_true", help="print JSON")
    pull.set_defaults(func=run_pull)


def run_pull(args: argparse.Namespace) -> int:
    from ..cadastre.remote import make_source, pull_sheets
    from ..crs import grid_crs
    from ..db import open_database

    _not_an_input(args, [args.quality_output], "-q")
    db = open_database(args.database)
    profile = db.profile
    db.close()
    source = make_source(args.postgis, args.table, args.features, args.collection,
                         _mapping(args, profile), args.file, wfs=args.wfs,
                         typename=args.typename)
    result = pull_sheets(args.database, source, user=args.user,
                         progress=_progress(args, "pulling"), trust_crs=args.trust_crs,
                         whole_sheet=args.whole_sheet)
    if args.quality_output:
        _write_findings(result.findings(grid_crs(profile)), args.quality_output, args, {},
                        "-q")
    info = result.summary()
    refused = 1 if result.refused else 0  # some sheets left out: not a full success
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2, default=str))
        return refused
    print(f"{info['source']}: {info['sheets_in_source']} sheet(s), {info['up_to_date']} up to "
          f"date, {len(info['sheets_fetched'])} fetched: {', '.join(info['sheets_fetched'])}")
    if info["undated"]:
        print(f"{len(info['undated'])} stored sheet(s) without an edition in the source "
              f"({', '.join(info['undated'])}): fetched and compared parcel by parcel")
    if info["stored_undated"]:
        print(f"{len(info['stored_undated'])} sheet(s) stored undated (imported from a source "
              f"without editions: {', '.join(info['stored_undated'])}): the source's dated "
              "edition fetched to replace them")
    if info["uncounted"]:
        print(f"{len(info['uncounted'])} sheet(s) fetched that the source did not count (no "
              f"hit count or numberMatched: {', '.join(info['uncounted'])}): not checked "
              "complete")
    if info["not_in_source"]:
        gone = info["not_in_source"]
        more = f" and {len(gone) - 20} more" if len(gone) > 20 else ""
        print(f"{len(gone)} stored sheet(s) the source no longer holds ({', '.join(gone[:20])}"
              f"{more}): kept in the database")
    if result.imported:
        print(f"{result.imported.inserted} parcel(s) imported, {result.imported.tombstoned} "
              "replaced (kept in history)")
        for sheet in result.imported.sheets:
            _print_sheet_notes(sheet)
        print("findings: " + ", ".join(f"{k} {v}" for k, v in
                                       info["import"]["quality"]["findings"].items()))
    for sheet in result.refused:
        print(f"refused, not imported: {', '.join(sheet.sheets)}: {sheet.reason}")
    if result.refused:
        print(f"{sum(len(r.keys) for r in result.refused)} sheet(s) refused (their stored "
              "sheets left as they were); the other sheets were pulled")
    return refused
