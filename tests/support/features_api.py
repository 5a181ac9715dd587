"""A small OGC API - Features server on 127.0.0.1 for tests: one collection of GeoJSON
features, ``/collections/<id>/items`` with ``limit``/``offset`` paging (``next`` links) and
equality filters on properties; it records every request path.

``selection`` says what the server does with ``skipGeometry``/``properties`` (pygeoapi's and
ldproxy's property selection, not in OGC API - Features Part 1): ``"supported"`` (features
without geometry, only those properties), ``"filter"`` (taken as property filters, as a
server that knows neither may do), ``"reject"`` (HTTP 400). ``page_cap`` caps the features
of a page whatever ``limit`` asks (a server's own maximum); ``next_links=False`` leaves out
the ``next`` link (a server that stops after one page, still saying ``numberMatched``);
``number_matched=False`` leaves out ``numberMatched`` (optional in Part 1); ``result_cap``
stops the ``next`` links after that many features (a search-backed server's result window).
``unordered=True`` pages as a query without a stable order does: the page at ``offset``
starts at ``offset - offset // limit`` (pages of 2 over five features: [1, 2], [2, 3], [3]),
so the answer repeats features, misses others, and differs with the page size;
``row_ids=True`` gives each feature of a page its row in the answer as its id.
``fixed_page`` pages in pages of that size whatever ``limit`` asks (a server ignoring
``limit``). ``busy_limit`` answers HTTP 503 to a filtered request (a sheet's) asking that ``limit``
(a listing again in pages of another size failing on a busy server)."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FeaturesApi:
    def __init__(self, collection: str, features: list, selection: str = "supported",
                 page_cap: int | None = None, next_links: bool = True,
                 number_matched: bool = True, result_cap: int | None = None,
                 unordered: bool = False, row_ids: bool = False,
                 busy_limit: int | None = None, fixed_page: int | None = None):
        self.collection, self.selection = collection, selection
        self.page_cap, self.next_links = page_cap, next_links
        self.number_matched, self.result_cap = number_matched, result_cap
        self.features = features
        self.unordered, self.row_ids = unordered, row_ids
        self.busy_limit, self.fixed_page = busy_limit, fixed_page
        self.requests: list[str] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802 - http.server's name
                api.requests.append(self.path)
                url = urllib.parse.urlparse(self.path)
                if url.path != f"/collections/{api.collection}/items":
                    self.send_error(404, "no such collection")
                    return
                query = dict(urllib.parse.parse_qsl(url.query))
                limit = int(query.pop("limit", 10))
                if api.page_cap is not None:
                    limit = min(limit, api.page_cap)
                if api.fixed_page is not None:
                    limit = api.fixed_page
                offset = int(query.pop("offset", 0))
                query.pop("f", None)
                skip = properties = None
                if api.selection == "reject" and ({"skipGeometry", "properties"} & set(query)):
                    self.send_error(400, "unknown query parameter")
                    return
                if api.selection == "supported":
                    skip = query.pop("skipGeometry", "false") == "true"
                    properties = query.pop("properties", None)
                if api.busy_limit == int(dict(urllib.parse.parse_qsl(url.query)).get(
                        "limit", 10)) and query:
                    self.send_error(503, "busy")
                    return
                chosen = [f for f in api.features
                          if all(str(f["properties"].get(k)) == v for k, v in query.items())]
                start = offset - offset // limit if api.unordered else offset
                size = max(0, min(limit, len(chosen) - offset))
                page = [_select(f, skip, properties) for f in chosen[start:start + size]]
                if api.row_ids:
                    page = [{**f, "id": offset + n} for n, f in enumerate(page, 1)]
                links = []
                last = len(chosen) if api.result_cap is None else min(len(chosen),
                                                                      api.result_cap)
                if offset + limit < last and api.next_links:
                    nxt = urllib.parse.urlencode({**query, "limit": limit,
                                                  "offset": offset + limit, "f": "json"})
                    links.append({"rel": "next", "type": "application/geo+json",
                                  "href": f"{api.url}/collections/{api.collection}/items?{nxt}"})
                answer = {"type": "FeatureCollection", "features": page, "links": links}
                if api.number_matched:
                    answer["numberMatched"] = len(chosen)
                body = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/geo+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FeaturesApi:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def _select(feature: dict, skip: bool | None, properties: str | None) -> dict:
    out = dict(feature)
    if skip:
        out["geometry"] = None
    if properties:
        names = properties.split(",")
        out["properties"] = {k: v for k, v in feature["properties"].items() if k in names}
    return out
