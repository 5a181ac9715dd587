"""Errors of offline packages and sync; all are user-fixable (RoadInfraError)."""

from __future__ import annotations

from ..errors import RoadInfraError


class SyncError(RoadInfraError):
    """A package cannot be made or synced as asked; nothing was written."""


class PackageError(SyncError):
    """The file is not a usable RoadInfra package (not ours, damaged, tampered, too old)."""


class ServerMovedError(SyncError):
    """A row changed on the server while this sync was writing it (another sync, an
    office edit): nothing was written; syncing again merges against the new state."""
