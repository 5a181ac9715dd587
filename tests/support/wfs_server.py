"""A small WFS 2.0 server on 127.0.0.1 for tests: one feature type, KVP GET requests
(GetCapabilities, DescribeFeatureType, GetFeature in GML 3.2 with ``resultType=hits``,
``startIndex``/``count`` paging, ``propertyName`` and a FES 2.0 filter of equality tests joined
by And/Or/Not). Geometries are written in the server's CRS (``srsName`` on each geometry,
coordinates in that CRS's own axis order, as WFS 2.0 asks). It records every request."""

from __future__ import annotations

import re
import threading
import urllib.parse
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape, quoteattr

from pyproj import CRS

WFS = "http://www.opengis.net/wfs/2.0"
GML = "http://www.opengis.net/gml/3.2"
FES = "http://www.opengis.net/fes/2.0"
OWS = "http://www.opengis.net/ows/1.1"
XLINK = "http://www.w3.org/1999/xlink"
XSD = "http://www.w3.org/2001/XMLSchema"
APP = "http://roadinfra.test/cadastre"
PREFIX = "cad"
XSD_TYPES = {str: "string", float: "double", int: "integer"}
COMPARISONS = {"EqualTo": lambda a, b: a == b, "NotEqualTo": lambda a, b: a != b,
               "LessThan": lambda a, b: a < b, "GreaterThan": lambda a, b: a > b,
               "LessThanOrEqualTo": lambda a, b: a <= b,
               "GreaterThanOrEqualTo": lambda a, b: a >= b, "Like": None, "Null": None}


class ServiceError(Exception):
    """An OWS exception report with ``code`` for ``locator``, HTTP 400."""

    def __init__(self, code: str, locator: str, text: str):
        super().__init__(text)
        self.code, self.locator = code, locator


class WfsServer:
    """Serves ``features`` (``(shapely geometry, properties)`` in ``epsg``) as the feature
    type ``cad:<name>``; ``types`` maps a property to its XML Schema type name (default from
    the first feature's Python values; a ``date`` property is written as ``YYYY-MM-DD``).
    ``count_default`` is the server's page size limit (CountDefault)."""

    def __init__(self, name: str, features: list, epsg: int, *, types: dict | None = None,
                 count_default: int = 1000):
        self.name, self.features, self.epsg = name, features, epsg
        first = features[0][1] if features else {}
        self.types = {k: XSD_TYPES.get(type(v), "string") for k, v in first.items()}
        self.types.update(types or {})
        self.count_default = count_default
        #: a broken service: at most this many features in all (its hits still count all)
        self.stop_after: int | None = None
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802 - http.server's name
                url = urllib.parse.urlparse(self.path)
                params = {k.upper(): v for k, v in urllib.parse.parse_qsl(url.query)}
                server.requests.append(params)
                try:
                    if url.path != "/wfs" or params.get("SERVICE", "WFS").upper() != "WFS":
                        raise ServiceError("InvalidParameterValue", "service", "not a WFS")
                    body = server.answer(params)
                    status = 200
                except ServiceError as exc:
                    body, status = exception_report(exc), 400
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/wfs"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> WfsServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ------------------------------------------------------------------ requests
    @property
    def typename(self) -> str:
        return f"{PREFIX}:{self.name}"

    @property
    def crs_urn(self) -> str:
        return f"urn:ogc:def:crs:EPSG::{self.epsg}"

    def get_features(self) -> list[dict]:
        """The GetFeature requests received (not the hits-only ones)."""
        return [r for r in self.requests if r.get("REQUEST", "").lower() == "getfeature"
                and r.get("RESULTTYPE", "results").lower() != "hits"]

    def answer(self, params: dict) -> str:
        request = params.get("REQUEST", "").lower()
        if request == "getcapabilities":
            return self.capabilities()
        if params.get("VERSION", "2.0.0") != "2.0.0":
            raise ServiceError("InvalidParameterValue", "version", "only WFS 2.0.0")
        if request == "describefeaturetype":
            names = params.get("TYPENAME") or params.get("TYPENAMES")
            if names and self._local(names) != self.name:
                raise ServiceError("InvalidParameterValue", "typeName", f"no type {names}")
            return self.schema()
        if request == "getfeature":
            names = params.get("TYPENAMES") or params.get("TYPENAME") or ""
            if self._local(names) != self.name:
                raise ServiceError("InvalidParameterValue", "typeNames", f"no type {names}")
            return self.get_feature(params)
        raise ServiceError("OperationNotSupported", "request", f"no request {request!r}")

    @staticmethod
    def _local(name: str) -> str:
        return name.strip("()").split(":")[-1]

    def capabilities(self) -> str:
        count = (f'<ows:Constraint name="CountDefault"><ows:NoValues/><ows:DefaultValue>'
                 f"{self.count_default}</ows:DefaultValue></ows:Constraint>")
        ops = "".join(
            f'<ows:Operation name="{op}"><ows:DCP><ows:HTTP><ows:Get xlink:href='
            f'{quoteattr(self.url + "?")}/></ows:HTTP></ows:DCP>'
            f'{count if op == "GetFeature" else ""}</ows:Operation>'
            for op in ("GetCapabilities", "DescribeFeatureType", "GetFeature"))
        constraints = "".join(
            f'<ows:Constraint name="{name}"><ows:NoValues/><ows:DefaultValue>{value}'
            "</ows:DefaultValue></ows:Constraint>"
            for name, value in (("ImplementsBasicWFS", "TRUE"),
                                ("ImplementsTransactionalWFS", "FALSE"),
                                ("KVPEncoding", "TRUE"), ("XMLEncoding", "FALSE"),
                                ("ImplementsResultPaging", "TRUE")))
        conformance = "".join(
            f'<fes:Constraint name="{name}"><ows:NoValues/><ows:DefaultValue>{value}'
            "</ows:DefaultValue></fes:Constraint>"
            for name, value in (("ImplementsQuery", "TRUE"), ("ImplementsAdHocQuery", "TRUE"),
                                ("ImplementsFunctions", "FALSE"),
                                ("ImplementsMinStandardFilter", "TRUE"),
                                ("ImplementsStandardFilter", "TRUE"),
                                ("ImplementsMinSpatialFilter", "FALSE"),
                                ("ImplementsSpatialFilter", "FALSE"),
                                ("ImplementsSorting", "FALSE"),
                                ("ImplementsResourceId", "FALSE")))
        lon0, lat0, lon1, lat1 = self._wgs84_bounds()
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<wfs:WFS_Capabilities version="2.0.0" '
            f'xmlns:wfs="{WFS}" xmlns:ows="{OWS}" xmlns:fes="{FES}" xmlns:gml="{GML}" '
            f'xmlns:xlink="{XLINK}" xmlns:{PREFIX}="{APP}">'
            "<ows:ServiceIdentification><ows:Title>Cadastre (test)</ows:Title>"
            "<ows:ServiceType>WFS</ows:ServiceType><ows:ServiceTypeVersion>2.0.0"
            "</ows:ServiceTypeVersion></ows:ServiceIdentification>"
            f"<ows:OperationsMetadata>{ops}{constraints}</ows:OperationsMetadata>"
            f"<wfs:FeatureTypeList><wfs:FeatureType><wfs:Name>{self.typename}</wfs:Name>"
            f"<wfs:Title>{escape(self.name)}</wfs:Title>"
            f"<wfs:DefaultCRS>{self.crs_urn}</wfs:DefaultCRS>"
            f"<ows:WGS84BoundingBox><ows:LowerCorner>{lon0} {lat0}</ows:LowerCorner>"
            f"<ows:UpperCorner>{lon1} {lat1}</ows:UpperCorner></ows:WGS84BoundingBox>"
            "</wfs:FeatureType></wfs:FeatureTypeList>"
            f"<fes:Filter_Capabilities><fes:Conformance>{conformance}</fes:Conformance>"
            "<fes:Scalar_Capabilities><fes:LogicalOperators/><fes:ComparisonOperators>"
            + "".join(f'<fes:ComparisonOperator name="PropertyIs{op}"/>' for op in COMPARISONS)
            + "</fes:ComparisonOperators></fes:Scalar_Capabilities>"
            "</fes:Filter_Capabilities></wfs:WFS_Capabilities>")

    def _wgs84_bounds(self) -> tuple:
        from pyproj import Transformer
        from shapely.ops import unary_union

        if not self.features:
            return (-180, -90, 180, 90)
        x0, y0, x1, y1 = unary_union([g for g, _ in self.features]).bounds
        to = Transformer.from_crs(self.epsg, 4326, always_xy=True)
        lons, lats = to.transform([x0, x1, x0, x1], [y0, y0, y1, y1])
        return (min(lons), min(lats), max(lons), max(lats))

    def schema(self) -> str:
        props = "".join(f'<xsd:element name="{name}" type="xsd:{kind}" minOccurs="0" '
                        'nillable="true"/>' for name, kind in self.types.items())
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<xsd:schema xmlns:xsd="{XSD}" '
            f'xmlns:gml="{GML}" xmlns:{PREFIX}="{APP}" targetNamespace="{APP}" '
            'elementFormDefault="qualified" version="1.0">'
            f'<xsd:import namespace="{GML}" '
            'schemaLocation="http://schemas.opengis.net/gml/3.2.1/gml.xsd"/>'
            f'<xsd:complexType name="{self.name}Type"><xsd:complexContent>'
            '<xsd:extension base="gml:AbstractFeatureType"><xsd:sequence>'
            f'{props}<xsd:element name="geom" type="gml:MultiSurfacePropertyType" '
            'minOccurs="0" nillable="true"/>'
            "</xsd:sequence></xsd:extension></xsd:complexContent></xsd:complexType>"
            f'<xsd:element name="{self.name}" type="{PREFIX}:{self.name}Type" '
            'substitutionGroup="gml:AbstractFeature"/></xsd:schema>')

    def get_feature(self, params: dict) -> str:
        chosen = [(i, g, p) for i, (g, p) in enumerate(self.features)
                  if params.get("FILTER") is None or _matches(_filter(params["FILTER"]), p)]
        try:
            start = int(params.get("STARTINDEX", 0))
            count = min(int(params.get("COUNT", self.count_default)), self.count_default)
        except ValueError:
            raise ServiceError("InvalidParameterValue", "count", "not a number") from None
        head = (f'<?xml version="1.0" encoding="UTF-8"?>\n<wfs:FeatureCollection '
                f'xmlns:wfs="{WFS}" xmlns:gml="{GML}" xmlns:{PREFIX}="{APP}" '
                f'timeStamp="2026-01-01T00:00:00Z" numberMatched="{len(chosen)}" ')
        if params.get("RESULTTYPE", "results").lower() == "hits":
            return head + 'numberReturned="0"/>'
        page = chosen[start:start + count]
        if self.stop_after is not None:
            page = chosen[start:min(start + count, self.stop_after)]
        wanted = params.get("PROPERTYNAME")
        names = ({self._local(n) for n in wanted.strip("()").split(",")} if wanted
                 else set(self.types) | {"geom"})
        srs = CRS.from_epsg(self.epsg)
        swap = srs.axis_info[0].direction.lower() in ("north", "south")
        members = "".join(self._member(i, g, p, names, swap) for i, g, p in page)
        return head + f'numberReturned="{len(page)}">{members}</wfs:FeatureCollection>'

    def _member(self, index: int, geom, props: dict, names: set, swap: bool) -> str:
        out = [f'<wfs:member><{self.typename} gml:id="{self.name}.{index + 1}">']
        for name in self.types:
            value = props.get(name)
            if name in names and value is not None:
                out.append(f"<{PREFIX}:{name}>{escape(str(value))}</{PREFIX}:{name}>")
        if "geom" in names and geom is not None:
            out.append(f"<{PREFIX}:geom>{_gml_multisurface(geom, self.crs_urn, swap)}"
                       f"</{PREFIX}:geom>")
        out.append(f"</{self.typename}></wfs:member>")
        return "".join(out)


def _gml_multisurface(geom, srs_name: str, swap: bool) -> str:
    def pos_list(ring) -> str:
        return " ".join(f"{y!r} {x!r}" if swap else f"{x!r} {y!r}" for x, y in ring.coords)

    polys = list(getattr(geom, "geoms", [geom]))
    members = []
    for poly in polys:
        rings = [f"<gml:exterior><gml:LinearRing><gml:posList>{pos_list(poly.exterior)}"
                 "</gml:posList></gml:LinearRing></gml:exterior>"]
        rings += [f"<gml:interior><gml:LinearRing><gml:posList>{pos_list(r)}</gml:posList>"
                  "</gml:LinearRing></gml:interior>" for r in poly.interiors]
        members.append(f"<gml:surfaceMember><gml:Polygon>{''.join(rings)}</gml:Polygon>"
                       "</gml:surfaceMember>")
    return (f'<gml:MultiSurface srsName="{srs_name}" srsDimension="2">{"".join(members)}'
            "</gml:MultiSurface>")


def _filter(text: str):
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        raise ServiceError("OperationParsingFailed", "filter", "not XML") from None
    if root.tag != f"{{{FES}}}Filter" or len(root) != 1:
        raise ServiceError("OperationParsingFailed", "filter", "not a FES 2.0 Filter")
    return root[0]


def _matches(node, props: dict) -> bool:
    tag = node.tag.split("}")[-1]
    if tag == "And":
        return all(_matches(child, props) for child in node)
    if tag == "Or":
        return any(_matches(child, props) for child in node)
    if tag == "Not":
        return not _matches(node[0], props)
    op = tag[len("PropertyIs"):] if tag.startswith("PropertyIs") else None
    if op not in COMPARISONS:
        raise ServiceError("OperationProcessingFailed", "filter", f"operator {tag} not supported")
    ref = node.find(f"{{{FES}}}ValueReference")
    if ref is None:
        raise ServiceError("OperationParsingFailed", "filter", f"{tag} needs a ValueReference")
    value = props.get(WfsServer._local(ref.text or ""))
    if op == "Null":
        return value is None
    literal = node.find(f"{{{FES}}}Literal")
    if literal is None:
        raise ServiceError("OperationParsingFailed", "filter", f"{tag} needs a Literal")
    text = literal.text or ""
    if value is None:
        return False
    if op == "Like":
        wild, single = node.get("wildCard", "%"), node.get("singleChar", "_")
        escape_char = node.get("escapeChar", "\\")
        pattern, i = "", 0
        while i < len(text):
            char = text[i]
            if char == escape_char and i + 1 < len(text):
                pattern += re.escape(text[i + 1])
                i += 2
                continue
            pattern += ".*" if char == wild else "." if char == single else re.escape(char)
            i += 1
        return re.fullmatch(pattern, str(value), re.DOTALL) is not None
    if isinstance(value, (int, float)):
        try:
            return COMPARISONS[op](float(value), float(text))
        except ValueError:
            return False
    return COMPARISONS[op](str(value), text)


def exception_report(exc: ServiceError) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ows:ExceptionReport xmlns:ows="{OWS}" '
            f'version="2.0.0"><ows:Exception exceptionCode="{exc.code}" '
            f'locator="{escape(exc.locator)}"><ows:ExceptionText>{escape(str(exc))}'
            "</ows:ExceptionText></ows:Exception></ows:ExceptionReport>")
