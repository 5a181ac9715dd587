"""Shared test helpers: realistic rows for every table, a throwaway PostgreSQL cluster.

Import as ``tests.support`` with the repository root on ``sys.path`` (the test modules
that use it add it).
"""
