"""QGIS glue for RoadInfra: toolbar, menu, Processing provider, settings, log, translations.

Everything here may import ``qgis``; the domain logic it calls lives in ``roadinfra.core``.
"""
