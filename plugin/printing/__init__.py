"""Printed maps: the A3 condition map (``condition_map``); ``python -m roadinfra.plugin.printing``
prints it headless through the Processing algorithm ``roadinfra:print_condition_map``."""
