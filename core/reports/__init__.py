"""Standard reports: the same tables as XLSX (formatted, with charts), CSV and JSON.

:mod:`.tables` builds the tables from rows already read; :mod:`.build` reads them from a
database; :mod:`.xlsx` and :mod:`.csv_files` write them.
"""
