"""The one base class for errors a user can fix; the CLI prints them without a traceback."""


class RoadInfraError(Exception):
    """Bad input or state, with a message that names the file, row or field."""
