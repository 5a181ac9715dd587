"""Plain SQL against the test server, outside the RoadInfra API (to check what it wrote)."""

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
