"""What a rejected save or a derived value means, said in the user's language.

Core validation (:class:`~roadinfra.core.db.ValidationError`, with its ``kind``) and
deriving (:class:`~roadinfra.core.derive.DeriveWarning`) name the table, the row and the
field; here they become one sentence with the table's and the field's labels.
"""

from __future__ import annotations

from ...core.chainage import format_chainage
from ...core.schema import TABLES
from ..i18n import current_language, tr


def table_label(table: str) -> str:
    spec = TABLES.get(table)
    if spec is None:
        return table
    return spec.label_vi if current_language() == "vi" else spec.label_en


def field_label(table: str, field: str | None) -> str:
    if not field:
        return ""
    spec = TABLES.get(table)
    if field == "geom":
        return tr("geometry")
    if spec is None or field not in spec.column_names:
        return field
    col = spec.column(field)
    return col.label_vi if current_language() == "vi" else col.label_en


def _value(field: str, value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and field.endswith("_m") \
            and value >= 0 and field != "width_m" and field != "length_m":
        return format_chainage(value, 0)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def error_text(error) -> str:
    """A ValidationError as "<Table> <row>: field «<label>» <why>" in the user's language."""
    feature = f"{table_label(error.table)} {error.row_code or ''}".strip()
    field = field_label(error.table, error.field)
    limit = error.params.get("limit")
    texts = {
        "required": tr("{feature}: field «{field}» is required"),
        "below_min": tr("{feature}: field «{field}» is below the minimum {limit}"),
        "above_max": tr("{feature}: field «{field}» is above the maximum {limit}"),
        "not_in_list": tr("{feature}: field «{field}» is not one of the allowed values"),
        "not_district": tr("{feature}: field «{field}» is not a district of the province"),
        "outside_province": tr("{feature}: the geometry lies outside the province"),
        "duplicate": tr("{feature}: field «{field}»: the value is already used by another "
                        "feature"),
        "check": tr("{feature}: field «{field}» breaks a rule of the data model ({problem})"),
    }
    template = texts.get(error.kind) if error.field or error.kind == "outside_province" else None
    if template is None:
        template = tr("{feature}: field «{field}»: {problem}") if error.field else \
            tr("{feature}: {problem}")
    return template.format(feature=feature, field=field, problem=error.problem,
                           limit=f"{limit:g}" if isinstance(limit, (int, float)) else limit)


def warning_text(warning) -> str:
    """A DeriveWarning in the user's language."""
    feature = f"{table_label(warning.table)} {warning.row}"
    field = field_label(warning.table, warning.field)
    params = warning.params
    if warning.kind == "kept_typed":
        return tr("{feature}: field «{field}»: your value {typed} was kept; RoadInfra would "
                  "derive {derived}").format(feature=feature, field=field,
                                             typed=_value(warning.field, params["typed"]),
                                             derived=_value(warning.field, params["derived"]))
    if warning.kind == "replaced":
        return tr("{feature}: field «{field}»: {old} replaced by the derived value {new}").format(
            feature=feature, field=field, old=_value(warning.field, params["old"]),
            new=_value(warning.field, params["new"]))
    if warning.kind == "far_from_route":
        return tr("{feature}: no chainage derived: the feature is farther than {tolerance} m "
                  "from the route ({reason}); saved without chainage").format(
            feature=feature, tolerance=f"{params['tolerance']:g}", reason=params["reason"])
    if warning.kind == "no_district":
        return tr("{feature}: the position is in no district: choose the district").format(
            feature=feature)
    return tr("{feature}: field «{field}»: {problem}").format(feature=feature, field=field,
                                                             problem=warning.message)
