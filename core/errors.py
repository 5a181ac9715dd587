"""The errors every face knows: a user-fixable :class:`RoadInfraError` and :class:`Cancelled`.

The CLI prints a RoadInfraError without a traceback (exit 2) and a Cancelled as
``roadinfra: cancelled`` (exit 130); Processing turns the first into a
``QgsProcessingException`` and treats the second as the user's cancel.
"""


class RoadInfraError(Exception):
    """Bad input or state, with a message that names the file, row or field."""


class Cancelled(RoadInfraError):  # noqa: N818 - read as `raise Cancelled(...)`
    """The user cancelled long work (``is_cancelled()`` answered True); nothing was half-written."""
