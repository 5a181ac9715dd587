"""The cadastral results' sentences in the plugin's language, one place for the dialog and
the Processing algorithms: the stored parcels that leave the live map on an import or a
pull (:class:`~roadinfra.core.cadastre.importer.LeavingParcel`) and the sheets stored twice,
the sheets a pull names
beyond its counts, and the overlay's notes
(the gaps between a route's parts, the buildings wholly or partly beyond the imported
parcels, the repaired building footprints), built from the results' data with tr() and the
language's number format."""

from __future__ import annotations

from ...core.labels import Label
from ...core.printing.plan_sheets import number_text
from ..i18n import tr

#: How many groups (outlines joined, outlines split) a note lists; the rest counted.
GROUPS = 20


def leaving_lines(sheets, lang: str) -> list[str]:
    """What leaves, or stays twice in, the live map per sheet: a sheet stored twice (``7``
    and ``07``: both copies replaced, or both kept by an older edition) and the stored
    parcels a replaced sheet's new edition leaves uncovered, one sentence each."""
    lines = []
    for sheet in sheets:
        if sheet.stored_as:
            undated = tr("undated")
            copies = ", ".join(f"{number} ({edition or undated})" for number, edition
                               in zip(sheet.stored_as, sheet.stored_editions))
            name = f"{sheet.commune_code or '-'}/{sheet.sheet_no}"
            if sheet.action == "replaced":
                lines.append(tr("Sheet {sheet} was stored twice, as {copies}: both "
                                "replaced.").format(sheet=name, copies=copies))
            else:
                lines.append(tr("Sheet {sheet} is stored twice, as {copies}: both kept, the "
                                "edition {edition} being older than {newest}; import the "
                                "newest edition again to replace both.").format(
                    sheet=name, copies=copies, edition=sheet.edition or undated,
                    newest=sheet.previous_edition))
        if sheet.leaving:
            lines.append(tr("Sheet {sheet}: {count} parcel(s) leave the live map (kept in the "
                            "history): {parcels}.").format(
                sheet=f"{sheet.commune_code or '-'}/{sheet.sheet_no}",
                count=len(sheet.leaving),
                parcels=", ".join(_parcel(parcel, lang) for parcel in sheet.leaving)))
    return lines


def pull_lines(result) -> list[tuple[bool, str]]:
    """(is it a warning, sentence) per group of sheets a pull (:class:`~roadinfra.core.
    cadastre.remote.PullResult`) must name beyond its counts, as the CLI does: the stored
    sheets without an edition in the source (compared parcel by parcel), the stored undated
    sheets replaced by a dated edition, the sheets the source did not count, the stored
    sheets the source no longer holds, the sheets refused (the same land under another key;
    why in the core's words)."""
    info = result.summary()
    lines = []
    if info["undated"]:
        lines.append((False, tr("Stored sheets without an edition in the source, fetched "
                                "and compared parcel by parcel: {0}").format(
                                    ", ".join(info["undated"]))))
    if info["stored_undated"]:
        lines.append((False, tr("Sheets stored undated (imported from a source without "
                                "editions), replaced by the source's dated edition: "
                                "{0}").format(", ".join(info["stored_undated"]))))
    if info["uncounted"]:
        lines.append((True, tr("Sheets fetched that the source did not count (no hit count "
                               "or numberMatched), not checked complete: {0}").format(
                                   ", ".join(info["uncounted"]))))
    if info["not_in_source"]:
        lines.append((True, tr("Stored sheets the source no longer holds (kept in the "
                               "database): {0}").format(", ".join(info["not_in_source"]))))
    for refused in info["refused"]:
        lines.append((True, tr("Refused, not imported (the stored sheets left as they were; "
                               "the other sheets were pulled): {sheets}. {reason}").format(
                                   sheets=", ".join(refused["sheets"]),
                                   reason=refused["reason"])))
    return lines


def _parcel(parcel, lang: str) -> str:
    area = f"{number_text(parcel.area_m2, 0, lang)} m²"
    facts = ", ".join(f for f in (parcel.land_use, area) if f)
    return tr("parcel {number} ({facts}, {share}% uncovered)").format(
        number=parcel.parcel_no, facts=facts,
        share=number_text(100.0 * parcel.uncovered, 0, lang))


def overlay_notes(result, lang: str) -> list[str]:
    """The overlay's notes: each gap between a route's parts, and per route the buildings
    in its corridors wholly or partly beyond the imported parcels."""
    lines = []
    if result.slivers[0]:
        lines.append(tr("{count} sliver(s) under {width} m wide cut by a zone edge or a "
                        "parcel line left out as survey noise ({area} m² in all).").format(
            count=result.slivers[0], width=number_text(result.min_width, 2, lang),
            area=number_text(result.slivers[1], 2, lang)))
    for name, road in result.idle:
        lines.append(tr("Widening {widening} takes no parcel (its footprint meets none but the "
                        "road's own land).").format(widening=name) if road is None else
                     tr("Widening {widening} takes no parcel (its footprint meets none but the "
                        "road's own land); the profile's nominal road land is {road} m wide: if "
                        "the width given is the part added, give the new total width.").format(
                         widening=name, road=number_text(road, 1, lang)))
    for name, area, ranges in result.beyond:
        lines.append(tr("Widening {widening}: {area} m² of its footprint lie beyond the "
                        "imported parcels ({where}), outside the road land: not checked; "
                        "import those sheets.").format(
            widening=name, area=number_text(area, 1, lang), where=_where(ranges)))
    for name, count, area in result.narrow:
        lines.append(tr("Widening {widening}: {count} strip(s) to acquire under {width} m "
                        "wide ({area} m²), kept: check them against the survey.").format(
            widening=name, count=count, width=number_text(result.min_width, 2, lang),
            area=number_text(area, 2, lang)))
    read = {row for _, row, _, _ in result.readings}
    merged = {int(str(r).split(".")[0]) for kind, _, _, inner in result.readings
              if kind != "enclosure" for r, _ in inner}
    framed = [row for row in result.frames if row not in read]
    if framed:
        lines.append(tr("{count} outline(s) of the buildings file on a frame CAD layer taken "
                        "for a sheet frame, not a building: row(s) {rows}.").format(
            count=len(framed), rows=_where([str(r) for r in framed])))
    same = [(a, b) for a, b in result.same if b not in merged]
    if same:
        lines.append(tr("{count} footprint(s) counted as one building with another (its HATCH, "
                        "a copy, or the same building drawn again: within 0.5 m of it, or of its "
                        "size and moved off it, still covering half of it or more): row(s) "
                        "{rows}.").format(
            count=len(same),
            rows=_where([tr("{row} (in {kept})").format(row=b, kept=a) for a, b in same])))
    by_lone = result.lone_decided()
    keyed = [m for m in result.moved if int(str(m[3]).split(".")[0]) not in by_lone]
    decided = [m for m in result.moved if int(str(m[3]).split(".")[0]) in by_lone]
    if keyed:
        lines.append(tr("{count} pair(s) of outlines of a size, one moved up to 1.5 m off the "
                        "other, counted as one building (a resurvey moved off itself), the one "
                        "taking more road land (then more of the corridor) charged: {pairs}. The "
                        "other reading: two buildings (a house built out past the lot wall or "
                        "building around it), both charged. To say which, delete the old "
                        "outline, or put lot walls on a CAD layer of their own, not "
                        "named.").format(
            count=len(keyed),
            pairs=_groups([tr("row {a} ({a_area} m², {a_road} m² on road land) charged, row {b} "
                             "({b_area} m², {b_road} m² on road land) not").format(
                a=a, a_area=number_text(a_m2, 1, lang), a_road=number_text(a_in, 1, lang),
                b=b, b_area=number_text(b_m2, 1, lang), b_road=number_text(b_in, 1, lang))
                for a, a_m2, a_in, b, b_m2, b_in, _ in keyed[:GROUPS]], len(keyed))))
    if decided:
        lines.append(tr("{count} pair(s) of outlines of a size, one moved up to 1.5 m off the "
                        "other, counted as one building (a resurvey moved off itself), the "
                        "survey lying over a building drawn in one survey only not charged, "
                        "whatever its land: {pairs}. To say which, delete the old "
                        "outlines.").format(
            count=len(decided),
            pairs=_groups([tr("row {a} charged, row {b} not (the other survey lies over row(s) "
                              "{lone}, drawn in one survey only)").format(
                a=a, b=b, lone=_row_list(by_lone[int(str(b).split(".")[0])]))
                for a, _, _, b, *_ in decided[:GROUPS]], len(decided))))
    if result.unsplit:
        lines.append(tr("{count} group(s) of outlines moved off themselves mixing two surveys "
                        "(old, new): overlapping each other across pairs (each pair charged "
                        "alone), or each survey over a building drawn in one only (the one "
                        "taking more road land charged): rows {rows}. Check the drawing: "
                        "delete the old outlines.").format(
            count=len(result.unsplit),
            rows=_groups([_row_list(rows) for rows in result.unsplit[:GROUPS]],
                         len(result.unsplit))))
    if result.apart:
        lines.append(tr("{count} outline(s) of a size with an outline left out (a lot wall, a "
                        "frame) and moved up to 1.5 m off it, each a building of its own, not "
                        "left out with it: row(s) {rows}.").format(
            count=sum(len(rows) for _, rows in result.apart),
            rows=_where([tr("{rows} (off {row})").format(
                rows=_where([str(r) for r in rows]), row=row) for row, rows in result.apart])))
    lines += _reading_lines(result.readings, lang)
    if result.overlaps:
        lines.append(tr("{count} pair(s) of buildings overlapping by a fifth of the smaller or "
                        "more, both counted (no rule reads them as one: a building drawn twice "
                        "over 1.5 m off, a house sticking out of its lot wall, a kiosk across a "
                        "wall): {pairs}. Check the drawing: delete the copy, put lot walls on a "
                        "CAD layer of their own, not named.").format(
            count=len(result.overlaps),
            pairs=_where([tr("{a} and {b} ({area} m², {share} %)").format(
                a=a, b=b, area=number_text(m2, 1, lang), share=round(share * 100))
                for a, b, m2, share in result.overlaps])))
    if result.joined:
        lines.append(tr("{count} loose line(s) of the buildings drawing joined into {outlines} "
                        "outline(s): row(s) {rows}.").format(
            count=len({r for rows in result.joined for r in rows}), outlines=len(result.joined),
            rows=_groups([_where([str(r) for r in rows]) for rows in result.joined[:GROUPS]],
                         len(result.joined))))
    if result.walls:
        lines.append(tr("{count} loose line(s) of the buildings drawing across {outlines} closed "
                        "outline(s) taken for party walls, a building per part: row(s) "
                        "{rows}.").format(
            count=len({r for _, rows in result.walls for r in rows}),
            outlines=len(result.walls),
            rows=_groups([tr("{lines} across {row}").format(
                lines=_where([str(r) for r in rows]), row=row)
                for row, rows in result.walls[:GROUPS]], len(result.walls))))
    if result.left_out:
        lines.append(tr("{count} feature(s) of the buildings file are neither polygons nor "
                        "closed lines, left out: row(s) {rows}.").format(
            count=len(result.left_out), rows=_where([str(r) for r in result.left_out])))
    if result.split:  # a dissolved buildings layer: each polygon a building
        lines.append(tr("{count} building footprint(s) of several polygons, each polygon taken "
                        "as a building: row(s) {rows}.").format(
            count=len(result.split), rows=_where([str(r) for r in result.split])))
    for code, length, km_from, km_to in result.gaps:
        lines.append(tr("Route {route}: no corridor across the {length} m gap between its "
                        "parts, {km_from}-{km_to}.").format(
            route=code, length=number_text(length, 1, lang), km_from=km_from, km_to=km_to))
    for code, count, ranges in result.unmapped:
        lines.append(tr("Route {route}: {count} building(s) in the corridors beyond the "
                        "imported parcels ({where}): not checked against parcels.").format(
            route=code, count=count, where=_where(ranges)))
    for code, count, area, ranges in result.partly:
        lines.append(tr("Route {route}: {count} building(s) in the corridors partly beyond "
                        "the imported parcels, {area} m² beyond ({where}): those parts not "
                        "checked against parcels.").format(
            route=code, count=count, area=number_text(area, 1, lang), where=_where(ranges)))
    if result.repaired:
        rows = [tr("row {row} ({why})").format(row=row, why=why) for row, why in result.repaired]
        lines.append(tr("{count} invalid building footprint(s) repaired: {rows}.").format(
            count=len(result.repaired), rows=_where(rows)))
    return lines


def workbook_notes(result, lang: str) -> list:
    """The notes of a workbook of the overlay (:func:`~roadinfra.core.cadastre.outputs.
    write_tables` ``notes``): the regulation of the corridor widths, then every note of the
    run (:func:`overlay_notes`) in the plugin's language."""
    return (([] if result.regulation is None else [result.regulation.cited])
            + [Label(note, note) for note in overlay_notes(result, lang)])


def _reading_lines(readings: list, lang: str) -> list[str]:
    """The outlines read one way where the drawing could mean another
    (:attr:`~roadinfra.core.cadastre.overlay.OverlayResult.readings`), a sentence per kind:
    the first five with what they hold and the other reading, then their rows."""
    heads = {
        "part": tr("{count} outline(s) holding only footprints under 25 m² read as one "
                   "building with them (a stair well, a light well): {items}. To say which, if "
                   "one is a lot wall or a frame, put it on a CAD layer of its own, not named."),
        "taken": tr("{count} outline(s) charged in place of an outline moved off them, with the "
                    "small footprints (under 25 m²) that outline held (sheds in its yard): "
                    "{items}. To say which, if the other outline is a lot wall, put it on a "
                    "CAD layer of its own, not named."),
        "fill": tr("{count} outline(s) holding one footprint that fills it to within 0.5 m of "
                   "its walls read as one building, the footprint its fill: {items}. To say "
                   "which, draw fills as HATCH entities, lot walls on a CAD layer of their own, "
                   "not named."),
        "hatched": tr("{count} outline(s) holding a HATCH and larger footprints read as one "
                      "building with them (its rooms): {items}. To say which, if one is a lot "
                      "wall, put it on a CAD layer of its own, not named."),
        "enclosure": tr("{count} outline(s) read as an enclosure (a lot wall, a block "
                        "outline, a frame: house-size footprints inside, a yard around one, or "
                        "over 5,000 m²), left out, the footprints inside the buildings: "
                        "{items}. To say which, if one is a house, draw its fill as a HATCH; "
                        "put lot walls and frames on a CAD layer of their own, not named."),
    }
    lines = []
    for kind, head in heads.items():
        items = [(row, m2, inner) for k, row, m2, inner in readings if k == kind]
        if not items:
            continue
        shown = []
        for row, m2, inner in items[:5]:
            total = sum(a for _, a in inner)
            held = (tr("row {row} ({area} m²)").format(
                        row=inner[0][0], area=number_text(inner[0][1], 1, lang))
                    if len(inner) == 1 else tr("rows {rows} ({area} m²)").format(
                        rows=_where([str(r) for r, _ in inner]),
                        area=number_text(total, 1, lang)))
            shown.append((tr("row {row} ({area} m²) holds {held}, as one building, {area} m²")
                          if kind == "enclosure" else
                          tr("row {row} ({area} m²) with {held}, or each a building of its "
                             "own, {count} building(s) of {total} m²") if kind == "taken" else
                          tr("row {row} ({area} m²) holds {held}, as an enclosure, {count} "
                             "building(s) of {total} m²")).format(
                row=row, area=number_text(m2, 1, lang), held=held, count=len(inner),
                total=number_text(total, 1, lang)))
        if len(items) > 5:
            shown[-1] += tr("; and {count} more: row(s) {rows}").format(
                count=len(items) - 5, rows=_where([str(r) for r, _, _ in items[5:]]))
        lines.append(head.format(count=len(items), items="; ".join(shown)))
    return lines


def _groups(shown: list, count: int) -> str:
    """The groups ``shown`` (the first :data:`GROUPS` of ``count``), then how many more: a
    note fits the dialog and a workbook cell whatever the drawing."""
    more = tr("; and {count} more").format(count=count - len(shown)) if count > len(shown) else ""
    return "; ".join(shown) + more


def _row_list(rows: list) -> str:
    """The rows of a group: the first :data:`GROUPS`, then how many more (no ellipsis the
    sentence's full stop would follow)."""
    shown = ", ".join(str(r) for r in rows[:GROUPS])
    if len(rows) <= GROUPS:
        return shown
    return tr("{rows} and {count} more").format(rows=shown, count=len(rows) - GROUPS)


def _where(ranges: list) -> str:
    return ", ".join(ranges[:5]) + (", …" if len(ranges) > 5 else "")
