"""The RoadInfra data model: every table, column and code list, once.

Chainage columns (``*_m``) are metres along the route's calibrated measure. Geometry
(column ``geom``) is stored in the profile's provincial grid (EPSG:9209 for Thai Binh).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Dict, Tuple

from .model import CodeList, Column, Table

# Version 1: initial schema. Version 2: offline-sync replicas (sync_replica,
# change_log.source_replica). Version 3: the database login is the author of a change
# (PostGIS: change_log.changed_by and created_by/updated_by = session_user; the name the
# application claims goes to change_log.app_user, informational). Bump it with every
# released change; mark new tables and columns with ``since=<version>`` so both back-ends
# can upgrade (see core/schema/upgrade.py). Version 4: guards (no columns): a child row's
# district is its parent's (Column.parent), the revision a writer read must be the current
# one, and GeoPackage triggers that refuse or log every change the history could miss.
# Version PLAN_RECORDS (below): plans are records.
# Version TOMBSTONE (below, editing): a DELETE of a versioned row tombstones it (in the same
# transaction, both back-ends), children follow their parent's tombstone and its restore, and
# a pavement section carries its current condition (derived from its latest survey).
# Version CADASTRE_EDITIONS (at the end): a parcel's owner and map-sheet edition.
# Version SYNC (8, offline sync, issue 11): sync_changeset and sync_conflict, the base
# digest and scope of a replica (the block marked "offline sync" below).
# Version GUARDS_2 (9, below): second links checked, history steps verified, bulk append-only.
# Version SYNC_GUARDS (10, below): the sync's audit trail (PostGIS only, no columns).
# Version SYNC_CONFLICT_AREAS (11, below): a sync conflict is written by its district's
# editors or its own crew (PostGIS only, no columns).
# Version SYNC_TRAIL (12, below): who recorded and who resolved a sync record is the login
# that did it (PostGIS only, no columns).
# Version SYNC_RECORDS (13, below): a sync record names only its login's own package, keeps
# what it records and the server's time (PostGIS only, no columns).
# Version SYNC_TAKE_MINE (14, below): a resolution takes the package's values only by a login
# that may edit the conflict's row (PostGIS only, no columns).
# Version SYNC_REGISTRATION (15, below): a package's registration never changes but for the
# sync's own bookkeeping; a plan's status moves only by the plan's steps (PostGIS only, no
# columns).
# Version PLAN_APPROVAL (16, below): a plan's approval is recorded by the server (PostGIS only,
# no columns).
# Version LIVE_PARENT (17, below): a live row is never written under a deleted parent
# (PostGIS only, no columns).
# Version PARENT_LOCK (18, below): that guard no longer makes two office edits of one parent
# deadlock (PostGIS only, no columns).
# Version ANCESTOR_LOCK (19, below): that guard holds every row above the new one, so an edit
# of a grandparent is not a deadlock with its delete either (PostGIS only, no columns).
SCHEMA_VERSION = 19
#: Short name of each version's migration (core/schema/migrations/postgis/NNNN_<name>.sql).
VERSION_NAMES = {1: "initial", 2: "sync_replica", 3: "login_author",
                 4: "area_and_revision_guards", 5: "plan_records",
                 6: "tombstone_on_delete", 7: "cadastre_editions",
                 8: "sync_changesets", 9: "guards_2", 10: "sync_guards",
                 11: "sync_conflict_areas", 12: "sync_trail", 13: "sync_records",
                 14: "sync_take_mine", 15: "sync_registration",
                 16: "plan_approval", 17: "live_parent",
                 18: "parent_lock", 19: "ancestor_lock"}
# ---- schema version "plan records" (planning helper; one block, renumbered at merge) ----
#: Plans are records: plan_item status (a code list), condition before and forecast after
#: works, the reason, results reported back from the field (done_date, actual_cost_vnd,
#: condition_measured); maintenance_plan revision_of, approved_at, approved_by; an approved
#: plan is never changed in place (core/schema/plan_guards.py, both back-ends).
PLAN_RECORDS = 5
# ---- end of schema version "plan records" ----
#: Delete as tombstone, the tombstone cascade, a section's current condition, the recorded
#: author only (editing).
TOMBSTONE = 6
#: Offline sync (issue 11).
SYNC = 8
# ---- schema version "guards 2" (database helper; one block, renumbered at merge) ----
#: Every area link of a row is checked (Column.same_area, not only Column.parent), links
#: that must agree do (Table.agree), created_at/by never change, the versioning step is
#: accepted only with the change_log entry of exactly the resulting row, and bulk tables
#: (weighing_record) are append-only on both back-ends (core/schema/guards_2.py).
GUARDS_2 = 9
# ---- end of schema version "guards 2" ----
# ---- schema version "sync guards" --
#: PostGIS only, no columns: sync_changeset is append-only (the audit trail of who synced
#: what), a sync_replica row is written only by its creator (or a province-wide editor), so
#: an editor can neither forge the trail nor change another crew's package base
#: (core/schema/ddl_postgis.py _sync_guards_sql).
SYNC_GUARDS = 10
# ---- end of schema version "sync guards" ----
# ---- schema version "sync conflict areas" --
#: PostGIS only, no columns: sync_conflict has row-level security like the rows it is
#: about: everyone reads; a conflict is added only in one's own login's name and changed
#: (resolved) only by an editor of its row's district or by the login whose sync recorded
#: it (core/schema/ddl_postgis.py _sync_conflict_areas_sql).
SYNC_CONFLICT_AREAS = 11
# ---- end of schema version "sync conflict areas" ----
# ---- schema version "sync trail" --
#: PostGIS only, no columns: a conflict is added only open, unresolved, in one's own login's
#: name; it is resolved in the resolving login's name (resolved_by = session_user), once;
#: who recorded it (login, package, changeset) never changes; a sync_changeset row is added
#: only in one's own login's name (core/schema/ddl_postgis.py _sync_trail_sql).
SYNC_TRAIL = 12
# ---- end of schema version "sync trail" ----
# ---- schema version "sync records" --
#: PostGIS only, no columns: a conflict or changeset is added only for a package of one's own
#: login (sync_replica.created_by) unless one may edit the whole province; the server sets
#: their time stamps (applied_at, created_at, resolved_at); what a conflict records never
#: changes, and a resolved conflict not at all (core/schema/ddl_postgis.py
#: _sync_records_sql).
SYNC_RECORDS = 13
# ---- end of schema version "sync records" ----
# ---- schema version "sync take mine" --
#: PostGIS only, no columns: a conflict is resolved taking ``mine`` for any field only by a
#: login that may edit its row's district, as ``roadinfra conflicts resolve`` decides; the
#: login whose sync recorded a conflict on a row outside its area may only drop its own
#: change (take ``theirs``, or a sync closing it naming what happened) (core/schema/
#: ddl_postgis.py _sync_take_mine_sql).
SYNC_TAKE_MINE = 14
# ---- end of schema version "sync take mine" ----
# ---- schema version "sync registration" --
#: PostGIS only, no columns: a package's registration (sync_replica name, device, scope,
#: created_at, created_by) never changes, for any login: a sync updates only its own
#: bookkeeping (base_digest, base_change_id, last_sync_at); a maintenance plan's status
#: moves only along the plan's steps (core/planning/lifecycle.py TRANSITIONS), approved_at and
#: approved_by written only when it becomes approved (core/schema/ddl_postgis.py
#: _sync_registration_sql).
SYNC_REGISTRATION = 15
# ---- end of schema version "sync registration" ----
# ---- schema version "plan approval" --
#: PostGIS only, no columns: as a maintenance plan becomes approved the server records
#: approved_at (now()) and approved_by (the login, session_user) itself, whatever a client
#: writes; a new plan is only a draft with no approval (core/schema/ddl_postgis.py
#: _plan_approval_sql).
PLAN_APPROVAL = 16
# ---- end of schema version "plan approval" ----
# ---- schema version "live parent" --
#: PostGIS only, no columns: a row made live (inserted, restored, moved to another parent)
#: under a parent (Column.parent) or attached to a row (Table.attached_to) is refused when
#: that row is a tombstone, whoever writes; the parent is locked meanwhile (FOR SHARE; FOR
#: KEY SHARE since PARENT_LOCK), so a delete of it waits for the writer to commit, or the
#: writer waits for the delete and is then refused (core/schema/ddl_postgis.py _live_parent_sql).
LIVE_PARENT = 17
# ---- end of schema version "live parent" ----
# ---- schema version "parent lock" --
#: PostGIS only, no columns: the live-parent guard locks the parent FOR KEY SHARE (as a
#: foreign key does) instead of FOR SHARE, so two sessions that each add a child and then
#: edit the parent no longer deadlock; a tombstone locks its row, then its children, FOR
#: UPDATE before its children follow it, so it waits for a writer adding a child (or a
#: grandchild) meanwhile, and the child is tombstoned with it (core/schema/ddl_postgis.py
#: _live_parent_sql, _cascade_tombstone_sql).
PARENT_LOCK = 18
# ---- end of schema version "parent lock" ----
# ---- schema version "ancestor lock" --
#: PostGIS only, no columns: the live-parent guard locks every row above the new one FOR KEY
#: SHARE, top row first (the order a tombstone's cascade locks in), and reads each again
#: after the locks: a session that added a row two levels or more under a row (a distress
#: under a section's survey, a photo on a bridge's inspection) and then edits that top row
#: is waited for by a delete of it (QGIS's DELETE, RoadInfra's tombstone, a cascade), not
#: deadlocked with (core/schema/ddl_postgis.py _live_ancestors_sql).
ANCESTOR_LOCK = 19
# ---- end of schema version "ancestor lock" ----
GEOMETRY_COLUMN = "geom"

C = Column  # short alias for the long lists below

# ---------------------------------------------------------------- code lists
CODELISTS: Dict[str, CodeList] = {
    cl.name: cl
    for cl in (
        CodeList("admin_level", (
            ("province", "Tỉnh", "Province"),
            ("district", "Huyện/Thành phố", "District"),
            ("commune", "Xã/Phường/Thị trấn", "Commune"),
        )),
        CodeList("route_class", (
            ("QL", "Quốc lộ", "National road"),
            ("DT", "Đường tỉnh", "Provincial road"),
            ("DH", "Đường huyện", "District road"),
            ("DX", "Đường xã", "Commune road"),
            ("DD", "Đường đô thị", "Urban road"),
            ("CD", "Đường chuyên dùng", "Special-purpose road"),
        )),
        CodeList("road_grade", (  # TCVN 4054:2005
            ("CT", "Cao tốc", "Expressway"),
            ("I", "Cấp I", "Grade I"),
            ("II", "Cấp II", "Grade II"),
            ("III", "Cấp III", "Grade III"),
            ("IV", "Cấp IV", "Grade IV"),
            ("V", "Cấp V", "Grade V"),
            ("VI", "Cấp VI", "Grade VI"),
        )),
        CodeList("surface_type", (
            ("AC", "Bê tông nhựa", "Asphalt concrete"),
            ("BST", "Láng nhựa", "Bituminous surface treatment"),
            ("PCC", "Bê tông xi măng", "Portland cement concrete"),
            ("MAC", "Đá dăm thấm nhập nhựa", "Penetration macadam"),
            ("GRV", "Cấp phối, đất", "Gravel or earth"),
        )),
        CodeList("bridge_structure", (
            ("RC_SLAB", "Bản BTCT", "Reinforced concrete slab"),
            ("RC_BEAM", "Dầm BTCT", "Reinforced concrete beam"),
            ("PSC_I", "Dầm I BTCT dự ứng lực", "Prestressed concrete I-girder"),
            ("PSC_BOX", "Dầm hộp BTCT dự ứng lực", "Prestressed concrete box girder"),
            ("PSC_SUPER_T", "Dầm Super-T", "Super-T girder"),
            ("STEEL_TRUSS", "Dàn thép", "Steel truss"),
            ("STEEL_GIRDER", "Dầm thép", "Steel girder"),
            ("COMPOSITE", "Dầm liên hợp thép-BTCT", "Steel-concrete composite"),
            ("ARCH", "Vòm", "Arch"),
            ("CABLE", "Dây văng/treo", "Cable-stayed or suspension"),
        )),
        CodeList("design_load", (
            ("HL93", "HL-93 (TCVN 11823:2017)", "HL-93 (TCVN 11823:2017)"),
            ("H30", "H30-XB80 (22TCN 18-79)", "H30-XB80 (22TCN 18-79)"),
            ("H18", "H18-X60", "H18-X60"),
            ("H13", "H13-X60", "H13-X60"),
            ("H10", "H10", "H10"),
            ("UNKNOWN", "Chưa rõ", "Unknown"),
        )),
        CodeList("crossing", (
            ("RIVER", "Sông", "River"),
            ("CANAL", "Kênh, mương", "Canal or irrigation channel"),
            ("ROAD", "Đường bộ", "Road"),
            ("RAIL", "Đường sắt", "Railway"),
            ("VALLEY", "Khe, thung lũng", "Valley"),
        )),
        CodeList("culvert_type", (
            ("PIPE", "Cống tròn", "Pipe culvert"),
            ("BOX", "Cống hộp", "Box culvert"),
            ("ARCH", "Cống vòm", "Arch culvert"),
            ("SLAB", "Cống bản", "Slab culvert"),
        )),
        CodeList("material", (
            ("RC", "Bê tông cốt thép", "Reinforced concrete"),
            ("PSC", "Bê tông dự ứng lực", "Prestressed concrete"),
            ("STEEL", "Thép", "Steel"),
            ("MASONRY", "Đá xây, gạch xây", "Masonry"),
            ("CSP", "Tôn lượn sóng", "Corrugated steel"),
        )),
        CodeList("station_type", (
            ("FIXED", "Trạm cố định", "Fixed station"),
            ("MOBILE", "Trạm lưu động", "Mobile station"),
        )),
        CodeList("vehicle_type", (
            ("truck", "Xe thân liền", "Rigid truck"),
            ("semitrailer", "Đầu kéo sơ mi rơ moóc", "Tractor with semi-trailer"),
            ("trailer", "Xe kéo rơ moóc", "Truck with trailer"),
            ("bus", "Xe khách", "Bus"),
        )),
        CodeList("inspection_type", (
            ("ROUTINE", "Kiểm tra thường xuyên", "Routine"),
            ("PERIODIC", "Kiểm tra định kỳ", "Periodic"),
            ("SPECIAL", "Kiểm tra đặc biệt", "Special"),
            ("DAMAGE", "Kiểm tra sau sự cố", "Damage"),
        )),
        CodeList("rating_scheme", (
            ("nbi", "NBI (Mỹ) 0-9", "US NBI 0-9"),
            ("vn5", "5 cấp (Việt Nam)", "Vietnamese five grades"),
        )),
        CodeList("survey_method", (
            ("VISUAL", "Khảo sát bằng mắt (ASTM D6433)", "Visual distress survey (ASTM D6433)"),
            ("VEHICLE", "Xe khảo sát (IRI, hằn lún)", "Survey vehicle (IRI, rutting)"),
        )),
        CodeList("severity", (
            ("L", "Nhẹ", "Low"),
            ("M", "Trung bình", "Medium"),
            ("H", "Nặng", "High"),
        )),
        CodeList("attachment_kind", (
            ("photo", "Ảnh", "Photo"),
            ("document", "Tài liệu", "Document"),
            ("drawing", "Bản vẽ", "Drawing"),
        )),
        CodeList("plan_status", (
            ("draft", "Dự thảo", "Draft"),
            ("submitted", "Đã trình", "Submitted"),
            ("approved", "Đã phê duyệt", "Approved"),
            ("closed", "Đã kết thúc", "Closed"),
        )),
        CodeList("plan_item_status", (  # since PLAN_RECORDS
            ("planned", "Theo kế hoạch", "Planned"),
            ("in_progress", "Đang thực hiện", "In progress"),
            ("done", "Đã hoàn thành", "Done"),
            ("dropped", "Không thực hiện", "Dropped"),
        ), since=PLAN_RECORDS),
    )
}


def std_asset_columns(code_label_vi: str, code_label_en: str) -> Tuple[Column, ...]:
    """Identity columns of an asset: UUID, human code, district."""
    return (
        C("id", "uuid", "Mã định danh", "Identifier", nullable=False, system=True),
        C("code", "text", code_label_vi, code_label_en, nullable=False, unique=True),
        C("district_code", "text", "Huyện", "District"),
    )


def std_record_columns() -> Tuple[Column, ...]:
    return (
        C("id", "uuid", "Mã định danh", "Identifier", nullable=False, system=True),
        C("district_code", "text", "Huyện", "District"),
    )


# Appended to every versioned table (kind asset or record), maintained by the database.
AUDIT_COLUMNS: Tuple[Column, ...] = (
    C("revision", "integer", "Phiên bản", "Revision", nullable=False, default="1", system=True),
    C("created_at", "datetime", "Tạo lúc", "Created at", system=True),
    C("created_by", "text", "Người tạo", "Created by", system=True),
    C("updated_at", "datetime", "Sửa lúc", "Updated at", system=True),
    C("updated_by", "text", "Người sửa", "Updated by", system=True),
    C("deleted_at", "datetime", "Đã xóa lúc", "Deleted at", system=True),
)

ROUTE_REF = C("route_id", "uuid", "Tuyến", "Route", nullable=False, references="route")
CHAINAGE = C("chainage_m", "real", "Lý trình (m)", "Chainage (m)", min=0)
FROM_M = C("from_m", "real", "Từ lý trình (m)", "From chainage (m)", nullable=False, min=0)
TO_M = C("to_m", "real", "Đến lý trình (m)", "To chainage (m)", nullable=False, min=0)
YEAR = dict(min=1850, max=2100)
EVENT_CHECK = ("from_before_to", "from_m < to_m")


# ---------------------------------------------------------------- cadastre (version 7)
# Issue 14: the parcel's owner where the land-resource department gives it, and the map
# sheet's edition it came from (a newer edition of a sheet replaces the old one; the old
# parcels are tombstoned, so they stay in the history), see docs/cadastre.md. Appended after
# the audit columns, where an upgrade (ALTER TABLE ... ADD COLUMN) puts them.
#: Schema version of the cadastre block (cadastre helper; one block, renumbered at merge).
CADASTRE_EDITIONS = 7
CADASTRE_COLUMNS: Tuple[Column, ...] = (
    C("owner", "text", "Chủ sử dụng", "Owner", since=CADASTRE_EDITIONS),
    C("sheet_edition", "text", "Lần xuất bản tờ bản đồ", "Map sheet edition",
      since=CADASTRE_EDITIONS),
)


def _with_audit(table: Table) -> Table:
    """The audit columns after the table's first columns and before columns added by later
    versions: the order an upgrade (ALTER TABLE ... ADD COLUMN) leaves them in."""
    if not table.versioned:
        return table
    first = tuple(c for c in table.columns if c.since <= table.since)
    later = tuple(c for c in table.columns if c.since > table.since)
    return replace(table, columns=first + AUDIT_COLUMNS + later)


_TABLES = (
    Table("admin_unit", "asset", "Đơn vị hành chính", "Administrative unit", "admin", (
        *std_asset_columns("Mã đơn vị (TCTK)", "Unit code (GSO)"),
        C("name", "text", "Tên", "Name", nullable=False),
        C("level", "text", "Cấp", "Level", nullable=False, codelist="admin_level"),
        C("parent_code", "text", "Đơn vị cấp trên", "Parent unit"),
    ), geometry="MULTIPOLYGON"),
    Table("route", "asset", "Tuyến đường", "Route", "network", (
        *std_asset_columns("Số hiệu tuyến", "Route number"),
        C("name", "text", "Tên tuyến", "Route name", nullable=False),
        C("route_class", "text", "Loại đường", "Route class", nullable=False,
          codelist="route_class"),
        C("road_grade", "text", "Cấp kỹ thuật", "Road grade", codelist="road_grade"),
        C("managing_agency", "text", "Đơn vị quản lý", "Managing agency"),
        C("start_m", "real", "Lý trình đầu (m)", "Start measure (m)", min=0),
        C("end_m", "real", "Lý trình cuối (m)", "End measure (m)", min=0),
        C("length_m", "real", "Chiều dài (m)", "Length (m)", min=0),
    ), geometry="MULTILINESTRING"),
    Table("calibration_point", "record", "Cọc Km", "Kilometre post", "network", (
        *std_record_columns(),
        ROUTE_REF,
        C("measure_m", "real", "Lý trình (m)", "Measure (m)", nullable=False, min=0),
        C("label", "text", "Nhãn cọc", "Post label"),
    ), geometry="POINT"),
    Table("pavement_section", "asset", "Đoạn mặt đường", "Pavement section", "pavement", (
        *std_asset_columns("Mã đoạn", "Section code"),
        ROUTE_REF, FROM_M, TO_M,
        C("carriageway", "text", "Chiều/làn", "Carriageway"),
        C("surface_type", "text", "Loại mặt đường", "Surface type", nullable=False,
          codelist="surface_type"),
        C("width_m", "real", "Bề rộng (m)", "Width (m)", min=0, max=60),
        C("lanes", "integer", "Số làn", "Lanes", min=1, max=12),
        C("construction_year", "integer", "Năm xây dựng", "Construction year", **YEAR),
        C("last_works_year", "integer", "Năm sửa chữa gần nhất", "Last works year", **YEAR),
        C("last_works_type", "text", "Loại sửa chữa gần nhất", "Last works type"),
        # ---- schema version TOMBSTONE (editing): the section's current condition, derived on save
        # from its latest survey (core/derive); read-only in forms
        C("pci", "real", "PCI hiện tại", "Current PCI", min=0, max=100, derived=True,
          since=TOMBSTONE),
        C("pci_rating", "text", "Xếp loại PCI hiện tại", "Current PCI rating", derived=True,
          since=TOMBSTONE),
        C("condition_date", "date", "Ngày khảo sát gần nhất", "Latest survey date",
          derived=True, since=TOMBSTONE),
    ), geometry="LINESTRING", code_prefix="PS", checks=(EVENT_CHECK,)),
    Table("pavement_survey", "record", "Khảo sát mặt đường", "Pavement condition survey",
          "pavement", (
        *std_record_columns(),
        C("section_id", "uuid", "Đoạn mặt đường", "Pavement section", nullable=False,
          references="pavement_section", parent=True),
        ROUTE_REF, FROM_M, TO_M,
        C("survey_date", "date", "Ngày khảo sát", "Survey date", nullable=False),
        C("method", "text", "Phương pháp", "Method", nullable=False, codelist="survey_method"),
        C("surveyor", "text", "Người khảo sát", "Surveyor"),
        C("pci", "real", "PCI", "PCI", min=0, max=100),
        C("pci_rating", "text", "Xếp loại PCI", "PCI rating"),
        C("iri", "real", "IRI (m/km)", "IRI (m/km)", min=0, max=30),
        C("rut_mm", "real", "Hằn lún (mm)", "Rut depth (mm)", min=0, max=200),
        C("cracking_pct", "real", "Nứt (%)", "Cracking (%)", min=0, max=100),
    ), geometry="LINESTRING", checks=(EVENT_CHECK,)),
    Table("pavement_distress", "record", "Hư hỏng mặt đường", "Pavement distress", "pavement", (
        *std_record_columns(),
        C("survey_id", "uuid", "Lần khảo sát", "Survey", nullable=False,
          references="pavement_survey", parent=True),
        C("sample_unit", "text", "Đơn vị mẫu", "Sample unit", nullable=False),
        C("unit_area_m2", "real", "Diện tích đơn vị mẫu (m²)", "Sample unit area (m²)",
          nullable=False, min=0),
        C("distress_code", "integer", "Mã hư hỏng (ASTM D6433)", "Distress code (ASTM D6433)",
          nullable=False, min=1, max=19),
        C("severity", "text", "Mức độ", "Severity", codelist="severity"),
        C("quantity", "real", "Khối lượng", "Quantity", nullable=False, min=0),
    )),
    Table("bridge", "asset", "Cầu", "Bridge", "structures", (
        *std_asset_columns("Mã cầu", "Bridge code"),
        C("name", "text", "Tên cầu", "Bridge name", nullable=False),
        ROUTE_REF, CHAINAGE,
        C("spans", "integer", "Số nhịp", "Spans", min=1, max=200),
        C("length_m", "real", "Chiều dài (m)", "Length (m)", min=0),
        C("width_m", "real", "Bề rộng (m)", "Width (m)", min=0, max=60),
        C("structure_type", "text", "Kết cấu nhịp", "Structure type", codelist="bridge_structure"),
        C("material", "text", "Vật liệu", "Material", codelist="material"),
        C("design_load", "text", "Tải trọng thiết kế", "Design load", codelist="design_load"),
        C("year_built", "integer", "Năm xây dựng", "Year built", **YEAR),
        C("load_posting_t", "real", "Biển hạn chế tải trọng (t)", "Load posting (t)", min=0),
        C("crossing", "text", "Vượt qua", "Crossing", codelist="crossing"),
        C("crossing_name", "text", "Tên sông/đường vượt", "Name of what is crossed"),
    ), geometry="POINT", code_prefix="BR"),
    Table("bridge_element", "record", "Cấu kiện cầu", "Bridge element", "structures", (
        *std_record_columns(),
        C("bridge_id", "uuid", "Cầu", "Bridge", nullable=False, references="bridge",
          parent=True),
        C("element_code", "text", "Mã cấu kiện", "Element code", nullable=False),
        C("name", "text", "Tên cấu kiện", "Element name"),
        C("quantity", "real", "Khối lượng", "Quantity", min=0),
        C("unit", "text", "Đơn vị", "Unit"),
    )),
    Table("culvert", "asset", "Cống", "Culvert", "structures", (
        *std_asset_columns("Mã cống", "Culvert code"),
        ROUTE_REF, CHAINAGE,
        C("culvert_type", "text", "Loại cống", "Culvert type", nullable=False,
          codelist="culvert_type"),
        C("span_m", "real", "Khẩu độ/đường kính (m)", "Span or diameter (m)", min=0, max=20),
        C("height_m", "real", "Chiều cao (m)", "Height (m)", min=0, max=20),
        C("cells", "integer", "Số cửa", "Cells", min=1, max=20),
        C("length_m", "real", "Chiều dài (m)", "Length (m)", min=0),
        C("material", "text", "Vật liệu", "Material", codelist="material"),
        C("year_built", "integer", "Năm xây dựng", "Year built", **YEAR),
    ), geometry="POINT", code_prefix="CU"),
    Table("inspection", "record", "Kiểm tra công trình", "Structure inspection", "structures", (
        *std_record_columns(),
        C("bridge_id", "uuid", "Cầu", "Bridge", references="bridge", parent=True),
        C("culvert_id", "uuid", "Cống", "Culvert", references="culvert", parent=True),
        C("inspection_date", "date", "Ngày kiểm tra", "Inspection date", nullable=False),
        C("inspection_type", "text", "Loại kiểm tra", "Inspection type",
          codelist="inspection_type"),
        C("inspector", "text", "Người kiểm tra", "Inspector"),
        C("scheme", "text", "Thang đánh giá", "Rating scheme", nullable=False,
          codelist="rating_scheme"),
        C("overall_rating", "integer", "Đánh giá chung", "Overall rating", min=0, max=9),
        C("structurally_deficient", "boolean", "Thiếu an toàn kết cấu", "Structurally deficient"),
        C("load_posting_t", "real", "Đề xuất hạn chế tải (t)", "Recommended posting (t)", min=0),
        C("notes", "text", "Ghi chú", "Notes"),
    ), checks=(("one_structure",
                "(bridge_id IS NULL AND culvert_id IS NOT NULL) OR "
                "(bridge_id IS NOT NULL AND culvert_id IS NULL)"),)),
    Table("component_rating", "record", "Đánh giá bộ phận", "Component rating", "structures", (
        *std_record_columns(),
        C("inspection_id", "uuid", "Lần kiểm tra", "Inspection", nullable=False,
          references="inspection", parent=True),
        C("component", "text", "Bộ phận", "Component", nullable=False),
        C("rating", "integer", "Điểm", "Rating", nullable=False, min=0, max=9),
        C("notes", "text", "Ghi chú", "Notes"),
    )),
    Table("element_condition", "record", "Trạng thái cấu kiện", "Element condition",
          "structures", (
        *std_record_columns(),
        C("inspection_id", "uuid", "Lần kiểm tra", "Inspection", nullable=False,
          references="inspection", parent=True),
        C("element_id", "uuid", "Cấu kiện", "Element", nullable=False,
          references="bridge_element", same_area=True),  # checked since GUARDS_2
        C("qty_cs1", "real", "Khối lượng trạng thái 1", "Quantity in state 1", min=0),
        C("qty_cs2", "real", "Khối lượng trạng thái 2", "Quantity in state 2", min=0),
        C("qty_cs3", "real", "Khối lượng trạng thái 3", "Quantity in state 3", min=0),
        C("qty_cs4", "real", "Khối lượng trạng thái 4", "Quantity in state 4", min=0),
    ), agree=(("element_id", "inspection_id", "bridge_id"),)),  # since GUARDS_2
    Table("attachment", "record", "Ảnh, tài liệu", "Photo or document", "structures", (
        *std_record_columns(),
        C("target_table", "text", "Bảng", "Attached to table", nullable=False),
        C("target_id", "uuid", "Đối tượng", "Attached to", nullable=False),
        C("kind", "text", "Loại", "Kind", nullable=False, codelist="attachment_kind"),
        C("file_path", "text", "Tệp", "File", nullable=False),
        C("caption", "text", "Chú thích", "Caption"),
        C("taken_at", "datetime", "Thời điểm chụp", "Taken at"),
    ), geometry="POINT", attached_to=("target_table", "target_id")),
    Table("load_station", "asset", "Trạm kiểm tra tải trọng", "Load-control station", "loads", (
        *std_asset_columns("Mã trạm", "Station code"),
        C("name", "text", "Tên trạm", "Station name", nullable=False),
        ROUTE_REF, CHAINAGE,
        C("station_type", "text", "Loại trạm", "Station type", nullable=False,
          codelist="station_type"),
        C("equipment", "text", "Thiết bị cân", "Weighing equipment"),
        C("operator", "text", "Đơn vị vận hành", "Operator"),
        C("commissioned", "date", "Ngày đưa vào hoạt động", "Commissioned"),
    ), geometry="POINT", code_prefix="LS"),
    Table("weighing_record", "bulk", "Lượt cân xe", "Weighing record", "loads", (
        C("id", "uuid", "Mã định danh", "Identifier", nullable=False, system=True),
        C("station_id", "uuid", "Trạm", "Station", nullable=False, references="load_station"),
        C("weighed_at", "datetime", "Thời điểm cân", "Weighed at", nullable=False),
        C("vehicle_type", "text", "Loại xe", "Vehicle type", nullable=False,
          codelist="vehicle_type"),
        C("axle_count", "integer", "Số trục", "Axles", nullable=False, min=2, max=12),
        C("axle_loads_t", "json", "Tải trọng trục (t)", "Axle loads (t)", nullable=False),
        C("axle_spacings_m", "json", "Khoảng cách trục (m)", "Axle spacings (m)",
          nullable=False),
        C("gross_t", "real", "Tổng trọng lượng (t)", "Gross weight (t)", nullable=False, min=0),
        C("lane", "integer", "Làn", "Lane", min=1, max=12),
        C("direction", "text", "Hướng", "Direction"),
        C("overloaded", "boolean", "Quá tải", "Overloaded"),
        C("governing_limit", "text", "Giới hạn chi phối", "Governing limit"),
        C("overload_pct", "real", "Mức quá tải (%)", "Overload (%)"),
        C("esal", "real", "Số trục xe tiêu chuẩn", "Equivalent standard axles", min=0),
    )),
    Table("traffic_loading", "record", "Tải trọng giao thông", "Traffic loading", "loads", (
        *std_record_columns(),
        ROUTE_REF, FROM_M, TO_M,
        C("year", "integer", "Năm", "Year", nullable=False, **YEAR),
        C("aadt", "real", "Lưu lượng ngày TB năm (xe/ngày)", "AADT (veh/day)", min=0),
        C("heavy_pct", "real", "Tỷ lệ xe nặng (%)", "Heavy vehicles (%)", min=0, max=100),
        C("esal_per_day", "real", "Trục tiêu chuẩn/ngày", "ESAL per day", min=0),
        C("source", "text", "Nguồn", "Source"),
    ), geometry="LINESTRING", checks=(EVENT_CHECK,)),
    Table("maintenance_plan", "asset", "Kế hoạch bảo trì", "Maintenance plan", "planning", (
        *std_asset_columns("Mã kế hoạch", "Plan code"),
        C("name", "text", "Tên kế hoạch", "Plan name", nullable=False),
        C("plan_year", "integer", "Năm kế hoạch", "Plan year", nullable=False, **YEAR),
        C("budget_vnd", "real", "Ngân sách (đồng)", "Budget (VND)", min=0),
        C("status", "text", "Trạng thái", "Status", nullable=False, codelist="plan_status",
          default="'draft'"),
        C("method", "text", "Phương pháp lập", "Planning method"),
        # since PLAN_RECORDS
        C("revision_of", "uuid", "Điều chỉnh của kế hoạch", "Revision of plan",
          references="maintenance_plan", since=PLAN_RECORDS),
        C("approved_at", "datetime", "Phê duyệt lúc", "Approved at", since=PLAN_RECORDS),
        C("approved_by", "text", "Người phê duyệt", "Approved by", since=PLAN_RECORDS),
    ), code_prefix="MP"),
    Table("plan_item", "record", "Hạng mục kế hoạch", "Plan item", "planning", (
        *std_record_columns(),
        C("plan_id", "uuid", "Kế hoạch", "Plan", nullable=False, references="maintenance_plan"),
        ROUTE_REF, FROM_M, TO_M,
        C("target_table", "text", "Loại tài sản", "Asset table"),
        C("target_id", "uuid", "Tài sản", "Asset"),
        C("treatment", "text", "Giải pháp", "Treatment", nullable=False),
        C("quantity", "real", "Khối lượng", "Quantity", min=0),
        C("unit", "text", "Đơn vị", "Unit"),
        C("cost_vnd", "real", "Kinh phí (đồng)", "Cost (VND)", min=0),
        C("priority", "real", "Độ ưu tiên", "Priority"),
        C("work_year", "integer", "Năm thực hiện", "Work year", **YEAR),
        # since PLAN_RECORDS: the plan's reasoning, then the results reported from the field
        C("status", "text", "Trạng thái", "Status", codelist="plan_item_status",
          default="'planned'", since=PLAN_RECORDS),
        C("condition_before", "real", "Tình trạng trước", "Condition before",
          since=PLAN_RECORDS),
        C("condition_after", "real", "Tình trạng sau (dự báo)", "Condition after (forecast)",
          since=PLAN_RECORDS),
        C("reason", "text", "Lý do", "Reason", since=PLAN_RECORDS),
        C("done_date", "date", "Ngày hoàn thành", "Done on", since=PLAN_RECORDS),
        C("actual_cost_vnd", "real", "Kinh phí thực tế (đồng)", "Actual cost (VND)", min=0,
          since=PLAN_RECORDS),
        C("condition_measured", "real", "Tình trạng đo sau khi làm", "Condition measured after",
          since=PLAN_RECORDS),
    ), geometry="LINESTRING", checks=(EVENT_CHECK,)),
    Table("cadastral_parcel", "record", "Thửa đất", "Cadastral parcel", "cadastre", (
        *std_record_columns(),
        C("parcel_no", "text", "Số thửa", "Parcel number", nullable=False),
        C("sheet_no", "text", "Số tờ bản đồ", "Map sheet", nullable=False),
        C("commune_code", "text", "Xã", "Commune"),
        C("land_use", "text", "Loại đất", "Land use"),
        C("area_official_m2", "real", "Diện tích pháp lý (m²)", "Official area (m²)", min=0),
        C("source", "text", "Nguồn", "Source"),
    ), geometry="MULTIPOLYGON"),
    Table("db_meta", "system", "Thông tin CSDL", "Database metadata", "system", (
        C("key", "text", "Khóa", "Key", nullable=False, unique=True),
        C("value", "text", "Giá trị", "Value"),
    )),
    Table("change_log", "system", "Lịch sử thay đổi", "Change history", "system", (
        C("id", "integer", "STT", "Sequence", nullable=False, system=True),
        C("table_name", "text", "Bảng", "Table", nullable=False),
        C("row_id", "uuid", "Đối tượng", "Row", nullable=False),
        C("revision", "integer", "Phiên bản", "Revision"),
        C("operation", "text", "Thao tác", "Operation", nullable=False),
        C("changed_at", "datetime", "Thời điểm", "Changed at", nullable=False),
        C("changed_by", "text", "Người thay đổi", "Changed by"),
        C("old_values", "json", "Giá trị cũ", "Old values"),
        C("new_values", "json", "Giá trị mới", "New values"),
        C("source_replica", "text", "Bản sao nguồn", "Source replica", since=2),
        # informational: the name the application claimed (not authenticated); the author
        # is changed_by (PostGIS: the database login)
        C("app_user", "text", "Người dùng ứng dụng (tham khảo)",
          "Application user (informational)", since=3),
    )),
    Table("codelist", "system", "Danh mục mã", "Code list", "system", (
        C("list_name", "text", "Danh mục", "List", nullable=False),
        C("code", "text", "Mã", "Code", nullable=False),
        C("label_vi", "text", "Nhãn tiếng Việt", "Vietnamese label", nullable=False),
        C("label_en", "text", "Nhãn tiếng Anh", "English label", nullable=False),
    ), unique_together=(("list_name", "code"),)),
    Table("user_district", "system", "Phân quyền theo huyện", "District editing rights",
          "system", (
        C("username", "text", "Tài khoản CSDL", "Database login", nullable=False),
        C("district_code", "text", "Huyện ('*' = toàn tỉnh)", "District ('*' = province)",
          nullable=False),
    ), unique_together=(("username", "district_code"),)),
    Table("sync_replica", "system", "Bản sao ngoại tuyến", "Offline replica", "system", (
        C("id", "uuid", "Mã định danh", "Identifier", nullable=False, system=True),
        C("name", "text", "Tên bản sao", "Replica name", nullable=False),
        C("device", "text", "Thiết bị", "Device"),
        C("created_at", "datetime", "Tạo lúc", "Created at", nullable=False),
        C("created_by", "text", "Người tạo", "Created by"),
        C("base_change_id", "integer", "Mốc lịch sử khi tạo", "Change-log id at checkout",
          min=0),
        C("last_sync_at", "datetime", "Đồng bộ lần cuối", "Last synchronised"),
        # ---- offline sync (since SYNC): what the package holds and the digest of its base
        C("scope", "text", "Phạm vi", "Scope (area, box or route)", since=SYNC),
        C("base_digest", "text", "Mã băm của bản gốc", "Digest of the base", since=SYNC),
    ), since=2),
    # ------------------------------------------------------------ offline sync (since SYNC)
    # One row per sync (its changeset): who synced what, from which package, and when; a
    # changeset id is applied once. Conflicts wait here for a person (base, mine, theirs).
    Table("sync_changeset", "system", "Lượt đồng bộ", "Sync changeset", "system", (
        C("id", "uuid", "Mã lượt đồng bộ", "Changeset id", nullable=False, system=True),
        C("replica_id", "uuid", "Bản sao", "Replica", nullable=False),
        C("package_name", "text", "Gói dữ liệu", "Package"),
        C("login", "text", "Tài khoản CSDL", "Database login"),
        C("applied_at", "datetime", "Thời điểm", "Applied at", nullable=False),
        C("digest_before", "text", "Mã băm trước", "Base digest before"),
        C("digest_after", "text", "Mã băm sau", "Base digest after"),
        C("summary", "json", "Tóm tắt", "Summary"),
    ), since=SYNC),
    Table("sync_conflict", "system", "Xung đột đồng bộ", "Sync conflict", "system", (
        C("id", "uuid", "Mã xung đột", "Conflict id", nullable=False, system=True),
        C("changeset_id", "uuid", "Lượt đồng bộ", "Changeset", nullable=False),
        C("replica_id", "uuid", "Bản sao", "Replica", nullable=False),
        C("package_name", "text", "Gói dữ liệu", "Package"),
        C("login", "text", "Tài khoản CSDL", "Database login"),
        C("created_at", "datetime", "Tạo lúc", "Created at", nullable=False),
        C("table_name", "text", "Bảng", "Table", nullable=False),
        C("row_id", "uuid", "Đối tượng", "Row", nullable=False),
        C("row_code", "text", "Mã đối tượng", "Row code"),
        C("kind", "text", "Loại xung đột", "Kind", nullable=False),
        C("fields", "json", "Trường", "Fields", nullable=False),
        C("base", "json", "Giá trị gốc", "Base values"),
        C("mine", "json", "Giá trị của gói", "Package values"),
        C("theirs", "json", "Giá trị máy chủ", "Server values"),
        C("message", "text", "Thông báo", "Message"),
        C("status", "text", "Trạng thái", "Status", nullable=False, default="'open'"),
        C("resolved_at", "datetime", "Giải quyết lúc", "Resolved at"),
        C("resolved_by", "text", "Người giải quyết", "Resolved by"),
        C("resolution", "json", "Cách giải quyết", "Resolution"),
    ), since=SYNC),
)

TABLES: Dict[str, Table] = {t.name: _with_audit(t) for t in _TABLES}
TABLES["cadastral_parcel"] = replace(
    TABLES["cadastral_parcel"],
    columns=TABLES["cadastral_parcel"].columns + CADASTRE_COLUMNS)


def tables_at(version: int) -> Dict[str, Table]:
    """The schema as it was at ``version`` (tables and columns with ``since <= version``)."""
    out = {}
    for name, tbl in TABLES.items():
        old = tbl.at_version(version)
        if old is not None:
            out[name] = old
    return out


def table(name: str) -> Table:
    """Return the table definition called ``name`` (KeyError names it if unknown)."""
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"no table {name!r} in the RoadInfra schema") from None
