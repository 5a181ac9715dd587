"""Where PostgreSQL connections come from: pg_service.conf services and saved QGIS connections.

Only references to credentials leave this module (``service=NAME`` or ``authcfg=ID``);
a password found in a saved QGIS connection is dropped, never copied into a layer source.
"""

from __future__ import annotations

import configparser
import os
from pathlib import Path
from typing import Dict, List
from urllib.parse import quote

from qgis.core import QgsDataSourceUri, QgsProviderRegistry


def pg_service_files() -> List[Path]:
    """The files libpq reads services from, in its order (user file first)."""
    files = []
    if os.environ.get("PGSERVICEFILE"):
        files.append(Path(os.environ["PGSERVICEFILE"]))
    else:
        files.append(Path.home() / ".pg_service.conf")
    sysconf = os.environ.get("PGSYSCONFDIR", "/etc/postgresql-common")
    files.append(Path(sysconf) / "pg_service.conf")
    return files


def pg_services() -> List[str]:
    """Service names defined in the pg_service files (sorted, without duplicates)."""
    names = set()
    for path in pg_service_files():
        if not path.is_file():
            continue
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError):
            continue
        names.update(parser.sections())
    return sorted(names)


def qgis_connections() -> Dict[str, str]:
    """Saved QGIS PostgreSQL connections: name -> conninfo without password."""
    metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
    if metadata is None:
        return {}
    result = {}
    for name, connection in metadata.connections(False).items():
        uri = QgsDataSourceUri(connection.uri())
        uri.setPassword("")
        result[name] = uri.connectionInfo(False)
    return result


def connection_uri(service: str | None = None, conninfo: str | None = None,
                   authcfg: str | None = None) -> QgsDataSourceUri:
    """A connection from a service name or a saved conninfo, with an optional auth config."""
    if service:
        conninfo = f"service='{service}'"
    uri = QgsDataSourceUri(conninfo or "")
    uri.setPassword("")
    if authcfg:
        uri.setAuthConfigId(authcfg)
        uri.setUsername("")
    return uri


def core_target(source: str) -> str:
    """The database TARGET for ``roadinfra.core.db`` of a layer-source connection string.

    A GeoPackage path stays a path; ``service=NAME`` stays a service. A connection with an
    ``authcfg`` is resolved through the QGIS authentication manager into a libpq URL held in
    memory only (never logged or stored).
    """
    if source.lower().split("|")[0].endswith(".gpkg"):
        return source.split("|")[0]
    uri = QgsDataSourceUri(source)
    if uri.service() and not uri.authConfigId():
        return f"service={uri.service()}"
    items = [f"username={uri.username()}", "password="]
    if uri.authConfigId():
        from qgis.core import QgsApplication

        ok, items = QgsApplication.authManager().updateDataSourceUriItems(
            items, uri.authConfigId(), "postgres")
        if not ok:
            raise ValueError(f"authentication configuration {uri.authConfigId()} not usable")
    values = dict(item.split("=", 1) for item in items if "=" in item)
    user = quote(values.get("username", ""), safe="")
    password = quote(values.get("password", ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = uri.host() or "localhost"
    port = f":{uri.port()}" if uri.port() else ""
    query = f"?service={quote(uri.service())}" if uri.service() else ""
    return f"postgresql://{credentials}{host}{port}/{quote(uri.database())}{query}"
