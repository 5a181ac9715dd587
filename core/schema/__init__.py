"""The one schema definition and the back-ends generated from it."""

from .model import CodeList, Column, Table
from .tables import CODELISTS, GEOMETRY_COLUMN, SCHEMA_VERSION, TABLES, table, tables_at

__all__ = [
    "CODELISTS", "GEOMETRY_COLUMN", "SCHEMA_VERSION", "TABLES", "CodeList", "Column", "Table",
    "table", "tables_at",
]
