"""Reading user files and writing outputs, once for the whole toolkit (bottom of core).

Every reader of a user's file goes through this package, so that every command and
algorithm follows the same rules (docs/input-files.md):

- :mod:`.paths`: an input is an existing, readable file (a folder is refused).
- :mod:`.text`: one encoding policy (UTF-8 with or without BOM, then cp1258; mixed or
  binary files are refused naming the line).
- :mod:`.tabular`: CSV/TXT (and XLSX) tables as text cells with 1-based line numbers.
- :mod:`.jsonfile`, :mod:`.tomlfile`: JSON (depth-limited) and TOML with typed entries.
- :mod:`.geodata`: vector files (GeoJSON, GPKG, SHP ...) as GeoDataFrames.
- :mod:`.rows`: :class:`RowError`, one problem in one row, and the error listing them all.
- :mod:`.output`: the safe writer: never onto an input, temporary file then rename.
- :mod:`.spreadsheet`: the one way to put a value into an XLSX cell (text never a formula).

It imports nothing from the rest of core except :mod:`..errors`.
"""
