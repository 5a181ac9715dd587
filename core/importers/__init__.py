"""Importers for legacy spreadsheets and survey files, with per-row error reports."""
