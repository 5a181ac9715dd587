"""Plain SQL against the test server, outside the RoadInfra API (to check what it wrote)."""

import uuid

import psycopg2


def sql(url, statement, params=None):
    """Run one parameterised statement in autocommit; rows for a query, else the row count."""
    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement, params)
            return cur.fetchall() if cur.description else cur.rowcount
    finally:
        conn.close()


def editor_of(pg_server, url, district):
    """A new login of the ``roadinfra_editor`` group for ``district`` in database ``url``:
    (its name, the database's URL as that login)."""
    name = f"ed{district}_{uuid.uuid4().hex[:8]}"
    sql(url, f'CREATE ROLE "{name}" LOGIN IN ROLE roadinfra_editor')  # test-made name
    sql(url, "INSERT INTO user_district (username, district_code) VALUES (%s, %s)",
        (name, district))
    return name, pg_server.url(url.rsplit("/", 1)[1], user=name)
