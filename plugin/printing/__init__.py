"""Printed maps: the A3 condition map (``condition_map``), run by the Processing algorithm
``roadinfra:print_condition_map`` (toolbox, ``qgis_process``, ``scripts/demo.sh``)."""
