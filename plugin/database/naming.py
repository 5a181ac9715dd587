"""Stable names shared by the layer setup and the generated styles (no qgis import needed).

Styles in ``resources/styles`` aggregate child rows through relations, so relation ids must
be the same every time a database is opened: ``<child table>__<reference column>``.
"""

from __future__ import annotations

# Layer variable holding the schema table name; the attachment relation resolves it.
TABLE_VARIABLE = "roadinfra_table"
# Layer custom property with the schema table name (found again after a project reload).
TABLE_PROPERTY = "roadinfra/table"
ATTACHMENT_RELATION_ID = "attachment__target"

# Layer-tree groups in display order, with their names in each language. The order is also
# the drawing order: points over the condition-coloured pavement over the route lines.
THEMES = {
    "structures": ("Công trình cầu, cống", "Bridges and culverts"),
    "loads": ("Tải trọng xe", "Vehicle loads"),
    "pavement": ("Mặt đường", "Pavement"),
    "network": ("Mạng lưới đường", "Road network"),
    "planning": ("Kế hoạch bảo trì", "Maintenance planning"),
    "cadastre": ("Địa chính", "Cadastre"),
    "admin": ("Địa giới hành chính", "Administrative units"),
    "system": ("Hệ thống", "System"),
}


def relation_id(child_table: str, column: str) -> str:
    """Id of the relation from ``child_table.column`` to the referenced table's ``id``."""
    return f"{child_table}__{column}"


def theme_name(theme: str, lang: str) -> str:
    vi, en = THEMES.get(theme, (theme, theme))
    return vi if lang == "vi" else en
