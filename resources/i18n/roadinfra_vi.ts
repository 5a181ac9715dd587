<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>@default</name>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_plan_atlas.py" line="28"/>
        <source>Prints a stored maintenance plan as an atlas in one PDF: a cover sheet with the whole province and the plan's cost by year and district, then one sheet per district, route or plan item, numbered 'Tờ k/n', each with the map of the plan items and pavement condition in the provincial VN-2000 grid, an overview map, legend, scale, north arrow, the table of the items on the sheet (route, Km from-to, treatment, quantity, cost) and a title block to sign. Works from a GeoPackage or PostGIS; the current project is not changed.</source>
        <translation>In một kế hoạch bảo trì đã lưu thành tập bản đồ trong một tệp PDF: tờ bìa với toàn tỉnh và kinh phí kế hoạch theo năm và huyện, sau đó mỗi huyện, tuyến hoặc hạng mục kế hoạch một tờ, đánh số 'Tờ k/n', mỗi tờ có bản đồ các hạng mục kế hoạch và tình trạng mặt đường trong lưới tọa độ VN-2000 của tỉnh, bản đồ vị trí, chú giải, thước tỷ lệ, mũi tên chỉ hướng bắc, bảng các hạng mục trên tờ (tuyến, lý trình Km từ-đến, giải pháp, khối lượng, kinh phí) và khung tên để ký. Dùng được với GeoPackage hoặc PostGIS; dự án đang mở không bị thay đổi.</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_plan_atlas.py" line="27"/>
        <source>Print maintenance plan atlas (PDF)</source>
        <translation>In tập bản đồ kế hoạch bảo trì (PDF)</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/background.py" line="51"/>
        <source>Printing cancelled</source>
        <translation>Đã hủy in</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/background.py" line="37"/>
        <source>Printing the plan atlas</source>
        <translation>Đang in tập bản đồ kế hoạch</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="126"/>
        <source>Choose a database and an output PDF</source>
        <translation>Hãy chọn cơ sở dữ liệu và tệp PDF kết quả</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="108"/>
        <source>Printing failed</source>
        <translation>In không thành công</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="103"/>
        <source>Plan atlas of {pages} sheets written to {path}</source>
        <translation>Đã ghi tập bản đồ kế hoạch {pages} tờ vào {path}</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="57"/>
        <source>Output PDF</source>
        <translation>Tệp PDF kết quả</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="57"/>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="57"/>
        <source>Template</source>
        <translation>Mẫu trình bày</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="57"/>
        <source>One sheet per</source>
        <translation>Mỗi tờ một</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="57"/>
        <source>Plan</source>
        <translation>Kế hoạch</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="57"/>
        <source>Provincial database</source>
        <translation>Cơ sở dữ liệu của tỉnh</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="56"/>
        <source>PDF files (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="53"/>
        <source>Geospatial PDF where available</source>
        <translation>PDF có tọa độ địa lý (nếu hỗ trợ)</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="51"/>
        <source>English</source>
        <translation>Tiếng Anh</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="50"/>
        <source>Vietnamese</source>
        <translation>Tiếng Việt</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="47"/>
        <source>A4 portrait</source>
        <translation>A4 khổ dọc</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="47"/>
        <source>A3 landscape</source>
        <translation>A3 khổ ngang</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="43"/>
        <source>Plan item</source>
        <translation>Hạng mục kế hoạch</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="40"/>
        <source>Read plans</source>
        <translation>Đọc danh sách kế hoạch</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="37"/>
        <source>GeoPackage file or service=NAME</source>
        <translation>Tệp GeoPackage hoặc service=TÊN</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="34"/>
        <source>Print plan atlas</source>
        <translation>In tập bản đồ kế hoạch</translation>
    </message>
    <message>
        <location filename="../../plugin/main.py" line="104"/>
        <source>Print plan atlas...</source>
        <translation>In tập bản đồ kế hoạch...</translation>
    </message>
    <message>
        <location filename="../../plugin/actions.py" line="24"/>
        <source>The Processing toolbox is not available: enable the Processing plugin.</source>
        <translation>Hộp công cụ Processing không khả dụng: hãy bật phần bổ trợ Processing.</translation>
    </message>
    <message>
        <location filename="../../plugin/actions.py" line="39"/>
        <source>&lt;b&gt;RoadInfra {version}&lt;/b&gt;&lt;br&gt;Provincial road infrastructure management: bridges, culverts, pavement condition, load control and maintenance planning.&lt;br&gt;Licence: GNU GPL version 2 or later.</source>
        <translation>&lt;b&gt;RoadInfra {version}&lt;/b&gt;&lt;br&gt;Quản lý kết cấu hạ tầng đường bộ cấp tỉnh: cầu, cống, tình trạng mặt đường, kiểm soát tải trọng xe và lập kế hoạch bảo trì.&lt;br&gt;Giấy phép: GNU GPL phiên bản 2 trở lên.</translation>
    </message>
    <message>
        <location filename="../../plugin/main.py" line="116"/>
        <source>About RoadInfra</source>
        <translation>Giới thiệu RoadInfra</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/actions.py" line="166"/>
        <source>RoadInfra</source>
        <translation>RoadInfra</translation>
    </message>
    <message>
        <location filename="../../plugin/main.py" line="72"/>
        <source>&amp;RoadInfra</source>
        <translation>&amp;RoadInfra</translation>
    </message>
    <message>
        <location filename="../../plugin/main.py" line="75"/>
        <source>Open provincial database...</source>
        <translation>Mở cơ sở dữ liệu tỉnh...</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/info.py" line="27"/>
        <source>Database and profile information</source>
        <translation>Thông tin cơ sở dữ liệu và hồ sơ địa phương</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/info.py" line="28"/>
        <source>General</source>
        <translation>Chung</translation>
    </message>
    <message>
        <location filename="../../plugin/condition/summary_panel.py" line="143"/>
        <source>Whole network</source>
        <translation>Toàn mạng lưới</translation>
    </message>
    <message>
        <location filename="../../plugin/condition/summary_panel.py" line="130"/>
        <source>Condition</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="43"/>
        <source>Route</source>
        <translation>Tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/atlas_dialog.py" line="43"/>
        <source>District</source>
        <translation>Huyện</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="162"/>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location filename="../../plugin/planning/plan_dock.py" line="127"/>
        <source>Open a provincial database first.</source>
        <translation>Hãy mở cơ sở dữ liệu tỉnh trước.</translation>
    </message>
    <message>
        <location filename="../../plugin/database/open_dialog.py" line="46"/>
        <source>(none)</source>
        <translation>(không có)</translation>
    </message>
    <message>
        <location filename="../../plugin/database/open_dialog.py" line="67"/>
        <source>Choose a GeoPackage file.</source>
        <translation>Hãy chọn một tệp GeoPackage.</translation>
    </message>
    <message>
        <location filename="../../plugin/database/open_dialog.py" line="73"/>
        <source>Choose a pg_service name.</source>
        <translation>Hãy chọn tên dịch vụ pg_service.</translation>
    </message>
    <message>
        <location filename="../../plugin/database/open_dialog.py" line="77"/>
        <source>Choose a QGIS PostgreSQL connection.</source>
        <translation>Hãy chọn một kết nối PostgreSQL của QGIS.</translation>
    </message>
    <message>
        <location filename="../../plugin/database/open_dialog.py" line="90"/>
        <source>Open provincial database</source>
        <translation>Mở cơ sở dữ liệu tỉnh</translation>
    </message>
    <message>
        <location filename="../../plugin/database/open_dialog.py" line="104"/>
        <source>{count} layers loaded.</source>
        <translation>Đã nạp {count} lớp dữ liệu.</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="56"/>
        <source>Compute PCI from distress table</source>
        <translation>Tính PCI từ bảng hư hỏng</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/__init__.py" line="6"/>
        <source>Condition assessment</source>
        <translation>Đánh giá tình trạng</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/classify_iri.py" line="28"/>
        <source>Classify IRI</source>
        <translation>Phân loại IRI</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/import_bridge_inventory.py" line="40"/>
        <source>Import bridge inventory (mapping file)</source>
        <translation>Nhập danh mục cầu (tệp ánh xạ)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/import_bridge_inventory.py" line="41"/>
        <source>Reads a CSV or XLSX inventory of bridges and culverts (e.g. the US NBI format or a province&apos;s legacy spreadsheet) through a column mapping file, rates each structure with the mapping&apos;s rating scheme and writes a point layer in the provincial grid with the overall condition, deficiency flag and posting recommendation. Bad rows are listed with their line and column; the other rows are imported.</source>
        <translation>Đọc danh mục cầu, cống dạng CSV hoặc XLSX (ví dụ định dạng NBI của Hoa Kỳ hoặc bảng tính cũ của tỉnh) qua một tệp ánh xạ cột, đánh giá từng công trình theo thang đánh giá của tệp ánh xạ và ghi ra một lớp điểm trong hệ tọa độ của tỉnh, gồm tình trạng chung, cờ khiếm khuyết và khuyến nghị cắm biển hạn chế tải trọng. Các dòng sai được liệt kê kèm số dòng và cột; các dòng khác vẫn được nhập.</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/__init__.py" line="7"/>
        <source>Load control</source>
        <translation>Kiểm soát tải trọng xe</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_check.py" line="20"/>
        <source>Check weighing records against axle-load limits</source>
        <translation>Kiểm tra số liệu cân xe theo giới hạn tải trọng trục</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_daily_stats.py" line="18"/>
        <source>Daily overload statistics</source>
        <translation>Thống kê quá tải theo ngày</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_esal_sections.py" line="41"/>
        <source>ESAL per route section</source>
        <translation>ESAL theo đoạn tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_esal_sections.py" line="42"/>
        <source>Turns weighed axle loads into equivalent standard axles (100 kN, fourth-power law; exponent from the profile) per day at each station, and gives each route section the ESAL/day of the station(s) inside it, or else of the nearest station on the same route by chainage. The output has the columns of the traffic_loading table and the section geometry.</source>
        <translation>Quy đổi tải trọng trục đã cân thành số trục xe tiêu chuẩn tương đương (100 kN, quy luật lũy thừa bậc bốn; số mũ lấy từ hồ sơ địa phương) mỗi ngày tại từng trạm, và gán cho mỗi đoạn tuyến ESAL/ngày của (các) trạm nằm trong đoạn, nếu không có thì của trạm gần nhất theo lý trình trên cùng tuyến. Kết quả có các cột của bảng traffic_loading và hình học của đoạn.</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/__init__.py" line="9"/>
        <source>Linear referencing</source>
        <translation>Tham chiếu tuyến tính</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/calibrate_routes.py" line="40"/>
        <source>Calibrate routes</source>
        <translation>Hiệu chỉnh tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/locate_points.py" line="27"/>
        <source>Locate points along routes</source>
        <translation>Định vị điểm theo tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/create_events.py" line="21"/>
        <source>Create events from chainage table</source>
        <translation>Tạo sự kiện từ bảng lý trình</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/segment_overlay.py" line="23"/>
        <source>Segment overlay</source>
        <translation>Chồng xếp phân đoạn</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/segment_overlay.py" line="24"/>
        <source>Cuts two event tables on the same routes (e.g. pavement sections and survey results) into homogeneous segments carrying the attributes of both (prefixed a_ and b_). Both tables use the same route, from and to field names. With a routes layer the segments are drawn as lines.</source>
        <translation>Cắt hai bảng sự kiện trên cùng các tuyến (ví dụ đoạn mặt đường và kết quả khảo sát) thành các đoạn đồng nhất mang thuộc tính của cả hai (tiền tố a_ và b_). Hai bảng dùng cùng tên trường tuyến, từ và đến. Khi có lớp tuyến, các đoạn được vẽ thành đường.</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/condition_map.py" line="69"/>
        <source>Load-control stations</source>
        <translation>Trạm kiểm tra tải trọng xe</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/condition_summary.py" line="29"/>
        <source>Condition summary</source>
        <translation>Tóm tắt tình trạng</translation>
    </message>
    <message>
        <location filename="../../plugin/main.py" line="91"/>
        <source>RoadInfra Processing tools</source>
        <translation>Công cụ xử lý RoadInfra</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/condition_map.py" line="61"/>
        <source>Pavement and structure condition map — {province} province</source>
        <translation>Bản đồ tình trạng mặt đường và công trình — tỉnh {province}</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/condition_map.py" line="62"/>
        <source>{agency} · {km} km of pavement sections, {bridges} bridges, {culverts} culverts</source>
        <translation>{agency} · {km} km đoạn mặt đường, {bridges} cầu, {culverts} cống</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/overlay_map.py" line="65"/>
        <source>Legend</source>
        <translation>Chú giải</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/condition_map.py" line="66"/>
        <source>Bridges (latest inspection)</source>
        <translation>Cầu (kiểm tra gần nhất)</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/condition_map.py" line="67"/>
        <source>Culverts (latest inspection)</source>
        <translation>Cống (kiểm tra gần nhất)</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/condition_map.py" line="68"/>
        <source>Routes</source>
        <translation>Tuyến đường</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/condition_map.py" line="65"/>
        <source>Pavement condition (PCI)</source>
        <translation>Tình trạng mặt đường (PCI)</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/overlay_map.py" line="76"/>
        <source>Coordinate system: {crs} (EPSG:{epsg})</source>
        <translation>Hệ tọa độ: {crs} (EPSG:{epsg})</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/overlay_map.py" line="77"/>
        <source>Printed on {date}</source>
        <translation>Ngày in: {date}</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/condition_map.py" line="72"/>
        <source>Province boundary: geoBoundaries.org (Runfola et al. 2020). QL10 centre-line: LegoCity, CC BY-SA 4.0. Bridges, culverts, pavement sections, surveys and weigh stations: synthetic assets (RoadInfra sample data), not facts about real roads.</source>
        <translation>Ranh giới tỉnh: geoBoundaries.org (Runfola và cộng sự, 2020). Tim tuyến QL10: LegoCity, CC BY-SA 4.0. Cầu, cống, đoạn mặt đường, số liệu khảo sát và trạm cân: tài sản giả lập (dữ liệu mẫu RoadInfra), không phải số liệu thật của tuyến đường nào.</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/condition_map.py" line="76"/>
        <source>Data: {agency}, database {database}.</source>
        <translation>Dữ liệu: {agency}, cơ sở dữ liệu {database}.</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/overlay_map.py" line="84"/>
        <source>Made with RoadInfra {version} and QGIS {qgis}.</source>
        <translation>Lập bằng RoadInfra {version} và QGIS {qgis}.</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_condition_map.py" line="25"/>
        <source>Print condition map (PDF)</source>
        <translation>In bản đồ tình trạng (PDF)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/__init__.py" line="5"/>
        <source>Maps and reports</source>
        <translation>Bản đồ và báo cáo</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_condition_map.py" line="26"/>
        <source>Prints an A3 landscape PDF map of the provincial database: pavement sections coloured by the PCI class of their latest survey, bridges and culverts by the condition of their latest inspection, routes and load-control stations, with a legend, scale bar, north arrow, coordinate system, date, data credits and a table of the condition summary (km per PCI class, structures per condition, overloaded share).</source>
        <translation>In bản đồ PDF khổ A3 ngang của cơ sở dữ liệu tỉnh: các đoạn mặt đường tô màu theo cấp PCI của lần khảo sát gần nhất, cầu và cống theo tình trạng của lần kiểm tra gần nhất, các tuyến đường và trạm kiểm tra tải trọng xe, kèm chú giải, thước tỷ lệ, mũi tên chỉ hướng bắc, hệ tọa độ, ngày in, nguồn dữ liệu và bảng tổng hợp tình trạng (km theo cấp PCI, số công trình theo tình trạng, tỷ lệ xe quá tải).</translation>
    </message>
    <message>
        <location filename="../../plugin/lrs/issue_dialog.py" line="28"/>
        <source>Calibration issues layer</source>
        <translation>Lớp lỗi hiệu chỉnh lý trình</translation>
    </message>
    <message>
        <location filename="../../plugin/lrs/issue_dialog.py" line="44"/>
        <source>Routes (lines)</source>
        <translation>Tuyến (đường)</translation>
    </message>
    <message>
        <location filename="../../plugin/lrs/issue_dialog.py" line="44"/>
        <source>Route code field (empty: the layer is one route)</source>
        <translation>Trường mã tuyến (để trống: cả lớp là một tuyến)</translation>
    </message>
    <message>
        <location filename="../../plugin/lrs/issue_dialog.py" line="44"/>
        <source>Route code when there is no route code field</source>
        <translation>Mã tuyến khi không có trường mã tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/lrs/issue_dialog.py" line="44"/>
        <source>Route start measure field (empty: start_m if present)</source>
        <translation>Trường lý trình đầu tuyến (để trống: start_m nếu có)</translation>
    </message>
    <message>
        <location filename="../../plugin/lrs/issue_dialog.py" line="44"/>
        <source>Kilometre posts (points)</source>
        <translation>Cột km (điểm)</translation>
    </message>
    <message>
        <location filename="../../plugin/lrs/issue_dialog.py" line="44"/>
        <source>Post label field (Km12)</source>
        <translation>Trường nhãn cột km (Km12)</translation>
    </message>
    <message>
        <location filename="../../plugin/lrs/issue_dialog.py" line="44"/>
        <source>Post measure field (metres or Km12+000; empty: from the label)</source>
        <translation>Trường lý trình của cột km (mét hoặc Km12+000; để trống: lấy từ nhãn)</translation>
    </message>
    <message>
        <location filename="../../plugin/lrs/issue_dialog.py" line="44"/>
        <source>Post route code field</source>
        <translation>Trường mã tuyến của cột km</translation>
    </message>
    <message>
        <location filename="../../plugin/lrs/issue_dialog.py" line="44"/>
        <source>Maximum distance of a post from its route (m)</source>
        <translation>Khoảng cách tối đa từ cột km đến tuyến (m)</translation>
    </message>
    <message>
        <location filename="../../plugin/lrs/issue_dialog.py" line="89"/>
        <source>Choose a routes and a posts layer.</source>
        <translation>Hãy chọn một lớp tuyến và một lớp cột km.</translation>
    </message>
    <message>
        <location filename="../../plugin/lrs/issue_dialog.py" line="97"/>
        <source>{n} calibration issue(s); the layers follow your edits.</source>
        <translation>{n} lỗi hiệu chỉnh; các lớp tự cập nhật theo chỉnh sửa của bạn.</translation>
    </message>
    <message>
        <location filename="../../plugin/lrs/issue_layer.py" line="93"/>
        <source>Calibration issues (points)</source>
        <translation>Lỗi hiệu chỉnh lý trình (điểm)</translation>
    </message>
    <message>
        <location filename="../../plugin/lrs/issue_layer.py" line="95"/>
        <source>Calibration issues (lines)</source>
        <translation>Lỗi hiệu chỉnh lý trình (đường)</translation>
    </message>
    <message>
        <location filename="../../plugin/lrs/issue_layer.py" line="173"/>
        <source>Calibration issues</source>
        <translation>Lỗi hiệu chỉnh lý trình</translation>
    </message>
    <message>
        <location filename="../../plugin/main.py" line="102"/>
        <source>Calibration issues layer...</source>
        <translation>Lớp lỗi hiệu chỉnh lý trình...</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/calibrate_routes.py" line="41"/>
        <source>Builds each route from its line pieces and calibrates its chainage on kilometre posts (piecewise linear between posts, extended beyond the end posts). Writes the routes with measures (M values) in the provincial grid and a layer of calibration issues: posts off the route, out of order, swapped or duplicated, posts without a measure or route, gaps and overlaps between route pieces, forks and parallel pieces left out of the measured line. Posts whose route matches no route stop the run.</source>
        <translation>Ghép mỗi tuyến từ các đoạn đường thẳng của nó và hiệu chỉnh lý trình theo các cột km (tuyến tính từng khúc giữa các cột, kéo dài ra ngoài cột đầu và cột cuối). Ghi ra các tuyến có giá trị đo (giá trị M) trong hệ tọa độ của tỉnh và một lớp các lỗi hiệu chỉnh: cột km nằm ngoài tuyến, sai thứ tự, bị đổi chỗ hoặc nhập trùng, cột km thiếu lý trình hoặc tuyến, khoảng hở và chồng lấn giữa các đoạn tuyến, nhánh rẽ và đoạn song song không tính vào tuyến. Cột km ghi một tuyến không tồn tại sẽ làm dừng thuật toán.</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/locate_points.py" line="28"/>
        <source>Adds route code, measure (m), chainage (Km12+350) and offset (m, left of the route positive, right negative) to each point: on the point&apos;s own route when a point route field is chosen and filled, else on the nearest route within the maximum offset; lrs_match says which, lrs_error why a point was not located. Routes are calibrated on kilometre posts if given.</source>
        <translation>Thêm mã tuyến, giá trị đo (m), lý trình (Km12+350) và khoảng lệch (m, bên trái tuyến dương, bên phải âm) cho từng điểm: trên tuyến của chính điểm đó khi chọn trường tuyến của điểm và trường có giá trị, nếu không thì trên tuyến gần nhất trong phạm vi khoảng lệch tối đa; lrs_match cho biết cách đã dùng, lrs_error lý do không định vị được. Nếu có cột km thì tuyến được hiệu chỉnh theo các cột km đó.</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/create_events.py" line="22"/>
        <source>Draws a table of events (route, from, to) as lines on the calibrated routes (dynamic segmentation), or as points (route, chainage) when no &apos;to&apos; field is given. Offsets (m, left positive) move points sideways; a line runs from its start offset to its end offset. Chainages may be metres or text such as Km12+350. A row that cannot be placed keeps its attributes, no geometry and its reason in lrs_error.</source>
        <translation>Vẽ bảng sự kiện (tuyến, từ, đến) thành các đường trên tuyến đã hiệu chỉnh (phân đoạn động), hoặc thành các điểm (tuyến, lý trình) khi không có trường 'đến'. Khoảng lệch (m, bên trái dương) dịch điểm sang ngang; một đường chạy từ khoảng lệch đầu đến khoảng lệch cuối. Lý trình có thể là mét hoặc dạng chữ như Km12+350. Dòng không đặt được vẫn giữ thuộc tính, không có hình học và ghi lý do trong lrs_error.</translation>
    </message>
    <message>
        <location filename="../../plugin/condition/summary_panel.py" line="273"/>
        <source>computing…</source>
        <translation>đang tính…</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="35"/>
        <source>Sample unit field</source>
        <translation>Trường đơn vị mẫu</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="35"/>
        <source>Sample unit area field</source>
        <translation>Trường diện tích đơn vị mẫu</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="35"/>
        <source>Distress code field</source>
        <translation>Trường mã hư hỏng</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="35"/>
        <source>Severity field</source>
        <translation>Trường mức độ</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="35"/>
        <source>Quantity field</source>
        <translation>Trường khối lượng</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/condition_summary.py" line="30"/>
        <source>Summarises a provincial database: pavement sections and km per PCI class and IRI band of their latest survey, bridges and culverts per condition class of their latest inspection, and the overloaded share per load-control station; for the whole network, one route (code) or one district (code). The table has the rows of the Condition panel; SUMMARY holds the numbers as JSON.</source>
        <translation>Tóm tắt cơ sở dữ liệu cấp tỉnh: số đoạn và số km mặt đường theo cấp PCI và khoảng IRI của lần khảo sát gần nhất, số cầu và cống theo cấp tình trạng của lần kiểm tra gần nhất, và tỷ lệ xe quá tải ở từng trạm kiểm tra tải trọng xe; cho toàn mạng lưới, một tuyến (mã) hoặc một huyện (mã). Bảng có các dòng của bảng Tình trạng; SUMMARY chứa các số liệu dạng JSON.</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_check.py" line="19"/>
        <source>Checked records</source>
        <translation>Số liệu đã kiểm tra</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_daily_stats.py" line="17"/>
        <source>Daily statistics</source>
        <translation>Thống kê theo ngày</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_esal_sections.py" line="25"/>
        <source>Station code field</source>
        <translation>Trường mã trạm</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_esal_sections.py" line="25"/>
        <source>Station route field</source>
        <translation>Trường tuyến của trạm</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_esal_sections.py" line="25"/>
        <source>Station chainage field (m)</source>
        <translation>Trường lý trình của trạm (m)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_esal_sections.py" line="28"/>
        <source>Section route field</source>
        <translation>Trường tuyến của đoạn</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_esal_sections.py" line="28"/>
        <source>Section start chainage field (m)</source>
        <translation>Trường lý trình đầu đoạn (m)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_esal_sections.py" line="28"/>
        <source>Section end chainage field (m)</source>
        <translation>Trường lý trình cuối đoạn (m)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/info.py" line="30"/>
        <source>Shows the RoadInfra version and a summary of the jurisdiction profile (province, coordinate system, districts). If a RoadInfra GeoPackage is given, also its schema version and, per table, the live and the tombstoned (deleted) rows, the same answer as &apos;roadinfra db info&apos;.</source>
        <translation>Hiển thị phiên bản RoadInfra và tóm tắt hồ sơ địa phương (tỉnh, hệ tọa độ, các huyện). Nếu chọn một GeoPackage RoadInfra, hiển thị thêm phiên bản lược đồ và, theo từng bảng, số bản ghi đang dùng và số bản ghi đã xóa (đánh dấu xóa), giống kết quả của 'roadinfra db info'.</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="33"/>
        <source>all tools</source>
        <translation>mọi công cụ</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="33"/>
        <source>tables: condition, loads, chainage events</source>
        <translation>bảng: tình trạng, tải trọng, sự kiện lý trình</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="33"/>
        <source>geometry: chainage, overlays, maps</source>
        <translation>hình học: lý trình, chồng lớp, bản đồ</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="33"/>
        <source>coordinate systems (VN-2000)</source>
        <translation>hệ tọa độ (VN-2000)</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="33"/>
        <source>layers: linear referencing, imports, maps</source>
        <translation>lớp dữ liệu: tham chiếu tuyến tính, nhập dữ liệu, bản đồ</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="33"/>
        <source>reading Excel (.xlsx) files</source>
        <translation>đọc tệp Excel (.xlsx)</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="33"/>
        <source>the shared PostGIS database</source>
        <translation>cơ sở dữ liệu PostGIS dùng chung</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="58"/>
        <source>jurisdiction profiles</source>
        <translation>hồ sơ địa phương</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="94"/>
        <source>in the OSGeo4W Shell (Start menu, run as administrator): python -m pip install {names}</source>
        <translation>trong OSGeo4W Shell (menu Start, chạy với quyền quản trị): python -m pip install {names}</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="98"/>
        <source>in Terminal: /Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip install --user {names} (QGIS-LTR.app for the LTR)</source>
        <translation>trong Terminal: /Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip install --user {names} (QGIS-LTR.app với bản LTR)</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="103"/>
        <source>in a terminal: sudo apt install {names}</source>
        <translation>trong cửa sổ dòng lệnh: sudo apt install {names}</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="105"/>
        <source>with your distribution&apos;s packages, or: python3 -m pip install --user {names}</source>
        <translation>bằng gói của bản phân phối Linux, hoặc: python3 -m pip install --user {names}</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="112"/>
        <source>{module} ({required}): needed for {use}</source>
        <translation>{module} ({required}): cần cho {use}</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="112"/>
        <source>required</source>
        <translation>bắt buộc</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="112"/>
        <source>optional</source>
        <translation>tùy chọn</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="121"/>
        <source>Install on this computer, {how}.</source>
        <translation>Cài đặt trên máy này, {how}.</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="123"/>
        <source>Or re-run the OSGeo4W installer (Advanced Install) and select: {names}.</source>
        <translation>Hoặc chạy lại trình cài đặt OSGeo4W (Advanced Install) và chọn: {names}.</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="125"/>
        <source>Then restart QGIS. docs/install.md lists the dependencies per platform.</source>
        <translation>Sau đó khởi động lại QGIS. docs/install.md liệt kê các thư viện cần thiết theo từng hệ điều hành.</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="141"/>
        <source>RoadInfra: missing Python modules</source>
        <translation>RoadInfra: thiếu mô-đun Python</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="142"/>
        <source>{names}. Some tools will not appear until you install them, {how}.</source>
        <translation>{names}. Một số công cụ sẽ không hiện ra cho đến khi bạn cài đặt chúng, {how}.</translation>
    </message>
    <message>
        <location filename="../../plugin/condition/summary_panel.py" line="82"/>
        <source>Length-weighted mean PCI</source>
        <translation>PCI bình quân theo chiều dài</translation>
    </message>
    <message>
        <location filename="../../plugin/condition/summary_panel.py" line="85"/>
        <source>Length-weighted mean IRI (m/km)</source>
        <translation>IRI bình quân theo chiều dài (m/km)</translation>
    </message>
    <message>
        <location filename="../../plugin/condition/summary_panel.py" line="101"/>
        <source>Poor condition:</source>
        <translation>Tình trạng kém:</translation>
    </message>
    <message>
        <location filename="../../plugin/condition/summary_panel.py" line="105"/>
        <source>No station in this scope.</source>
        <translation>Không có trạm nào trong phạm vi này.</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="57"/>
        <source>Computes the Pavement Condition Index (ASTM D6433, asphalt roads) of every sample unit of a distress table (one row per distress: sample unit, unit area, distress code 1-19, severity L/M/H, quantity in m2, m or count) and the area-weighted PCI of all units. Every row is checked; bad rows are all listed with their field. A table of many surveys (the loaded pavement distress layer) is computed survey by survey: each survey&apos;s sample units and errors are its own, and the PCI and rating of each survey can be written back to the provincial database (logged in its history; a survey changed meanwhile is refused).</source>
        <translation>Tính chỉ số tình trạng mặt đường PCI (ASTM D6433, mặt đường bê tông nhựa) của từng đơn vị mẫu trong bảng hư hỏng (mỗi dòng một hư hỏng: đơn vị mẫu, diện tích đơn vị mẫu, mã hư hỏng 1-19, mức độ L/M/H, khối lượng theo m2, m hoặc số lượng) và PCI bình quân theo diện tích của mọi đơn vị. Mọi dòng đều được kiểm tra; các dòng sai được liệt kê kèm trường. Bảng gồm nhiều lần khảo sát (lớp hư hỏng mặt đường đã nạp) được tính theo từng lần khảo sát: đơn vị mẫu và lỗi của lần nào thuộc lần đó, và PCI cùng xếp loại của từng lần khảo sát có thể được ghi lại vào cơ sở dữ liệu tỉnh (ghi vào lịch sử; lần khảo sát đã bị người khác sửa trong lúc tính sẽ bị từ chối).</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_check.py" line="21"/>
        <source>Checks each weighed vehicle of a load-control CSV or of a layer (e.g. the weighing records of the open provincial database) against the profile&apos;s single-axle, tandem, tridem and gross-weight limits (Circular 46/2015/TT-BGTVT for Thai Binh). The output table has the governing limit, the overload percentage and the ESAL of each vehicle; rows that cannot be read keep their line number and the error, and every other row is still checked.</source>
        <translation>Kiểm tra từng xe đã cân trong tệp CSV kiểm soát tải trọng hoặc trong một lớp dữ liệu (ví dụ số liệu cân xe của cơ sở dữ liệu tỉnh đang mở) theo giới hạn trục đơn, trục kép, trục ba và tổng trọng lượng của hồ sơ địa phương (Thông tư 46/2015/TT-BGTVT đối với Thái Bình). Bảng kết quả có giới hạn chi phối, phần trăm quá tải và ESAL của từng xe; các dòng không đọc được giữ số dòng và lỗi, mọi dòng khác vẫn được kiểm tra.</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_daily_stats.py" line="19"/>
        <source>Checks a load-control CSV or layer and counts, per station and local day (UTC+07:00), the vehicles weighed, the overloaded ones and their share, the largest overload, the ESAL total and the counts by vehicle type. Rows that cannot be read are reported in the log and left out.</source>
        <translation>Kiểm tra tệp CSV hoặc lớp dữ liệu kiểm soát tải trọng và đếm, theo từng trạm và ngày địa phương (UTC+07:00), số xe đã cân, số xe quá tải và tỷ lệ, mức quá tải lớn nhất, tổng ESAL và số xe theo loại. Các dòng không đọc được được báo trong nhật ký và bỏ qua.</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="33"/>
        <source>maintenance planning: optimal plans, forecasts</source>
        <translation>lập kế hoạch bảo trì: kế hoạch tối ưu, dự báo</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="33"/>
        <source>the benefit-versus-budget plot</source>
        <translation>biểu đồ lợi ích theo kinh phí</translation>
    </message>
    <message>
        <location filename="../../plugin/planning/plan_dock.py" line="95"/>
        <source>Maintenance plan</source>
        <translation>Kế hoạch bảo trì</translation>
    </message>
    <message>
        <location filename="../../plugin/planning/plan_dock.py" line="110"/>
        <source>Show the plan on the map</source>
        <translation>Hiển thị kế hoạch trên bản đồ</translation>
    </message>
    <message>
        <location filename="../../plugin/planning/plan_dock.py" line="143"/>
        <source>The database has no maintenance plan yet: build one with roadinfra plan build or the Processing tool.</source>
        <translation>Cơ sở dữ liệu chưa có kế hoạch bảo trì: hãy lập bằng lệnh roadinfra plan build hoặc công cụ Processing.</translation>
    </message>
    <message>
        <location filename="../../plugin/planning/plan_layer.py" line="74"/>
        <source>Maintenance plan {code}</source>
        <translation>Kế hoạch bảo trì {code}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/__init__.py" line="6"/>
        <source>Maintenance planning</source>
        <translation>Lập kế hoạch bảo trì</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_build.py" line="30"/>
        <source>Build a maintenance plan of the database</source>
        <translation>Lập kế hoạch bảo trì từ cơ sở dữ liệu</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_build.py" line="31"/>
        <source>Forecasts the condition of every pavement section, bridge and culvert of the provincial database, lists the treatments the profile&apos;s decision table allows and chooses at most one per asset over the horizon to maximise the condition gained within each year&apos;s budget. The plan is stored as a draft (code MP-&lt;year&gt;-NN) with one item per treatment, unless &apos;Plan only&apos; is ticked. OUTPUT lists the items in priority order with the condition before and after and the reason; COMPARISON gives each method&apos;s benefit and cost for the same money.</source>
        <translation>Dự báo tình trạng của từng đoạn mặt đường, cầu và cống trong cơ sở dữ liệu tỉnh, liệt kê các giải pháp mà bảng quyết định của hồ sơ địa phương cho phép và chọn nhiều nhất một giải pháp cho mỗi tài sản trong cả kỳ kế hoạch để tình trạng được cải thiện nhiều nhất trong ngân sách của từng năm. Kế hoạch được lưu ở dạng dự thảo (mã MP-&lt;year&gt;-NN) với một hạng mục cho mỗi giải pháp, trừ khi chọn 'Chỉ lập kế hoạch'. OUTPUT liệt kê các hạng mục theo thứ tự ưu tiên kèm tình trạng trước và sau và lý do; COMPARISON cho lợi ích và kinh phí của từng phương pháp với cùng số tiền.</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_optimize.py" line="29"/>
        <source>Optimise a plan from an options table</source>
        <translation>Tối ưu kế hoạch từ bảng phương án</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_optimize.py" line="30"/>
        <source>Chooses at most one treatment per section and year (or per section over the horizon) from a table of options (fields section, year, treatment, cost, benefit, optionally condition, as in the CLI&apos;s options table) to maximise the benefit within each year&apos;s budget: optimal (integer programme solved by HiGHS to the gap asked), incremental benefit-cost (greedy) or worst first. Every bad row is reported. COMPARISON gives each method&apos;s benefit and cost on the same input.</source>
        <translation>Chọn nhiều nhất một giải pháp cho mỗi đoạn và mỗi năm (hoặc cho mỗi đoạn trong cả kỳ) từ bảng phương án (các trường section, year, treatment, cost, benefit, có thể có condition, như bảng phương án của dòng lệnh) để lợi ích lớn nhất trong ngân sách của từng năm: tối ưu (quy hoạch nguyên giải bằng HiGHS đến sai số yêu cầu), lợi ích-chi phí gia tăng (tham lam) hoặc xấu nhất trước. Mọi dòng sai đều được báo. COMPARISON cho lợi ích và kinh phí của từng phương pháp trên cùng dữ liệu.</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/report.py" line="22"/>
        <source>Network length by route class and PCI class</source>
        <translation>Chiều dài mạng lưới theo loại đường và cấp PCI</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/report.py" line="22"/>
        <source>Bridges and culverts by condition</source>
        <translation>Cầu, cống theo tình trạng</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/report.py" line="22"/>
        <source>Overloaded vehicles by station and month</source>
        <translation>Xe quá tải theo trạm và tháng</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/report.py" line="22"/>
        <source>Plan cost by district and year</source>
        <translation>Kinh phí kế hoạch theo huyện và năm</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/report.py" line="22"/>
        <source>Plan items</source>
        <translation>Hạng mục kế hoạch</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/report.py" line="22"/>
        <source>Plan progress by year</source>
        <translation>Tiến độ kế hoạch theo năm</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/report.py" line="42"/>
        <source>Standard reports</source>
        <translation>Báo cáo tiêu chuẩn</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/report.py" line="43"/>
        <source>Writes the standard reports of the provincial database as tables: network length by route class and PCI class of the latest survey, bridges and culverts by condition, weighed and overloaded vehicles by station and month, and, with a plan code, the plan&apos;s cost by district and year, its items in priority order and its progress by year. The last row of a table with totals is the total. Optionally also the formatted workbook (XLSX, a sheet and a chart per report).</source>
        <translation>Ghi các báo cáo tiêu chuẩn của cơ sở dữ liệu tỉnh thành các bảng: chiều dài mạng lưới theo loại đường và cấp PCI của lần khảo sát gần nhất, cầu và cống theo tình trạng, số xe cân và xe quá tải theo trạm và tháng, và khi có mã kế hoạch: kinh phí kế hoạch theo huyện và năm, các hạng mục theo thứ tự ưu tiên và tiến độ theo năm. Dòng cuối của bảng có tổng là dòng tổng. Có thể ghi thêm sổ tính đã định dạng (XLSX, mỗi báo cáo một trang và một biểu đồ).</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="33"/>
        <source>photos: EXIF position and time</source>
        <translation>ảnh: vị trí và thời điểm chụp EXIF</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/chainage_widget.py" line="55"/>
        <source>Km12+350 (derived on save when empty)</source>
        <translation>Km12+350 (tự tính khi lưu nếu để trống)</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/chainage_widget.py" line="87"/>
        <source>Write the chainage as Km12+350 or in metres</source>
        <translation>Ghi lý trình dạng Km12+350 hoặc bằng mét</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/chainage_widget.py" line="101"/>
        <source>Chainage (Km12+350)</source>
        <translation>Lý trình (Km12+350)</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/deleted_dialog.py" line="40"/>
        <source>Deleted features – {table}</source>
        <translation>Đối tượng đã xóa – {table}</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/deleted_dialog.py" line="44"/>
        <source>Feature</source>
        <translation>Đối tượng</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/deleted_dialog.py" line="44"/>
        <source>Deleted at</source>
        <translation>Xóa lúc</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/deleted_dialog.py" line="44"/>
        <source>Deleted by</source>
        <translation>Người xóa</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/history_panel.py" line="72"/>
        <source>Revision</source>
        <translation>Phiên bản</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/deleted_dialog.py" line="56"/>
        <source>Restore</source>
        <translation>Khôi phục</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/history_panel.py" line="148"/>
        <source>(unknown)</source>
        <translation>(không rõ)</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/deleted_dialog.py" line="100"/>
        <source>The feature changed after this list was read: nothing was restored. The list is read again.</source>
        <translation>Đối tượng đã thay đổi sau khi danh sách được đọc: chưa khôi phục gì. Danh sách được đọc lại.</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/deleted_dialog.py" line="112"/>
        <source>{feature} restored.</source>
        <translation>Đã khôi phục {feature}.</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/deleted_dialog.py" line="123"/>
        <source>Select a RoadInfra layer first.</source>
        <translation>Hãy chọn một lớp RoadInfra trước.</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/history_panel.py" line="38"/>
        <source>Created</source>
        <translation>Tạo mới</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/history_panel.py" line="38"/>
        <source>Changed</source>
        <translation>Sửa</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="320"/>
        <source>Deleted</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/history_panel.py" line="39"/>
        <source>Restored</source>
        <translation>Khôi phục</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/history_panel.py" line="46"/>
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/history_panel.py" line="46"/>
        <source>no</source>
        <translation>không</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/history_panel.py" line="57"/>
        <source>History</source>
        <translation>Lịch sử</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/history_panel.py" line="67"/>
        <source>Select one feature of a RoadInfra layer</source>
        <translation>Hãy chọn một đối tượng của lớp RoadInfra</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/history_panel.py" line="72"/>
        <source>Change</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/history_panel.py" line="72"/>
        <source>Who</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/history_panel.py" line="72"/>
        <source>When</source>
        <translation>Thời điểm</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/history_panel.py" line="72"/>
        <source>Fields changed</source>
        <translation>Trường thay đổi</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="182"/>
        <source>Field</source>
        <translation>Trường</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/history_panel.py" line="80"/>
        <source>Old value</source>
        <translation>Giá trị cũ</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/history_panel.py" line="80"/>
        <source>New value</source>
        <translation>Giá trị mới</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/history_panel.py" line="88"/>
        <source>Restore this revision</source>
        <translation>Khôi phục phiên bản này</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/history_panel.py" line="140"/>
        <source>{table} {name}: {count} revision(s)</source>
        <translation>{table} {name}: {count} phiên bản</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/history_panel.py" line="192"/>
        <source>Someone changed this feature after it was shown here: nothing was restored. Look at its history again.</source>
        <translation>Có người đã sửa đối tượng này sau khi nó được hiển thị ở đây: chưa khôi phục gì. Hãy xem lại lịch sử.</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/history_panel.py" line="204"/>
        <source>Revision {revision} restored as a new change.</source>
        <translation>Đã khôi phục phiên bản {revision} thành một thay đổi mới.</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/messages.py" line="27"/>
        <source>geometry</source>
        <translation>hình học</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/messages.py" line="49"/>
        <source>{feature}: field «{field}» is required</source>
        <translation>{feature}: trường «{field}» bắt buộc phải nhập</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/messages.py" line="50"/>
        <source>{feature}: field «{field}» is below the minimum {limit}</source>
        <translation>{feature}: trường «{field}» nhỏ hơn giá trị tối thiểu {limit}</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/messages.py" line="51"/>
        <source>{feature}: field «{field}» is above the maximum {limit}</source>
        <translation>{feature}: trường «{field}» lớn hơn giá trị tối đa {limit}</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/messages.py" line="52"/>
        <source>{feature}: field «{field}» is not one of the allowed values</source>
        <translation>{feature}: trường «{field}» không thuộc các giá trị cho phép</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/messages.py" line="53"/>
        <source>{feature}: field «{field}» is not a district of the province</source>
        <translation>{feature}: trường «{field}» không phải là một huyện của tỉnh</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/messages.py" line="54"/>
        <source>{feature}: the geometry lies outside the province</source>
        <translation>{feature}: hình học nằm ngoài địa giới tỉnh</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/messages.py" line="55"/>
        <source>{feature}: field «{field}»: the value is already used by another feature</source>
        <translation>{feature}: trường «{field}»: giá trị đã được dùng cho đối tượng khác</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/messages.py" line="57"/>
        <source>{feature}: field «{field}» breaks a rule of the data model ({problem})</source>
        <translation>{feature}: trường «{field}» vi phạm quy tắc của mô hình dữ liệu ({problem})</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/messages.py" line="88"/>
        <source>{feature}: field «{field}»: {problem}</source>
        <translation>{feature}: trường «{field}»: {problem}</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/messages.py" line="62"/>
        <source>{feature}: {problem}</source>
        <translation>{feature}: {problem}</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/messages.py" line="73"/>
        <source>{feature}: field «{field}»: your value {typed} was kept; RoadInfra would derive {derived}</source>
        <translation>{feature}: trường «{field}»: giữ giá trị bạn nhập {typed}; RoadInfra tính được {derived}</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/messages.py" line="78"/>
        <source>{feature}: field «{field}»: {old} replaced by the derived value {new}</source>
        <translation>{feature}: trường «{field}»: {old} được thay bằng giá trị tính được {new}</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/messages.py" line="82"/>
        <source>{feature}: no chainage derived: the feature is farther than {tolerance} m from the route ({reason}); saved without chainage</source>
        <translation>{feature}: không tính được lý trình: đối tượng cách tuyến quá {tolerance} m ({reason}); đã lưu không có lý trình</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/messages.py" line="86"/>
        <source>{feature}: the position is in no district: choose the district</source>
        <translation>{feature}: vị trí không thuộc huyện nào: hãy chọn huyện</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/photos.py" line="57"/>
        <source>Select one feature of a RoadInfra layer first.</source>
        <translation>Hãy chọn một đối tượng của lớp RoadInfra trước.</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/photos.py" line="60"/>
        <source>Attach photos</source>
        <translation>Đính kèm ảnh</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/photos.py" line="60"/>
        <source>Images (*.jpg *.jpeg *.png *.tif *.tiff)</source>
        <translation>Ảnh (*.jpg *.jpeg *.png *.tif *.tiff)</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/photos.py" line="67"/>
        <source>Photo not attached</source>
        <translation>Chưa đính kèm được ảnh</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/photos.py" line="69"/>
        <source>{count} photo(s) attached.</source>
        <translation>Đã đính kèm {count} ảnh.</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/save_hooks.py" line="214"/>
        <source>Not saved</source>
        <translation>Chưa lưu</translation>
    </message>
    <message>
        <location filename="../../plugin/editing/save_hooks.py" line="216"/>
        <source>Saved with remarks</source>
        <translation>Đã lưu, có lưu ý</translation>
    </message>
    <message>
        <location filename="../../plugin/main.py" line="109"/>
        <source>History of the selected feature</source>
        <translation>Lịch sử của đối tượng đang chọn</translation>
    </message>
    <message>
        <location filename="../../plugin/main.py" line="111"/>
        <source>Deleted features...</source>
        <translation>Đối tượng đã xóa...</translation>
    </message>
    <message>
        <location filename="../../plugin/main.py" line="113"/>
        <source>Attach photos...</source>
        <translation>Đính kèm ảnh...</translation>
    </message>
    <message>
        <location filename="../../plugin/planning/plan_dock.py" line="79"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/overlay_map.py" line="60"/>
        <source>Cadastral parcels in the road-protection corridors — {province} province</source>
        <translation>Thửa đất địa chính trong phạm vi bảo vệ đường bộ — tỉnh {province}</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/overlay_map.py" line="66"/>
        <source>Land to acquire (widening)</source>
        <translation>Đất phải thu hồi (mở rộng)</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/overlay_map.py" line="67"/>
        <source>Encroachment</source>
        <translation>Lấn chiếm</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_overlay.py" line="31"/>
        <source>Parcels in corridors</source>
        <translation>Thửa đất trong hành lang</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/overlay_map.py" line="69"/>
        <source>Road land and safety corridor</source>
        <translation>Đất của đường bộ và hành lang an toàn</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/overlay_map.py" line="70"/>
        <source>Route / zone</source>
        <translation>Tuyến / phạm vi</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/overlay_map.py" line="71"/>
        <source>Parcels</source>
        <translation>Số thửa</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/overlay_map.py" line="72"/>
        <source>Area (m²)</source>
        <translation>Diện tích (m²)</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/overlay_map.py" line="73"/>
        <source>road land</source>
        <translation>đất của đường bộ</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/overlay_map.py" line="74"/>
        <source>safety corridor</source>
        <translation>hành lang an toàn</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/overlay_map.py" line="75"/>
        <source>Widening {name}</source>
        <translation>Mở rộng {name}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/__init__.py" line="7"/>
        <source>Cadastre</source>
        <translation>Địa chính</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_check.py" line="18"/>
        <source>Check a cadastral file</source>
        <translation>Kiểm tra tệp bản đồ địa chính</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_check.py" line="19"/>
        <source>Reads parcels from a Shapefile, GeoPackage, GML (INSPIRE CadastralParcels), DXF or DGN file in any CRS through a field mapping and reports on them: invalid geometries (repaired or listed), overlaps and gaps between parcels, official against computed area beyond the profile&apos;s tolerance, duplicate parcel numbers, and whether an import into the profile&apos;s province would accept where the parcels lie. Nothing is written to a database; the findings are a layer.</source>
        <translation>Đọc các thửa đất từ tệp Shapefile, GeoPackage, GML (INSPIRE CadastralParcels), DXF hoặc DGN ở hệ tọa độ bất kỳ qua tệp ánh xạ trường và báo cáo: hình học không hợp lệ (đã sửa hoặc liệt kê), chồng lấn và khe hở giữa các thửa, diện tích pháp lý so với diện tích tính toán vượt dung sai của hồ sơ, số thửa trùng, và việc nhập vào tỉnh của hồ sơ có chấp nhận vị trí các thửa hay không. Không ghi gì vào cơ sở dữ liệu; các phát hiện là một lớp.</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_import.py" line="25"/>
        <source>Import cadastral parcels</source>
        <translation>Nhập thửa đất địa chính</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_overlay.py" line="31"/>
        <source>Encroachments</source>
        <translation>Lấn chiếm</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_overlay.py" line="31"/>
        <source>Land acquisition</source>
        <translation>Thu hồi đất</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_overlay.py" line="31"/>
        <source>Corridors</source>
        <translation>Hành lang</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_overlay.py" line="41"/>
        <source>Overlay parcels on road corridors</source>
        <translation>Chồng xếp thửa đất lên hành lang đường bộ</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_overlay.py" line="42"/>
        <source>Draws the road-protection corridor of each route of the provincial database from its road grade and the profile&apos;s widths (road land and safety corridor), and planned widenings (route:from-to:width, e.g. DT455:Km12+000-Km13+500:24, separated by &apos;;&apos;). Lists the parcels inside with the area and share inside and the Km range along the route, the encroachments (built-up land use, or the buildings given), and the land to acquire for each widening; optionally also as an XLSX workbook.</source>
        <translation>Vẽ phạm vi bảo vệ của từng tuyến trong cơ sở dữ liệu của tỉnh theo cấp kỹ thuật và bề rộng trong hồ sơ (đất của đường bộ và hành lang an toàn), và các đoạn mở rộng theo kế hoạch (tuyến:từ-đến:bề rộng, ví dụ DT455:Km12+000-Km13+500:24, cách nhau bởi ';'). Liệt kê các thửa nằm trong với diện tích, tỷ lệ nằm trong và đoạn Km dọc tuyến, các trường hợp lấn chiếm (loại đất có công trình, hoặc các nhà đã cho) và phần đất phải thu hồi cho từng đoạn mở rộng; có thể xuất thêm sổ tính XLSX.</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_print_overlay.py" line="23"/>
        <source>Print corridor overlay map (PDF)</source>
        <translation>In bản đồ chồng xếp hành lang (PDF)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_print_overlay.py" line="24"/>
        <source>Prints an A3 landscape PDF of a corridor overlay written as a GeoPackage (by &apos;roadinfra cadastre overlay -o FILE.gpkg&apos; or the overlay algorithm): the land to acquire for a widening, the encroachments, the parcels in the corridors and the corridors, with a legend, scale bar, north arrow, coordinate system, date and a table of parcels and areas per route, zone and widening.</source>
        <translation>In bản đồ PDF khổ A3 ngang của kết quả chồng xếp hành lang ghi thành GeoPackage (bằng 'roadinfra cadastre overlay -o FILE.gpkg' hoặc thuật toán chồng xếp): đất phải thu hồi cho đoạn mở rộng, các trường hợp lấn chiếm, các thửa trong hành lang và hành lang, kèm chú giải, thước tỷ lệ, mũi tên chỉ hướng bắc, hệ tọa độ, ngày in và bảng số thửa, diện tích theo tuyến, phạm vi và đoạn mở rộng.</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/classify_iri.py" line="29"/>
        <source>Adds the roughness class (e.g. Good / Fair / Poor) of each survey interval&apos;s IRI in m/km, with the bands of the jurisdiction profile ([pavement.iri_bands], or those of a road class). The layer or CSV needs a route, a start and an end chainage (from_m/to_m or from_km/to_km) and an IRI field, as for &apos;roadinfra pavement iri&apos;: every interval is checked the same way (empty or out-of-range values, an end not after its start, intervals overlapping on a route); bad rows are all reported and nothing is written.</source>
        <translation>Thêm cấp độ gồ ghề (ví dụ Tốt / Trung bình / Kém) theo IRI (m/km) của từng đoạn khảo sát, dùng các khoảng phân loại của hồ sơ địa phương ([pavement.iri_bands], hoặc của một cấp đường). Lớp hoặc tệp CSV cần có tuyến, lý trình đầu và cuối (from_m/to_m hoặc from_km/to_km) và trường IRI, như lệnh 'roadinfra pavement iri': mọi đoạn được kiểm tra như nhau (giá trị trống hoặc ngoài khoảng, điểm cuối không sau điểm đầu, các đoạn chồng lấn trên một tuyến); mọi dòng lỗi đều được báo và không ghi kết quả nào.</translation>
    </message>
    <message>
        <location filename="../../plugin/dependencies.py" line="33"/>
        <source>offline basemaps in packages</source>
        <translation>bản đồ nền ngoại tuyến trong gói dữ liệu</translation>
    </message>
    <message>
        <location filename="../../plugin/main.py" line="98"/>
        <source>Sync offline package...</source>
        <translation>Đồng bộ gói dữ liệu ngoại tuyến...</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="150"/>
        <source>Sync conflicts</source>
        <translation>Xung đột đồng bộ</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/__init__.py" line="5"/>
        <source>Offline sync</source>
        <translation>Đồng bộ ngoại tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/package.py" line="32"/>
        <source>Make offline package</source>
        <translation>Tạo gói dữ liệu ngoại tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/package.py" line="33"/>
        <source>Copies the assets of a management area (code), a box (XMIN,YMIN,XMAX,YMAX in the provincial grid) or a route (code) with their inspections, surveys, element states, plan items and the lookups into a new GeoPackage for field work, and registers it on the server with the base a later sync merges against. The package carries a QGIS project with the same styles, forms and relations (relative paths, forms without Python, for QField too).</source>
        <translation>Sao chép tài sản của một khu vực quản lý (mã), một khung (XMIN,YMIN,XMAX,YMAX theo lưới tọa độ của tỉnh) hoặc một tuyến (mã) cùng các lần kiểm tra, khảo sát, trạng thái cấu kiện, hạng mục kế hoạch và các danh mục vào một GeoPackage mới để làm việc ngoài hiện trường, và đăng ký gói trên máy chủ cùng bản gốc mà lần đồng bộ sau sẽ đối chiếu. Gói kèm một dự án QGIS có cùng kiểu hiển thị, biểu mẫu và quan hệ (đường dẫn tương đối, biểu mẫu không dùng Python, dùng được cả với QField).</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/actions.py" line="169"/>
        <source>Sync offline package</source>
        <translation>Đồng bộ gói dữ liệu ngoại tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/sync.py" line="24"/>
        <source>Merges the package&apos;s changes with the server&apos;s, field by field against the package&apos;s base, in one changeset: what only one side changed is taken, rules of the profile decide some fields, everything else is kept as a conflict for a person (Conflicts panel). The package then holds the server&apos;s rows. Safe to run again.</source>
        <translation>Hợp nhất thay đổi của gói với thay đổi trên máy chủ, theo từng trường so với bản gốc của gói, trong một lượt đồng bộ: trường chỉ một bên sửa thì lấy bên đó, một số trường do quy tắc trong hồ sơ quyết định, còn lại được giữ làm xung đột để người dùng xử lý (bảng Xung đột). Sau đó gói chứa đúng dữ liệu của máy chủ. Chạy lại nhiều lần vẫn an toàn.</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/actions.py" line="25"/>
        <source>Sent {0}, received {1}; {2} conflict(s) open</source>
        <translation>Đã gửi {0}, đã nhận {1}; còn {2} xung đột</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/actions.py" line="121"/>
        <source>Open the provincial database first</source>
        <translation>Hãy mở cơ sở dữ liệu của tỉnh trước</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/actions.py" line="149"/>
        <source>Offline package</source>
        <translation>Gói dữ liệu ngoại tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/actions.py" line="165"/>
        <source>Sync cancelled</source>
        <translation>Đã hủy đồng bộ</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="169"/>
        <source>Object</source>
        <translation>Đối tượng</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="169"/>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="169"/>
        <source>Fields</source>
        <translation>Trường</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="169"/>
        <source>Package</source>
        <translation>Gói dữ liệu</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="169"/>
        <source>Login</source>
        <translation>Tài khoản</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="182"/>
        <source>Base</source>
        <translation>Bản gốc</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="182"/>
        <source>Package (mine)</source>
        <translation>Gói (của tôi)</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="182"/>
        <source>Server (theirs)</source>
        <translation>Máy chủ</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="182"/>
        <source>Keep</source>
        <translation>Giữ</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="189"/>
        <source>Keep the package&apos;s values</source>
        <translation>Giữ giá trị của gói</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="191"/>
        <source>Keep the server&apos;s values</source>
        <translation>Giữ giá trị của máy chủ</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="193"/>
        <source>Apply the choice per field</source>
        <translation>Áp dụng lựa chọn theo từng trường</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="243"/>
        <source>No provincial database is open</source>
        <translation>Chưa mở cơ sở dữ liệu của tỉnh</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="271"/>
        <source>{0} open conflict(s)</source>
        <translation>{0} xung đột chưa xử lý</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="310"/>
        <source>both changed</source>
        <translation>cả hai bên cùng sửa</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="310"/>
        <source>edit against delete</source>
        <translation>sửa và xóa cùng lúc</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="311"/>
        <source>same id added twice</source>
        <translation>cùng mã định danh được thêm hai lần</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="311"/>
        <source>same code</source>
        <translation>trùng mã</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="312"/>
        <source>refused by the server</source>
        <translation>máy chủ từ chối</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="318"/>
        <source>Geometry</source>
        <translation>Hình học</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="336"/>
        <source>{0} conflicts selected</source>
        <translation>Đã chọn {0} xung đột</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="390"/>
        <source>server</source>
        <translation>máy chủ</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="390"/>
        <source>package</source>
        <translation>gói</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="448"/>
        <source>Resolved {0} conflict(s); {1} still open</source>
        <translation>Đã xử lý {0} xung đột; còn {1}</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="95"/>
        <source>Invalid geometry, repaired</source>
        <translation>Hình học không hợp lệ, đã sửa</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="96"/>
        <source>Invalid geometry, not imported</source>
        <translation>Hình học không hợp lệ, không nhập</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="97"/>
        <source>Overlap between parcels</source>
        <translation>Chồng lấn giữa các thửa</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="98"/>
        <source>Gap between parcels</source>
        <translation>Khe hở giữa các thửa</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="99"/>
        <source>Official and computed area differ</source>
        <translation>Diện tích pháp lý lệch diện tích tính toán</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="100"/>
        <source>Duplicate parcel number on a sheet</source>
        <translation>Số thửa trùng trên một tờ</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="102"/>
        <source>new</source>
        <translation>mới</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="103"/>
        <source>replaced (old edition kept in the history)</source>
        <translation>đã thay thế (lần xuất bản cũ giữ trong lịch sử)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="104"/>
        <source>unchanged (same edition)</source>
        <translation>không đổi (cùng lần xuất bản)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="105"/>
        <source>not imported (older edition)</source>
        <translation>không nhập (lần xuất bản cũ hơn)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/inputs.py" line="400"/>
        <source>Km from</source>
        <translation>Từ Km</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/inputs.py" line="400"/>
        <source>Km to</source>
        <translation>Đến Km</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/inputs.py" line="424"/>
        <source>New width (m)</source>
        <translation>Bề rộng mới (m)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="149"/>
        <source>Cadastre overlay</source>
        <translation>Chồng xếp địa chính</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="263"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="284"/>
        <source>A file</source>
        <translation>Một tệp</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="285"/>
        <source>A layer open in QGIS</source>
        <translation>Một lớp đang mở trong QGIS</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="407"/>
        <source>Cadastral files</source>
        <translation>Tệp bản đồ địa chính</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="568"/>
        <source>All files</source>
        <translation>Tất cả các tệp</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="305"/>
        <source>vn_cadastre: Vietnamese exports; fr_edigeo: French EDIGEO; nl_inspire: INSPIRE CadastralParcels; or a mapping file (.toml)</source>
        <translation>vn_cadastre: tệp xuất của Việt Nam; fr_edigeo: EDIGEO của Pháp; nl_inspire: INSPIRE CadastralParcels; hoặc một tệp ánh xạ (.toml)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="310"/>
        <source>Choose a field mapping file (.toml)</source>
        <translation>Chọn tệp ánh xạ trường (.toml)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="317"/>
        <source>Read from the source</source>
        <translation>Đọc từ nguồn</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="320"/>
        <source>only for a drawing of one sheet</source>
        <translation>chỉ cho bản vẽ của một tờ</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="324"/>
        <source>The CRS is read from the source; choose one only for a source that declares none (a DXF drawing). A source whose own CRS differs from the one chosen is refused.</source>
        <translation>Hệ tọa độ được đọc từ nguồn; chỉ chọn khi nguồn không khai báo (bản vẽ DXF). Nguồn có hệ tọa độ riêng khác với hệ đã chọn sẽ bị từ chối.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="589"/>
        <source>Field mapping</source>
        <translation>Ánh xạ trường</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="680"/>
        <source>CRS</source>
        <translation>Hệ tọa độ</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="332"/>
        <source>Map sheet</source>
        <translation>Số tờ bản đồ</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="357"/>
        <source>Reads the source and reports on it; nothing is written. The findings are added to the map as a layer.</source>
        <translation>Đọc nguồn và báo cáo về nó; không ghi gì. Các phát hiện được thêm vào bản đồ thành một lớp.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="355"/>
        <source>Check</source>
        <translation>Kiểm tra</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="435"/>
        <source>Finding</source>
        <translation>Phát hiện</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="435"/>
        <source>Count</source>
        <translation>Số lượng</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="367"/>
        <source>Imports the parcels into the provincial database, sheet by sheet. Parcels outside the province are refused before anything is written; a newer edition of a sheet replaces it and the old one stays in the history.</source>
        <translation>Nhập các thửa đất vào cơ sở dữ liệu của tỉnh theo từng tờ. Thửa nằm ngoài tỉnh bị từ chối trước khi ghi bất cứ gì; lần xuất bản mới hơn của một tờ thay thế tờ đó và lần cũ vẫn còn trong lịch sử.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="380"/>
        <source>Edition of the sheets</source>
        <translation>Lần xuất bản của tờ</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="375"/>
        <source>Import</source>
        <translation>Nhập</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="432"/>
        <source>Sheet</source>
        <translation>Tờ</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="432"/>
        <source>Edition</source>
        <translation>Lần xuất bản</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="432"/>
        <source>Result</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="476"/>
        <source>Routes (none ticked: all)</source>
        <translation>Tuyến (không chọn: tất cả)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="481"/>
        <source>Planned widenings</source>
        <translation>Mở rộng theo kế hoạch</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="489"/>
        <source>Add row</source>
        <translation>Thêm dòng</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="491"/>
        <source>Remove row</source>
        <translation>Xóa dòng</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="517"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="517"/>
        <source>[temporary file]</source>
        <translation>[tệp tạm]</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="519"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Sổ tính Excel (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="519"/>
        <source>[optional]</source>
        <translation>[không bắt buộc]</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="521"/>
        <source>Result layers (GeoPackage)</source>
        <translation>Lớp kết quả (GeoPackage)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="522"/>
        <source>Workbook (XLSX)</source>
        <translation>Sổ tính (XLSX)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="524"/>
        <source>Overlay</source>
        <translation>Chồng xếp</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="542"/>
        <source>Prints the last overlay as an A3 map (PDF): land to acquire, encroachments, parcels in the corridors and the corridors, with a table of parcels and areas per route, zone and widening.</source>
        <translation>In kết quả chồng xếp gần nhất thành bản đồ A3 (PDF): đất phải thu hồi, lấn chiếm, các thửa trong hành lang và hành lang, kèm bảng số thửa và diện tích theo tuyến, phạm vi và đoạn mở rộng.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="552"/>
        <source>Map language</source>
        <translation>Ngôn ngữ bản đồ</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="554"/>
        <source>Print overlay map</source>
        <translation>In bản đồ chồng xếp</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="589"/>
        <source>Field mapping (*.toml)</source>
        <translation>Ánh xạ trường (*.toml)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="598"/>
        <source>Choose a provincial database (open one with Open provincial database...)</source>
        <translation>Chọn cơ sở dữ liệu của tỉnh (mở bằng Mở cơ sở dữ liệu tỉnh...)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="618"/>
        <source>Choose the layer of the cadastral parcels</source>
        <translation>Chọn lớp thửa đất địa chính</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="622"/>
        <source>Choose the cadastral file</source>
        <translation>Chọn tệp bản đồ địa chính</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="753"/>
        <source>Checking cadastral parcels</source>
        <translation>Đang kiểm tra thửa đất địa chính</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="764"/>
        <source>Importing cadastral parcels</source>
        <translation>Đang nhập thửa đất địa chính</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="790"/>
        <source>Result layers</source>
        <translation>Lớp kết quả</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="796"/>
        <source>Workbook</source>
        <translation>Sổ tính</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="787"/>
        <source>{path}: the result layers are a GeoPackage (.gpkg)</source>
        <translation>{path}: lớp kết quả phải là GeoPackage (.gpkg)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="801"/>
        <source>Overlaying parcels on road corridors</source>
        <translation>Đang chồng xếp thửa đất lên hành lang đường bộ</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="811"/>
        <source>Choose an output PDF</source>
        <translation>Chọn tệp PDF kết quả</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="818"/>
        <source>Printing the overlay map</source>
        <translation>Đang in bản đồ chồng xếp</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="848"/>
        <source>Cancelled: nothing was written</source>
        <translation>Đã hủy: không ghi gì</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="876"/>
        <source>{count} row(s) of the source cannot be read; the first: {first}</source>
        <translation>{count} dòng của nguồn không đọc được; dòng đầu tiên: {first}</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="893"/>
        <source>not declared</source>
        <translation>không khai báo</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="894"/>
        <source>would be accepted</source>
        <translation>sẽ được chấp nhận</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="894"/>
        <source>would be refused</source>
        <translation>sẽ bị từ chối</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="895"/>
        <source>not checked</source>
        <translation>chưa kiểm tra</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="897"/>
        <source>{parcels} parcel(s) on {sheets} sheet(s), {left} row(s) left out; CRS: {crs}</source>
        <translation>{parcels} thửa trên {sheets} tờ, {left} dòng bị bỏ qua; hệ tọa độ: {crs}</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="900"/>
        <source>Import into the province: {verdict}.</source>
        <translation>Nhập vào tỉnh: {verdict}.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="915"/>
        <source>Quality findings – {source}</source>
        <translation>Phát hiện về chất lượng – {source}</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="911"/>
        <source>Checked: {count} finding(s)</source>
        <translation>Đã kiểm tra: {count} phát hiện</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="926"/>
        <source>{inserted} parcel(s) imported, {replaced} replaced (kept in the history), {invalid} left out (invalid geometry).</source>
        <translation>Đã nhập {inserted} thửa, thay thế {replaced} thửa (giữ trong lịch sử), bỏ qua {invalid} thửa (hình học không hợp lệ).</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="936"/>
        <source>Imported into {target}</source>
        <translation>Đã nhập vào {target}</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="1039"/>
        <source>Overlay done</source>
        <translation>Đã chồng xếp xong</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="1067"/>
        <source>Overlay map written to {path}</source>
        <translation>Đã ghi bản đồ chồng xếp vào {path}</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="1065"/>
        <source>Printed</source>
        <translation>Đã in</translation>
    </message>
    <message>
        <location filename="../../plugin/main.py" line="106"/>
        <source>Cadastre...</source>
        <translation>Địa chính...</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="32"/>
        <source>Pull new cadastral sheets</source>
        <translation>Tải các tờ bản đồ địa chính mới</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="267"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/actions.py" line="29"/>
        <source>{0} photo file(s) missing or damaged</source>
        <translation>{0} tệp ảnh bị thiếu hoặc hỏng</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="313"/>
        <source>photo missing or damaged</source>
        <translation>ảnh bị thiếu hoặc hỏng</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="110"/>
        <source>The department&apos;s PostGIS database</source>
        <translation>Cơ sở dữ liệu PostGIS của cơ quan tài nguyên</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="110"/>
        <source>postgresql://… or service=NAME</source>
        <translation>postgresql://… hoặc service=TÊN</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="110"/>
        <source>its parcel table: schema.table</source>
        <translation>bảng thửa đất của nó: schema.bảng</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="113"/>
        <source>OGC API - Features</source>
        <translation>OGC API - Features</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="113"/>
        <source>endpoint URL</source>
        <translation>URL điểm truy cập</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="113"/>
        <source>its parcel collection id</source>
        <translation>mã tập thửa đất (collection) của nó</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="115"/>
        <source>WFS 2.0 service</source>
        <translation>Dịch vụ WFS 2.0</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="115"/>
        <source>service URL</source>
        <translation>URL dịch vụ</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="115"/>
        <source>its parcel feature type, e.g. dc:thua_dat</source>
        <translation>kiểu đối tượng thửa đất của nó, ví dụ dc:thua_dat</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="117"/>
        <source>An exported parcels file</source>
        <translation>Tệp thửa đất xuất ra</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="122"/>
        <source>up to date (not fetched)</source>
        <translation>đã mới nhất (không tải)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="127"/>
        <source>Zone</source>
        <translation>Vùng</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="127"/>
        <source>Parcel</source>
        <translation>Thửa</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="127"/>
        <source>Cause</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="127"/>
        <source>Km</source>
        <translation>Km</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="133"/>
        <source>Cannot check the source:</source>
        <translation>Không kiểm tra được nguồn:</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="134"/>
        <source>Import refused:</source>
        <translation>Nhập bị từ chối:</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="135"/>
        <source>Pull refused:</source>
        <translation>Cập nhật bị từ chối:</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="136"/>
        <source>Cannot overlay:</source>
        <translation>Không chồng xếp được:</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="137"/>
        <source>Cannot print:</source>
        <translation>Không in được:</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="138"/>
        <source>Cannot read the routes:</source>
        <translation>Không đọc được các tuyến:</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="393"/>
        <source>Pull</source>
        <translation>Cập nhật</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="414"/>
        <source>Trust the declared VN-2000 CRS of another zone</source>
        <translation>Tin hệ tọa độ VN-2000 khai báo của múi khác</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="415"/>
        <source>Refused by default as probably mislabelled when it also fits the provincial grid</source>
        <translation>Mặc định bị từ chối vì có thể khai báo nhầm khi dữ liệu cũng khớp lưới tọa độ của tỉnh</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="419"/>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="458"/>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="458"/>
        <source>File</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="500"/>
        <source>Routes and widenings</source>
        <translation>Tuyến và mở rộng</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="508"/>
        <source>Building footprints: every building part inside a corridor is an encroachment, whatever the land use</source>
        <translation>Đường viền công trình: mọi phần công trình nằm trong hành lang đều là lấn chiếm, bất kể loại đất</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="512"/>
        <source>Choose a file of building footprints</source>
        <translation>Chọn tệp đường viền công trình</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="520"/>
        <source>Buildings (optional)</source>
        <translation>Công trình (tùy chọn)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="568"/>
        <source>Buildings</source>
        <translation>Công trình</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="568"/>
        <source>Vector files</source>
        <translation>Tệp vector</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="631"/>
        <source>Choose the department&apos;s exported parcels file</source>
        <translation>Chọn tệp thửa đất do cơ quan tài nguyên và môi trường xuất ra</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="636"/>
        <source>{source}: give its address ({hint})</source>
        <translation>{source}: nhập địa chỉ ({hint})</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="639"/>
        <source>{source}: give {hint}</source>
        <translation>{source}: nhập {hint}</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="775"/>
        <source>Pulling new cadastral sheets</source>
        <translation>Đang cập nhật các tờ bản đồ địa chính mới</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="975"/>
        <source>{sheets} sheet(s) in the source: {fetched} fetched, {current} up to date; {inserted} parcel(s) imported, {replaced} replaced (kept in the history).</source>
        <translation>{sheets} tờ trong nguồn: đã tải {fetched}, {current} tờ đã mới nhất; đã nhập {inserted} thửa, thay thế {replaced} thửa (giữ trong lịch sử).</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="998"/>
        <source>Pulled from {source}</source>
        <translation>Đã cập nhật từ {source}</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="1029"/>
        <source>building</source>
        <translation>công trình</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="1036"/>
        <source>Encroachments ({count})</source>
        <translation>Lấn chiếm ({count})</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="257"/>
        <source>Print</source>
        <translation>In</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="395"/>
        <source>Keeps the database in step with the land-resource department: only the sheets that are new or have a newer edition are fetched and imported (with the field mapping of the Source tab).</source>
        <translation>Cập nhật cơ sở dữ liệu theo cơ quan tài nguyên và môi trường: chỉ tải và nhập các tờ bản đồ mới hoặc có lần xuất bản mới hơn (theo ánh xạ trường ở thẻ Nguồn).</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="808"/>
        <source>Run the overlay first</source>
        <translation>Hãy chạy chồng xếp trước</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="120"/>
        <source>Table</source>
        <translation>Bảng</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="120"/>
        <source>Collection</source>
        <translation>Tập dữ liệu (collection)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="121"/>
        <source>Feature type</source>
        <translation>Kiểu đối tượng</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="127"/>
        <source>m²</source>
        <translation>m²</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/inputs.py" line="391"/>
        <source>planned widenings, row {row}</source>
        <translation>mở rộng theo kế hoạch, dòng {row}</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/inputs.py" line="394"/>
        <source>{where}, field &apos;{field}&apos;</source>
        <translation>{where}, cột '{field}'</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/inputs.py" line="398"/>
        <source>{place}: no route</source>
        <translation>{place}: chưa có tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/inputs.py" line="411"/>
        <source>{place}: {value} is not a distance &gt;= 0</source>
        <translation>{place}: {value} không phải khoảng cách &gt;= 0</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/inputs.py" line="424"/>
        <source>{place}: {value} is not a number</source>
        <translation>{place}: {value} không phải là số</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/inputs.py" line="427"/>
        <source>{where}: needs Km from &lt; Km to and a new width above 0 m, at most {most} m (got {values})</source>
        <translation>{where}: cần Từ Km &lt; Đến Km và bề rộng mới lớn hơn 0 m, tối đa {most} m (đã nhập {values})</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="211"/>
        <source>Whole sheets (a new edition may hold fewer parcels)</source>
        <translation>Toàn bộ tờ (lần xuất bản mới có thể ít thửa hơn)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="212"/>
        <source>A new edition with fewer parcels than the stored sheet is refused by default: a selection or part of a sheet would remove the rest. Tick when the source holds the whole sheet (e.g. parcels were merged).</source>
        <translation>Mặc định, lần xuất bản mới có ít thửa hơn tờ đã lưu bị từ chối: một phần được chọn hoặc một phần của tờ sẽ làm xóa phần còn lại. Đánh dấu khi nguồn chứa cả tờ (ví dụ các thửa đã hợp nhất).</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="1029"/>
        <source>no parcel</source>
        <translation>không có thửa</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_import.py" line="26"/>
        <source>Imports the parcels of a cadastral file into the provincial database. Parcels that do not lie in the profile&apos;s province, or are declared in a wrong VN-2000 variant, are refused with a clear message before anything is written. A map sheet already in the database is replaced by a newer edition (the old parcels stay in the history) and left as it is for the same edition. A new edition with fewer parcels than the stored sheet (a selection or part of a sheet) is refused unless Whole sheets is ticked. The quality findings are a layer.</source>
        <translation>Nhập các thửa đất của tệp bản đồ địa chính vào cơ sở dữ liệu của tỉnh. Thửa không nằm trong tỉnh của hồ sơ, hoặc khai báo sai biến thể VN-2000, bị từ chối với thông báo rõ ràng trước khi ghi bất cứ gì. Tờ bản đồ đã có trong cơ sở dữ liệu được thay bằng lần xuất bản mới hơn (các thửa cũ vẫn còn trong lịch sử) và giữ nguyên nếu cùng lần xuất bản. Lần xuất bản mới có ít thửa hơn tờ đã lưu (một phần được chọn hoặc một phần của tờ) bị từ chối, trừ khi đánh dấu Toàn bộ tờ. Các phát hiện về chất lượng là một lớp.</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/summary_table.py" line="51"/>
        <source>(continued from the previous page)</source>
        <translation>(tiếp theo trang trước)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/inputs.py" line="209"/>
        <source>Assigning a CRS to the parcels needs a CRS: none was chosen</source>
        <translation>Gán hệ tọa độ cho các thửa cần một hệ tọa độ: chưa chọn hệ nào</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="210"/>
        <source>Route {route}: no corridor across the {length} m gap between its parts, {km_from}-{km_to}.</source>
        <translation>Tuyến {route}: không có hành lang qua khoảng hở {length} m giữa các đoạn của tuyến, {km_from}-{km_to}.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/inputs.py" line="186"/>
        <source>{source}: the CRS set on the layer ({assigned}) disagrees with the file&apos;s own declared CRS, {own}, which the coordinates fit: set the layer&apos;s CRS back to the file&apos;s own (layer properties, Source); nothing was imported</source>
        <translation>{source}: hệ tọa độ đặt cho lớp ({assigned}) không khớp với hệ tọa độ tệp tự khai báo, {own}, mà các tọa độ phù hợp: đặt lại hệ tọa độ của lớp về hệ tọa độ của tệp (thuộc tính lớp, Nguồn); chưa nhập gì</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="214"/>
        <source>Route {route}: {count} building(s) in the corridors beyond the imported parcels ({where}): not checked against parcels.</source>
        <translation>Tuyến {route}: {count} công trình trong hành lang nằm ngoài các thửa đã nhập ({where}): chưa được đối chiếu với thửa đất.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="41"/>
        <source>Sheet {sheet}: {count} parcel(s) leave the live map (kept in the history): {parcels}.</source>
        <translation>Tờ {sheet}: {count} thửa rời khỏi bản đồ hiện hành (giữ trong lịch sử): {parcels}.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="84"/>
        <source>parcel {number} ({facts}, {share}% uncovered)</source>
        <translation>thửa {number} ({facts}, {share}% diện tích không còn được phủ)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="218"/>
        <source>Route {route}: {count} building(s) in the corridors partly beyond the imported parcels, {area} m² beyond ({where}): those parts not checked against parcels.</source>
        <translation>Tuyến {route}: {count} công trình trong hành lang nằm một phần ngoài các thửa đã nhập, {area} m² ở ngoài ({where}): các phần đó chưa được đối chiếu với thửa đất.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="660"/>
        <source>{{source}}: the CRS chosen in &apos;{crs}&apos; ({{given}}) is wrong: the layer declares none, and its coordinates fit {{grid}}: choose {{code}} in &apos;{crs}&apos;; nothing was imported</source>
        <translation>{{source}}: hệ tọa độ chọn ở '{crs}' ({{given}}) sai: lớp không khai báo hệ tọa độ nào, và các tọa độ của nó khớp {{grid}}: hãy chọn {{code}} ở '{crs}'; chưa nhập gì</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="660"/>
        <source>{{source}}: the CRS chosen in &apos;{crs}&apos; ({{given}}) is wrong: the file declares none, and its coordinates fit {{grid}}: choose {{code}} in &apos;{crs}&apos;; nothing was imported</source>
        <translation>{{source}}: hệ tọa độ chọn ở '{crs}' ({{given}}) sai: tệp không khai báo hệ tọa độ nào, và các tọa độ của nó khớp {{grid}}: hãy chọn {{code}} ở '{crs}'; chưa nhập gì</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="667"/>
        <source>{{source}}: the CRS chosen in &apos;{crs}&apos; ({{given}}) is wrong: the layer declares none, and its coordinates fit each of {{fits}}, which place them up to {{apart}} m apart: the coordinates cannot tell VN-2000 from WGS 84 (or one grid from another) apart there, so choose in &apos;{crs}&apos; the CRS the data was really made in (VN-2000 for a cadastral survey, WGS 84 for GPS or web-map data); nothing was imported</source>
        <translation>{{source}}: hệ tọa độ chọn ở '{crs}' ({{given}}) sai: lớp không khai báo hệ tọa độ nào, và các tọa độ của nó khớp với từng hệ {{fits}}, các hệ này đặt dữ liệu cách nhau tới {{apart}} m: tại đây các tọa độ không phân biệt được VN-2000 với WGS 84 (hoặc lưới này với lưới khác), vậy hãy chọn ở '{crs}' hệ tọa độ mà dữ liệu thực sự được lập (VN-2000 cho đo đạc địa chính, WGS 84 cho dữ liệu GPS hoặc bản đồ web); chưa nhập gì</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="667"/>
        <source>{{source}}: the CRS chosen in &apos;{crs}&apos; ({{given}}) is wrong: the file declares none, and its coordinates fit each of {{fits}}, which place them up to {{apart}} m apart: the coordinates cannot tell VN-2000 from WGS 84 (or one grid from another) apart there, so choose in &apos;{crs}&apos; the CRS the data was really made in (VN-2000 for a cadastral survey, WGS 84 for GPS or web-map data); nothing was imported</source>
        <translation>{{source}}: hệ tọa độ chọn ở '{crs}' ({{given}}) sai: tệp không khai báo hệ tọa độ nào, và các tọa độ của nó khớp với từng hệ {{fits}}, các hệ này đặt dữ liệu cách nhau tới {{apart}} m: tại đây các tọa độ không phân biệt được VN-2000 với WGS 84 (hoặc lưới này với lưới khác), vậy hãy chọn ở '{crs}' hệ tọa độ mà dữ liệu thực sự được lập (VN-2000 cho đo đạc địa chính, WGS 84 cho dữ liệu GPS hoặc bản đồ web); chưa nhập gì</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="373"/>
        <source>dd/mm/yyyy or YYYY-MM-DD; empty: from the file, else undated</source>
        <translation>dd/mm/yyyy hoặc YYYY-MM-DD; để trống: lấy từ tệp, nếu không thì không ghi ngày</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="223"/>
        <source>row {row} ({why})</source>
        <translation>dòng {row} ({why})</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="224"/>
        <source>{count} invalid building footprint(s) repaired: {rows}.</source>
        <translation>Đã sửa {count} đường bao công trình không hợp lệ: {rows}.</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/actions.py" line="58"/>
        <source>{0} value(s) kept that differ from what RoadInfra derives (see the RoadInfra log)</source>
        <translation>{0} giá trị được giữ khác với giá trị RoadInfra tính ra (xem nhật ký RoadInfra)</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/actions.py" line="72"/>
        <source>Sync: {0} {1}, field {2}: kept {3}; RoadInfra derives {4}</source>
        <translation>Đồng bộ: {0} {1}, trường {2}: giữ {3}; RoadInfra tính ra {4}</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/actions.py" line="137"/>
        <source>This project is the offline package &apos;{0}&apos;, not the provincial database. Sync this package with the provincial database it was made from ({1})?</source>
        <translation>Dự án này là gói dữ liệu ngoại tuyến '{0}', không phải cơ sở dữ liệu tỉnh. Đồng bộ gói này với cơ sở dữ liệu tỉnh đã tạo ra nó ({1})?</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/actions.py" line="143"/>
        <source>This project is the offline package &apos;{0}&apos;, not the provincial database: open the provincial database (Open provincial database...), then sync the package</source>
        <translation>Dự án này là gói dữ liệu ngoại tuyến '{0}', không phải cơ sở dữ liệu tỉnh: hãy mở cơ sở dữ liệu tỉnh (Mở cơ sở dữ liệu tỉnh...), rồi đồng bộ gói</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/actions.py" line="129"/>
        <source>This project is the offline package &apos;{0}&apos;, made from {1}, whose password RoadInfra does not keep: open the provincial database (Open provincial database...), then sync the package</source>
        <translation>Dự án này là gói dữ liệu ngoại tuyến '{0}', được tạo từ {1}, RoadInfra không lưu mật khẩu của nó: hãy mở cơ sở dữ liệu tỉnh (Mở cơ sở dữ liệu tỉnh...), rồi đồng bộ gói</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="83"/>
        <source>(deleted)</source>
        <translation>(đã xóa)</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="81"/>
        <source>(kept)</source>
        <translation>(còn giữ)</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="92"/>
        <source>the file is missing</source>
        <translation>thiếu tệp</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="94"/>
        <source>the file is damaged or not a readable image</source>
        <translation>tệp bị hỏng hoặc không phải ảnh đọc được</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="109"/>
        <source>Changed in the package and on the server: choose per field which value to keep.</source>
        <translation>Đã sửa cả trong gói và trên máy chủ: chọn giữ giá trị nào cho từng trường.</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="113"/>
        <source>Deleted in the package, changed or kept on the server: keep the server&apos;s values to keep the record, the package&apos;s to delete it.</source>
        <translation>Đã xóa trong gói, còn được sửa hoặc giữ trên máy chủ: giữ giá trị của máy chủ để giữ lại đối tượng, giữ giá trị của gói để xóa nó.</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="120"/>
        <source>Edited in the package, deleted on the server: keep the package&apos;s values to restore the record with them, the server&apos;s to leave it deleted.</source>
        <translation>Đã sửa trong gói, đã xóa trên máy chủ: giữ giá trị của gói để khôi phục đối tượng với các giá trị đó, giữ giá trị của máy chủ để đối tượng vẫn bị xóa.</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="123"/>
        <source>The server already has a record with this identifier and other values.</source>
        <translation>Máy chủ đã có một đối tượng cùng mã định danh này với các giá trị khác.</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="125"/>
        <source>The code was already used on the server: the server gave this record another code.</source>
        <translation>Mã này đã được dùng trên máy chủ: máy chủ đã cấp cho đối tượng này một mã khác.</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="129"/>
        <source>Photo {0} in the package: {1}; the attachment was not sent: put a good file at that path inside the package&apos;s folder (or delete the attachment there) and sync again.</source>
        <translation>Ảnh {0} trong gói: {1}; tệp đính kèm chưa được gửi: đặt một tệp tốt vào đúng đường dẫn đó trong thư mục của gói (hoặc xóa tệp đính kèm trong gói) rồi đồng bộ lại.</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="142"/>
        <source>Refused by the server: {0}</source>
        <translation>Máy chủ từ chối: {0}</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="227"/>
        <source>{0}: an offline package, not the provincial database</source>
        <translation>{0}: gói dữ liệu ngoại tuyến, không phải cơ sở dữ liệu tỉnh</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="229"/>
        <source>The conflicts of a package are kept on the provincial database it was made from ({0}): open that database to see them.</source>
        <translation>Xung đột của một gói được lưu trên cơ sở dữ liệu tỉnh đã tạo ra gói ({0}): hãy mở cơ sở dữ liệu đó để xem.</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="229"/>
        <source>unknown</source>
        <translation>không rõ</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="301"/>
        <source>Photo of {0} {1}</source>
        <translation>Ảnh của {0} {1}</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="303"/>
        <source>Photo: {0}</source>
        <translation>Ảnh: {0}</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="305"/>
        <source>Photo {0}</source>
        <translation>Ảnh {0}</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="116"/>
        <source>Added in the package under a record deleted on the server (or under a record kept off for that reason); it was not added: restore that record on the server and sync again, or keep the server&apos;s values to drop it from the package at its next sync.</source>
        <translation>Được thêm trong gói dưới một đối tượng đã bị xóa trên máy chủ (hoặc dưới một đối tượng bị giữ lại vì lý do đó) nên chưa được thêm: khôi phục đối tượng đó trên máy chủ rồi đồng bộ lại, hoặc giữ giá trị của máy chủ để bỏ nó khỏi gói ở lần đồng bộ tới.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="1011"/>
        <source>{pieces} parcel part(s) in the corridors; encroaching: {parcels} parcel(s), {buildings} building(s) ({rows} row(s), one per zone and place); {taken} parcel(s) to acquire ({area} m²). Layers added to the map; written to {path}.</source>
        <translation>{pieces} phần thửa trong hành lang; lấn chiếm: {parcels} thửa, {buildings} công trình ({rows} dòng, mỗi dòng một phạm vi và một vị trí); {taken} thửa phải thu hồi ({area} m²). Các lớp đã được thêm vào bản đồ; đã ghi vào {path}.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/inputs.py" line="283"/>
        <source>choose the file&apos;s layer in the list: FILE|layername=NAME</source>
        <translation>chọn lớp của tệp trong danh sách: TỆP|layername=TÊN</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/inputs.py" line="403"/>
        <source>{place}: {value} is ambiguous (12.000 is 12 m in English notation, 12 000 m in Vietnamese): write Km12+000 or 12000</source>
        <translation>{place}: {value} không rõ nghĩa (12.000 là 12 m theo cách viết tiếng Anh, 12 000 m theo cách viết tiếng Việt): hãy viết Km12+000 hoặc 12000</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/overlay_map.py" line="62"/>
        <source>{agency} · {pieces} parcel parts in corridors; encroaching: {parcels} parcels, {buildings} buildings; {acquired} parcels to acquire</source>
        <translation>{agency} · {pieces} phần thửa trong hành lang; lấn chiếm: {parcels} thửa, {buildings} công trình; {acquired} thửa phải thu hồi</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="206"/>
        <source>{count} building footprint(s) of several polygons, each polygon taken as a building: row(s) {rows}.</source>
        <translation>{count} hình công trình gồm nhiều vùng, mỗi vùng được tính là một công trình: dòng {rows}.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="59"/>
        <source>Stored sheets without an edition in the source, fetched and compared parcel by parcel: {0}</source>
        <translation>Các tờ đã lưu không có lần xuất bản trong nguồn, đã tải và so sánh từng thửa: {0}</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="63"/>
        <source>Sheets stored undated (imported from a source without editions), replaced by the source&apos;s dated edition: {0}</source>
        <translation>Các tờ đã lưu không ghi ngày (nhập từ nguồn không có lần xuất bản), được thay bằng lần xuất bản có ngày của nguồn: {0}</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="67"/>
        <source>Sheets fetched that the source did not count (no hit count or numberMatched), not checked complete: {0}</source>
        <translation>Các tờ đã tải mà nguồn không đếm số đối tượng (không có hit count hay numberMatched), chưa kiểm tra được là đủ: {0}</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="71"/>
        <source>Stored sheets the source no longer holds (kept in the database): {0}</source>
        <translation>Các tờ đã lưu mà nguồn không còn (vẫn giữ trong cơ sở dữ liệu): {0}</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/inputs.py" line="280"/>
        <source>choose the drawing&apos;s CAD layer in the list: FILE|cadlayer=NAME</source>
        <translation>chọn lớp CAD của bản vẽ trong danh sách: TỆP|cadlayer=TÊN</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="202"/>
        <source>{count} feature(s) of the buildings file are neither polygons nor closed lines, left out: row(s) {rows}.</source>
        <translation>{count} đối tượng của tệp nhà không phải vùng cũng không phải đường khép kín, bị bỏ qua: dòng {rows}.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="94"/>
        <source>{count} sliver(s) under {width} m wide cut by a zone edge or a parcel line left out as survey noise ({area} m² in all).</source>
        <translation>{count} mảnh hẹp dưới {width} m do cạnh vùng hoặc ranh thửa cắt ra bị bỏ qua như sai số đo đạc (tổng {area} m²).</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="111"/>
        <source>Widening {widening}: {count} strip(s) to acquire under {width} m wide ({area} m²), kept: check them against the survey.</source>
        <translation>Đoạn mở rộng {widening}: {count} dải đất thu hồi hẹp dưới {width} m ({area} m²), vẫn giữ: hãy đối chiếu với số liệu đo đạc.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/inputs.py" line="415"/>
        <source>{place}: {value} is ambiguous (1.500 is 1.5 m in English notation, 1 500 m in Vietnamese): write 1.5 or 1500</source>
        <translation>{place}: {value} không rõ nghĩa (1.500 là 1,5 m theo cách viết tiếng Anh, 1 500 m theo cách viết tiếng Việt): hãy viết 1,5 hoặc 1500</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="418"/>
        <source>Resolving {0} conflict(s)…</source>
        <translation>Đang giải quyết {0} xung đột…</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="420"/>
        <source>Resolve sync conflicts</source>
        <translation>Giải quyết xung đột đồng bộ</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="440"/>
        <source>Resolving cancelled, nothing resolved</source>
        <translation>Đã hủy giải quyết, chưa giải quyết xung đột nào</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="433"/>
        <source>{0}: resolve not done: {1}</source>
        <translation>{0}: chưa giải quyết được: {1}</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="433"/>
        <source>cancelled</source>
        <translation>đã hủy</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="436"/>
        <source>{0}: resolved {1} conflict(s)</source>
        <translation>{0}: đã giải quyết {1} xung đột</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="32"/>
        <source>Sheet {sheet} was stored twice, as {copies}: both replaced.</source>
        <translation>Tờ {sheet} đã được lưu hai lần, là {copies}: cả hai đã được thay thế.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="35"/>
        <source>Sheet {sheet} is stored twice, as {copies}: both kept, the edition {edition} being older than {newest}; import the newest edition again to replace both.</source>
        <translation>Tờ {sheet} đang được lưu hai lần, là {copies}: cả hai được giữ lại, vì lần xuất bản {edition} cũ hơn {newest}; hãy nhập lại lần xuất bản mới nhất để thay thế cả hai.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="27"/>
        <source>undated</source>
        <translation>không ghi ngày</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="436"/>
        <source>Sheets</source>
        <translation>Các tờ</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="955"/>
        <source>Findings</source>
        <translation>Phát hiện</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="995"/>
        <source>Findings ({count})</source>
        <translation>Phát hiện ({count})</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="187"/>
        <source>{count} loose line(s) of the buildings drawing joined into {outlines} outline(s): row(s) {rows}.</source>
        <translation>{count} đoạn thẳng rời của bản vẽ nhà được nối thành {outlines} đường bao khép kín: dòng {rows}.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="99"/>
        <source>Widening {widening} takes no parcel (its footprint meets none but the road&apos;s own land).</source>
        <translation>Mở rộng {widening} không lấy thửa đất nào (phạm vi mở rộng chỉ nằm trên đất của đường bộ).</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="99"/>
        <source>Widening {widening} takes no parcel (its footprint meets none but the road&apos;s own land); the profile&apos;s nominal road land is {road} m wide: if the width given is the part added, give the new total width.</source>
        <translation>Mở rộng {widening} không lấy thửa đất nào (phạm vi mở rộng chỉ nằm trên đất của đường bộ); đất của đường bộ danh nghĩa theo hồ sơ rộng {road} m: nếu bề rộng đã nhập là phần tăng thêm, hãy nhập tổng bề rộng mới.</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/overlay_map.py" line="78"/>
        <source>Cadastre: {source}. Corridor widths: profile {profile}, {regulation}.</source>
        <translation>Địa chính: {source}. Bề rộng hành lang: hồ sơ {profile}, {regulation}.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="125"/>
        <source>{row} (in {kept})</source>
        <translation>{row} (trong dòng {kept})</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="124"/>
        <source>refused (not imported)</source>
        <translation>bị từ chối (không nhập)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="851"/>
        <source>Pull cancelled: nothing was imported.</source>
        <translation>Đã hủy cập nhật: không nhập gì.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="856"/>
        <source>Pull refused: nothing was imported (see the message).</source>
        <translation>Cập nhật bị từ chối: không nhập gì (xem thông báo).</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/dialog.py" line="998"/>
        <source>Pulled from {source}; {count} sheet(s) refused, not imported: {sheets}</source>
        <translation>Đã cập nhật từ {source}; {count} tờ bị từ chối, không nhập: {sheets}</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="74"/>
        <source>Refused, not imported (the stored sheets left as they were; the other sheets were pulled): {sheets}. {reason}</source>
        <translation>Bị từ chối, không nhập (các tờ đã lưu giữ nguyên; các tờ khác đã được cập nhật): {sheets}. {reason}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="33"/>
        <source>Compares the edition of each map sheet of the land-resource department&apos;s source with the provincial database&apos;s and fetches and imports only the sheets that are new or newer (an older edition stays in the history). Give one source: the department&apos;s PostGIS database (connection string or service=NAME) and its parcel table (schema.table), an OGC API - Features endpoint and its collection id, a WFS 2.0 service and its parcel feature type, or an exported parcels file. Parcels outside the province are refused before anything is written. A new edition with fewer parcels than the stored sheet, from a file or from a server that does not count its features, is refused unless Whole sheets is ticked. A sheet holding land stored or fetched under another key (the source keeping an old and a new key after communes merged) is refused alone, named in the log and in Sheets refused; the other sheets are imported. The quality findings of the sheets fetched are a layer (empty when none was fetched).</source>
        <translation>So sánh lần xuất bản của từng tờ bản đồ trong nguồn của cơ quan tài nguyên và môi trường với cơ sở dữ liệu của tỉnh, rồi chỉ tải và nhập các tờ mới hoặc có lần xuất bản mới hơn (lần xuất bản cũ vẫn còn trong lịch sử). Chọn một nguồn: cơ sở dữ liệu PostGIS của cơ quan (chuỗi kết nối hoặc service=TÊN) và bảng thửa đất của nó (schema.table), một dịch vụ OGC API - Features và mã bộ dữ liệu (collection), một dịch vụ WFS 2.0 và kiểu đối tượng thửa đất của nó, hoặc một tệp thửa đất đã xuất. Thửa nằm ngoài tỉnh bị từ chối trước khi ghi bất cứ gì. Lần xuất bản mới có ít thửa hơn tờ đã lưu, lấy từ một tệp hoặc từ máy chủ không đếm số đối tượng của mình, bị từ chối trừ khi đánh dấu Toàn bộ tờ. Một tờ có đất đã lưu hoặc đã tải dưới một mã khác (nguồn giữ cả mã cũ và mã mới sau khi sáp nhập xã) bị từ chối riêng, được nêu trong nhật ký và trong Các tờ bị từ chối; các tờ khác vẫn được nhập. Các phát hiện về chất lượng của các tờ đã tải là một lớp (rỗng khi không tải tờ nào).</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="106"/>
        <source>Widening {widening}: {area} m² of its footprint lie beyond the imported parcels ({where}), outside the road land: not checked; import those sheets.</source>
        <translation>Mở rộng {widening}: {area} m² phạm vi mở rộng nằm ngoài các thửa đã nhập ({where}), ngoài đất của đường bộ: chưa được đối chiếu; hãy nhập các tờ bản đồ đó.</translation>
    </message>
    <message>
        <location filename="../../plugin/printing/overlay_map.py" line="80"/>
        <source>Cadastre: {source}. Corridor widths: their profile and regulation are not recorded in this overlay file (written by an older RoadInfra): run the overlay again.</source>
        <translation>Địa chính: {source}. Bề rộng hành lang: tệp chồng xếp này không ghi hồ sơ và văn bản quy định của chúng (do RoadInfra phiên bản cũ ghi): hãy chạy lại chồng xếp.</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/actions.py" line="34"/>
        <source>{0} row(s) removed from the package (see the RoadInfra log)</source>
        <translation>{0} dòng bị bỏ khỏi gói (xem nhật ký RoadInfra)</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/actions.py" line="38"/>
        <source>{0} photo(s) discarded (see the RoadInfra log)</source>
        <translation>{0} ảnh bị loại bỏ (xem nhật ký RoadInfra)</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/actions.py" line="101"/>
        <source>Sync: removed from the package: {0}</source>
        <translation>Đồng bộ: bỏ khỏi gói: {0}</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/actions.py" line="103"/>
        <source>Sync: photo discarded: attachment {0}: {1}</source>
        <translation>Đồng bộ: loại bỏ ảnh: tệp đính kèm {0}: {1}</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="120"/>
        <source>{count} outline(s) of the buildings file on a frame CAD layer taken for a sheet frame, not a building: row(s) {rows}.</source>
        <translation>{count} đường bao của tệp nhà nằm trên lớp CAD khung được coi là khung bản vẽ, không phải công trình: dòng {rows}.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="242"/>
        <source>{count} outline(s) holding only footprints under 25 m² read as one building with them (a stair well, a light well): {items}. To say which, if one is a lot wall or a frame, put it on a CAD layer of its own, not named.</source>
        <translation>{count} đường bao chỉ chứa các hình dưới 25 m² được đọc là một công trình cùng các hình đó (giếng cầu thang, giếng trời): {items}. Để bản vẽ nói rõ: nếu đó là tường rào hay khung, đặt nó trên một lớp CAD riêng, không chọn lớp đó.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="253"/>
        <source>{count} outline(s) holding a HATCH and larger footprints read as one building with them (its rooms): {items}. To say which, if one is a lot wall, put it on a CAD layer of its own, not named.</source>
        <translation>{count} đường bao chứa một mặt tô HATCH và các hình lớn hơn được đọc là một công trình cùng các hình đó (các phòng của nó): {items}. Để bản vẽ nói rõ: nếu đó là tường rào, đặt nó trên một lớp CAD riêng, không chọn lớp đó.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="256"/>
        <source>{count} outline(s) read as an enclosure (a lot wall, a block outline, a frame: house-size footprints inside, a yard around one, or over 5,000 m²), left out, the footprints inside the buildings: {items}. To say which, if one is a house, draw its fill as a HATCH; put lot walls and frames on a CAD layer of their own, not named.</source>
        <translation>{count} đường bao được đọc là đường bao ngoài (tường rào, đường bao khối nhà, khung: bên trong có hình cỡ một ngôi nhà, có sân quanh một hình, hoặc rộng hơn 5.000 m²), bị bỏ qua, các hình bên trong là công trình: {items}. Để bản vẽ nói rõ: nếu đó là một ngôi nhà, vẽ mặt tô bằng HATCH; đặt tường rào và khung trên một lớp CAD riêng, không chọn lớp đó.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="270"/>
        <source>row {row} ({area} m²)</source>
        <translation>dòng {row} ({area} m²)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="270"/>
        <source>rows {rows} ({area} m²)</source>
        <translation>các dòng {rows} ({area} m²)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="275"/>
        <source>row {row} ({area} m²) holds {held}, as one building, {area} m²</source>
        <translation>dòng {row} ({area} m²) chứa {held}, nếu là một công trình: {area} m²</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="275"/>
        <source>row {row} ({area} m²) holds {held}, as an enclosure, {count} building(s) of {total} m²</source>
        <translation>dòng {row} ({area} m²) chứa {held}, nếu là đường bao ngoài: {count} công trình, {total} m²</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="284"/>
        <source>; and {count} more: row(s) {rows}</source>
        <translation>; và {count} đường bao nữa: dòng {rows}</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="193"/>
        <source>{count} loose line(s) of the buildings drawing across {outlines} closed outline(s) taken for party walls, a building per part: row(s) {rows}.</source>
        <translation>{count} đoạn thẳng rời của bản vẽ nhà cắt ngang {outlines} đường bao khép kín được coi là tường chung, mỗi phần một công trình: dòng {rows}.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="193"/>
        <source>{lines} across {row}</source>
        <translation>{lines} cắt ngang dòng {row}</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="293"/>
        <source>; and {count} more</source>
        <translation>; và {count} nhóm khác</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="125"/>
        <source>{count} footprint(s) counted as one building with another (its HATCH, a copy, or the same building drawn again: within 0.5 m of it, or of its size and moved off it, still covering half of it or more): row(s) {rows}.</source>
        <translation>{count} hình công trình được tính là một công trình cùng một hình khác (mặt tô HATCH của nó, bản sao, hoặc cùng công trình đó vẽ lại: cách nó trong vòng 0,5 m, hoặc cùng cỡ và bị dời lệch khỏi nó nhưng vẫn phủ từ một nửa diện tích của nó trở lên): dòng {rows}.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="249"/>
        <source>{count} outline(s) holding one footprint that fills it to within 0.5 m of its walls read as one building, the footprint its fill: {items}. To say which, draw fills as HATCH entities, lot walls on a CAD layer of their own, not named.</source>
        <translation>{count} đường bao chứa một hình lấp kín nó đến cách tường trong vòng 0,5 m được đọc là một công trình, hình đó là mặt tô của nó: {items}. Để bản vẽ nói rõ: vẽ mặt tô bằng đối tượng HATCH, tường rào trên một lớp CAD riêng, không chọn lớp đó.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="177"/>
        <source>{count} pair(s) of buildings overlapping by a fifth of the smaller or more, both counted (no rule reads them as one: a building drawn twice over 1.5 m off, a house sticking out of its lot wall, a kiosk across a wall): {pairs}. Check the drawing: delete the copy, put lot walls on a CAD layer of their own, not named.</source>
        <translation>{count} cặp công trình chồng lên nhau từ một phần năm diện tích của hình nhỏ hơn trở lên, cả hai đều được tính (không quy tắc nào đọc chúng là một: công trình vẽ hai lần lệch quá 1,5 m, nhà nhô ra ngoài tường rào của thửa, ki-ốt đè qua tường): {pairs}. Hãy kiểm tra bản vẽ: xóa bản sao, đặt tường rào trên một lớp CAD riêng, không chọn lớp đó.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="177"/>
        <source>{a} and {b} ({area} m², {share} %)</source>
        <translation>{a} và {b} ({area} m², {share} %)</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="135"/>
        <source>{count} pair(s) of outlines of a size, one moved up to 1.5 m off the other, counted as one building (a resurvey moved off itself), the one taking more road land (then more of the corridor) charged: {pairs}. The other reading: two buildings (a house built out past the lot wall or building around it), both charged. To say which, delete the old outline, or put lot walls on a CAD layer of their own, not named.</source>
        <translation>{count} cặp đường bao cùng cỡ, đường này lệch khỏi đường kia đến 1,5 m, được tính là một công trình (đo lại, vẽ lệch khỏi chính nó), tính đường bao chiếm nhiều đất của đường bộ hơn (rồi nhiều đất hành lang hơn): {pairs}. Cách đọc khác: hai công trình (một nhà xây lấn ra ngoài tường rào hoặc công trình bao quanh nó), cả hai đều được tính. Để chỉ rõ, hãy xóa đường bao cũ, hoặc đặt tường rào trên một lớp CAD riêng, không chọn lớp đó.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="135"/>
        <source>row {a} ({a_area} m², {a_road} m² on road land) charged, row {b} ({b_area} m², {b_road} m² on road land) not</source>
        <translation>dòng {a} ({a_area} m², {a_road} m² trên đất của đường bộ) được tính, dòng {b} ({b_area} m², {b_road} m² trên đất của đường bộ) không tính</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="169"/>
        <source>{count} outline(s) of a size with an outline left out (a lot wall, a frame) and moved up to 1.5 m off it, each a building of its own, not left out with it: row(s) {rows}.</source>
        <translation>{count} đường bao cùng cỡ với một đường bao bị bỏ qua (tường rào, khung) và lệch đến 1,5 m khỏi nó, mỗi đường bao là một công trình riêng, không bị bỏ qua theo nó: dòng {rows}.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="169"/>
        <source>{rows} (off {row})</source>
        <translation>{rows} (lệch khỏi {row})</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="160"/>
        <source>{count} group(s) of outlines moved off themselves mixing two surveys (old, new): overlapping each other across pairs (each pair charged alone), or each survey over a building drawn in one only (the one taking more road land charged): rows {rows}. Check the drawing: delete the old outlines.</source>
        <translation>{count} nhóm đường bao bị dời lệch trộn hai lần đo (cũ, mới): chồng lên nhau giữa các cặp (mỗi cặp được tính riêng), hoặc mỗi lần đo đè lên một công trình chỉ vẽ trong một lần đo (tính đường bao chiếm nhiều đất của đường bộ hơn): các dòng {rows}. Kiểm tra bản vẽ: xóa các đường bao cũ.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="245"/>
        <source>{count} outline(s) charged in place of an outline moved off them, with the small footprints (under 25 m²) that outline held (sheds in its yard): {items}. To say which, if the other outline is a lot wall, put it on a CAD layer of its own, not named.</source>
        <translation>{count} đường bao được tính thay một đường bao lệch khỏi nó, cùng các hình nhỏ (dưới 25 m²) đường bao đó chứa (nhà phụ trong sân): {items}. Để nói rõ, nếu đường bao kia là tường rào, đặt nó trên một lớp CAD riêng, không chọn.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="275"/>
        <source>row {row} ({area} m²) with {held}, or each a building of its own, {count} building(s) of {total} m²</source>
        <translation>dòng {row} ({area} m²) cùng {held}, hoặc mỗi hình là một công trình riêng, {count} công trình, {total} m²</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/actions.py" line="62"/>
        <source>{0} value(s) RoadInfra could not derive (see the RoadInfra log)</source>
        <translation>{0} giá trị RoadInfra không tính ra được (xem nhật ký RoadInfra)</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/actions.py" line="76"/>
        <source>Sync: {0} {1}, field {2}: {3} replaced by the derived {4}</source>
        <translation>Đồng bộ: {0} {1}, trường {2}: {3} được thay bằng giá trị tính ra {4}</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/actions.py" line="79"/>
        <source>Sync: {0} {1}, field {2}: not derived: {3}</source>
        <translation>Đồng bộ: {0} {1}, trường {2}: không tính ra được: {3}</translation>
    </message>
    <message>
        <location filename="../../plugin/sync/conflicts_dock.py" line="135"/>
        <source>Not written: the package moved this record under {0} {1}, a record made in the package that the sync kept off the server by its own conflict; the server refused nothing. Take the package&apos;s values on that conflict first (its explanation says how), then on this one; or keep the server&apos;s values to leave this record where the server has it.</source>
        <translation>Chưa ghi: gói đã chuyển bản ghi này sang dưới {0} {1}, một bản ghi tạo trong gói mà lần đồng bộ giữ lại, không ghi lên máy chủ, vì xung đột riêng của nó; máy chủ không từ chối gì. Hãy lấy giá trị của gói cho xung đột đó trước (phần giải thích của nó nói cách làm), rồi cho xung đột này; hoặc giữ giá trị của máy chủ để bản ghi này ở nguyên chỗ của nó trên máy chủ.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="303"/>
        <source>{rows} and {count} more</source>
        <translation>{rows} và {count} dòng khác</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="149"/>
        <source>{count} pair(s) of outlines of a size, one moved up to 1.5 m off the other, counted as one building (a resurvey moved off itself), the survey lying over a building drawn in one survey only not charged, whatever its land: {pairs}. To say which, delete the old outlines.</source>
        <translation>{count} cặp đường bao cùng cỡ, đường này lệch khỏi đường kia đến 1,5 m, được tính là một công trình (đo lại, vẽ lệch khỏi chính nó), không tính lần đo nằm đè lên một công trình chỉ vẽ trong một lần đo, dù chiếm bao nhiêu đất: {pairs}. Để chỉ rõ, hãy xóa các đường bao cũ.</translation>
    </message>
    <message>
        <location filename="../../plugin/cadastre/messages.py" line="149"/>
        <source>row {a} charged, row {b} not (the other survey lies over row(s) {lone}, drawn in one survey only)</source>
        <translation>dòng {a} được tính, dòng {b} không tính (lần đo kia nằm đè lên dòng {lone}, chỉ vẽ trong một lần đo)</translation>
    </message>
</context>
<context>
    <name>CalibrateRoutes</name>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/calibrate_routes.py" line="56"/>
        <source>Fail on any calibration error</source>
        <translation>Dừng khi có bất kỳ lỗi hiệu chỉnh nào</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/calibrate_routes.py" line="58"/>
        <source>Calibrated routes</source>
        <translation>Tuyến đã hiệu chỉnh</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/calibrate_routes.py" line="60"/>
        <source>Calibration issues</source>
        <translation>Vấn đề hiệu chỉnh</translation>
    </message>
</context>
<context>
    <name>CheckCadastralFile</name>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_check.py" line="32"/>
        <source>Quality findings</source>
        <translation>Phát hiện về chất lượng</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_check.py" line="32"/>
        <source>Parcels read</source>
        <translation>Số thửa đã đọc</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_check.py" line="35"/>
        <source>Province check</source>
        <translation>Kiểm tra phạm vi tỉnh</translation>
    </message>
</context>
<context>
    <name>CheckWeighingRecords</name>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_check.py" line="32"/>
        <source>Records checked</source>
        <translation>Số bản ghi đã kiểm tra</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_check.py" line="32"/>
        <source>Rows rejected</source>
        <translation>Số dòng bị loại</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_check.py" line="32"/>
        <source>Overloaded vehicles</source>
        <translation>Số xe quá tải</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_check.py" line="41"/>
        <source>{0} records checked, {1} rejected, {2} overloaded</source>
        <translation>Đã kiểm tra {0} bản ghi, loại {1}, quá tải {2}</translation>
    </message>
</context>
<context>
    <name>ClassifyIri</name>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/classify_iri.py" line="41"/>
        <source>IRI field (m/km)</source>
        <translation>Trường IRI (m/km)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/classify_iri.py" line="48"/>
        <source>Classified IRI</source>
        <translation>IRI đã phân loại</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/classify_iri.py" line="50"/>
        <source>Features per class</source>
        <translation>Số đối tượng theo cấp</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/classify_iri.py" line="40"/>
        <source>Survey intervals with IRI values</source>
        <translation>Các đoạn khảo sát có giá trị IRI</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/classify_iri.py" line="44"/>
        <source>Road class (band set of the profile; empty: default bands)</source>
        <translation>Cấp đường (bộ khoảng phân loại của hồ sơ; để trống: khoảng mặc định)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/classify_iri.py" line="51"/>
        <source>Length-weighted mean IRI</source>
        <translation>IRI trung bình theo chiều dài</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/classify_iri.py" line="81"/>
        <source>{0} intervals; {1}; length-weighted mean IRI {2:.2f} m/km</source>
        <translation>{0} đoạn; {1}; IRI trung bình theo chiều dài {2:.2f} m/km</translation>
    </message>
</context>
<context>
    <name>ComputePci</name>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="69"/>
        <source>Distress table</source>
        <translation>Bảng hư hỏng</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="89"/>
        <source>Units of areas and lengths</source>
        <translation>Đơn vị diện tích và chiều dài</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="89"/>
        <source>Metric (m², m)</source>
        <translation>Hệ mét (m², m)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="89"/>
        <source>Imperial (ft², ft)</source>
        <translation>Hệ Anh (ft², ft)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="97"/>
        <source>PCI per sample unit</source>
        <translation>PCI theo đơn vị mẫu</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="98"/>
        <source>Section PCI</source>
        <translation>PCI của đoạn</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="99"/>
        <source>Section rating</source>
        <translation>Xếp loại đoạn</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="108"/>
        <source>The distress table cannot be read</source>
        <translation>Không đọc được bảng hư hỏng</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="186"/>
        <source>Section PCI {pci:.1f}: {rating}</source>
        <translation>PCI của đoạn {pci:.1f}: {rating}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="72"/>
        <source>Compute each survey apart</source>
        <translation>Tính riêng từng lần khảo sát</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="74"/>
        <source>Write PCI and rating back to the surveys</source>
        <translation>Ghi PCI và xếp loại vào các lần khảo sát</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="78"/>
        <source>Survey field</source>
        <translation>Trường lần khảo sát</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="100"/>
        <source>Surveys computed</source>
        <translation>Số lần khảo sát đã tính</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="100"/>
        <source>Surveys with errors</source>
        <translation>Số lần khảo sát có lỗi</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="100"/>
        <source>Surveys written</source>
        <translation>Số lần khảo sát đã ghi</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="118"/>
        <source>Writing PCI back to the surveys needs &apos;Compute each survey apart&apos;</source>
        <translation>Muốn ghi PCI vào các lần khảo sát, hãy chọn 'Tính riêng từng lần khảo sát'</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="143"/>
        <source>{0} survey(s) have bad rows and were left out: {1}</source>
        <translation>{0} lần khảo sát có dòng sai và được bỏ qua: {1}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="148"/>
        <source>PCI and rating written to {0} survey(s) of {1}</source>
        <translation>Đã ghi PCI và xếp loại vào {0} lần khảo sát của {1}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="160"/>
        <source>{0} has a field {1}: if it holds several surveys, tick &apos;Compute each survey apart&apos;</source>
        <translation>{0} có trường {1}: nếu bảng gồm nhiều lần khảo sát, hãy chọn 'Tính riêng từng lần khảo sát'</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/compute_pci.py" line="189"/>
        <source>PCI of {0} survey(s) computed</source>
        <translation>Đã tính PCI của {0} lần khảo sát</translation>
    </message>
</context>
<context>
    <name>ConditionSummary</name>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/condition_summary.py" line="40"/>
        <source>Only this route (code)</source>
        <translation>Chỉ tuyến này (mã)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/condition_summary.py" line="42"/>
        <source>Only this district (code)</source>
        <translation>Chỉ huyện này (mã)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/condition_summary.py" line="44"/>
        <source>Language of the labels</source>
        <translation>Ngôn ngữ của nhãn</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/condition_summary.py" line="44"/>
        <source>Vietnamese</source>
        <translation>Tiếng Việt</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/condition_summary.py" line="44"/>
        <source>English</source>
        <translation>Tiếng Anh</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/condition_summary.py" line="47"/>
        <source>Condition summary</source>
        <translation>Tóm tắt tình trạng</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/condition_summary.py" line="48"/>
        <source>Summary (JSON)</source>
        <translation>Tóm tắt (JSON)</translation>
    </message>
</context>
<context>
    <name>ConditionSummaryWidget</name>
    <message>
        <location filename="../../forms/condition_summary.ui" line="32"/>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
</context>
<context>
    <name>CreateEvents</name>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/create_events.py" line="38"/>
        <source>Event table</source>
        <translation>Bảng sự kiện</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/create_events.py" line="39"/>
        <source>Route code field</source>
        <translation>Trường mã tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/create_events.py" line="40"/>
        <source>From (or point) chainage field</source>
        <translation>Trường lý trình đầu (hoặc lý trình điểm)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/create_events.py" line="41"/>
        <source>To chainage field (empty: point events)</source>
        <translation>Trường lý trình cuối (để trống: sự kiện điểm)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/create_events.py" line="49"/>
        <source>Events</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/create_events.py" line="43"/>
        <source>Offset field (m, left positive; a line event&apos;s offset at its start)</source>
        <translation>Trường khoảng lệch (m, bên trái dương; khoảng lệch tại đầu của sự kiện đường)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/create_events.py" line="46"/>
        <source>End offset field of line events (empty: the offset field)</source>
        <translation>Trường khoảng lệch cuối của sự kiện đường (để trống: trường khoảng lệch)</translation>
    </message>
</context>
<context>
    <name>DatabaseProfileInfo</name>
    <message>
        <location filename="../../plugin/processing/algorithms/info.py" line="40"/>
        <source>RoadInfra version</source>
        <translation>Phiên bản RoadInfra</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/info.py" line="40"/>
        <source>Profile id</source>
        <translation>Mã hồ sơ</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/info.py" line="40"/>
        <source>Province</source>
        <translation>Tỉnh</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/info.py" line="40"/>
        <source>Coordinate reference system</source>
        <translation>Hệ quy chiếu tọa độ</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/info.py" line="40"/>
        <source>Summary</source>
        <translation>Tóm tắt</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/info.py" line="48"/>
        <source>EPSG code</source>
        <translation>Mã EPSG</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/info.py" line="49"/>
        <source>Number of districts</source>
        <translation>Số huyện</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/info.py" line="66"/>
        <source>Profile: {id} ({path})</source>
        <translation>Hồ sơ: {id} ({path})</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/info.py" line="67"/>
        <source>Province: {vi} / {en}</source>
        <translation>Tỉnh: {vi} / {en}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/info.py" line="68"/>
        <source>Coordinate system: EPSG:{epsg} {name}</source>
        <translation>Hệ tọa độ: EPSG:{epsg} {name}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/info.py" line="71"/>
        <source>Districts: {count}</source>
        <translation>Số huyện: {count}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/info.py" line="50"/>
        <source>Number of tables</source>
        <translation>Số bảng</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/info.py" line="78"/>
        <source>Database: {path} (schema version {version})</source>
        <translation>Cơ sở dữ liệu: {path} (phiên bản lược đồ {version})</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/info.py" line="81"/>
        <source>The database needs an upgrade to schema version {current}: roadinfra db upgrade</source>
        <translation>Cơ sở dữ liệu cần nâng cấp lên phiên bản lược đồ {current}: roadinfra db upgrade</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/info.py" line="85"/>
        <source>The database is newer than this RoadInfra (schema version {current}): update RoadInfra</source>
        <translation>Cơ sở dữ liệu mới hơn bản RoadInfra này (phiên bản lược đồ {current}): hãy cập nhật RoadInfra</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/info.py" line="90"/>
        <source>  {table}: {live} live, {deleted} tombstoned</source>
        <translation>  {table}: {live} đang dùng, {deleted} đã xóa</translation>
    </message>
</context>
<context>
    <name>EsalPerRouteSection</name>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_esal_sections.py" line="52"/>
        <source>Load stations</source>
        <translation>Trạm kiểm tra tải trọng</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_esal_sections.py" line="52"/>
        <source>Route sections</source>
        <translation>Đoạn tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_esal_sections.py" line="60"/>
        <source>Year</source>
        <translation>Năm</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_esal_sections.py" line="63"/>
        <source>Maximum distance to a station (m, empty: any)</source>
        <translation>Khoảng cách tối đa đến trạm (m, để trống: không giới hạn)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_esal_sections.py" line="66"/>
        <source>Traffic loading</source>
        <translation>Tải trọng giao thông</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_esal_sections.py" line="76"/>
        <source>Load stations and route sections are needed</source>
        <translation>Cần có trạm kiểm tra tải trọng và đoạn tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_esal_sections.py" line="107"/>
        <source>Station {0}: {1:.1f} ESAL/day</source>
        <translation>Trạm {0}: {1:.1f} ESAL/ngày</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_esal_sections.py" line="109"/>
        <source>{0} section(s) have no station on their route</source>
        <translation>{0} đoạn không có trạm trên tuyến của đoạn</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/loads_esal_sections.py" line="68"/>
        <source>Sections written</source>
        <translation>Số đoạn đã ghi</translation>
    </message>
</context>
<context>
    <name>ImportBridgeInventory</name>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/import_bridge_inventory.py" line="51"/>
        <source>Mapping (id or .toml file)</source>
        <translation>Ánh xạ (mã hoặc tệp .toml)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/import_bridge_inventory.py" line="54"/>
        <source>Bridges and culverts</source>
        <translation>Cầu và cống</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/import_bridge_inventory.py" line="56"/>
        <source>Rows imported</source>
        <translation>Số dòng đã nhập</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/import_bridge_inventory.py" line="57"/>
        <source>Rows with errors</source>
        <translation>Số dòng có lỗi</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/import_bridge_inventory.py" line="97"/>
        <source>{ok} of {total} rows imported, {bad} with errors</source>
        <translation>Đã nhập {ok} trên {total} dòng, {bad} dòng có lỗi</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/import_bridge_inventory.py" line="50"/>
        <source>Inventory (CSV or XLSX file, or a layer)</source>
        <translation>Danh mục (tệp CSV hoặc XLSX, hoặc một lớp dữ liệu)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/condition/import_bridge_inventory.py" line="68"/>
        <source>The inventory cannot be read</source>
        <translation>Không đọc được danh mục</translation>
    </message>
</context>
<context>
    <name>ImportCadastralFile</name>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_import.py" line="52"/>
        <source>Quality findings</source>
        <translation>Phát hiện về chất lượng</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_import.py" line="53"/>
        <source>Parcels imported</source>
        <translation>Số thửa đã nhập</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_import.py" line="53"/>
        <source>Parcels replaced (kept in history)</source>
        <translation>Số thửa được thay (giữ trong lịch sử)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_import.py" line="68"/>
        <source>Sheet {0}/{1} edition {2}: {3}, {4} parcel(s)</source>
        <translation>Tờ {0}/{1} lần xuất bản {2}: {3}, {4} thửa</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_import.py" line="43"/>
        <source>Trust the declared VN-2000 CRS of another zone (refused by default as probably mislabelled when it also fits the provincial grid)</source>
        <translation>Tin hệ tọa độ VN-2000 múi khác đã khai báo (mặc định bị từ chối vì có thể khai báo nhầm khi tọa độ cũng khớp lưới tọa độ của tỉnh)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_import.py" line="47"/>
        <source>Whole sheets: a new edition with fewer parcels than the stored sheet replaces it (refused by default: a selection or part of a sheet would remove the rest)</source>
        <translation>Toàn bộ tờ: lần xuất bản mới có ít thửa hơn tờ đã lưu sẽ thay thế tờ đó (mặc định bị từ chối: một phần được chọn hoặc một phần của tờ sẽ làm xóa phần còn lại)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_import.py" line="39"/>
        <source>Edition of the sheets (date; default from the file, else undated)</source>
        <translation>Lần xuất bản của tờ bản đồ (ngày; mặc định lấy từ tệp, nếu không có thì không ghi ngày)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_import.py" line="68"/>
        <source>undated</source>
        <translation>không ghi ngày</translation>
    </message>
</context>
<context>
    <name>LocatePoints</name>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/locate_points.py" line="41"/>
        <source>Points to locate</source>
        <translation>Điểm cần định vị</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/locate_points.py" line="47"/>
        <source>Maximum offset from a route (m)</source>
        <translation>Khoảng lệch tối đa so với tuyến (m)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/locate_points.py" line="51"/>
        <source>Located points</source>
        <translation>Điểm đã định vị</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/locate_points.py" line="43"/>
        <source>Point route field (locate on this route; empty value: nearest route)</source>
        <translation>Trường tuyến của điểm (định vị trên tuyến này; giá trị trống: tuyến gần nhất)</translation>
    </message>
</context>
<context>
    <name>OpenDatabaseDialog</name>
    <message>
        <location filename="../../forms/open_database.ui" line="14"/>
        <source>Open provincial database</source>
        <translation>Mở cơ sở dữ liệu tỉnh</translation>
    </message>
    <message>
        <location filename="../../forms/open_database.ui" line="20"/>
        <source>GeoPackage file</source>
        <translation>Tệp GeoPackage</translation>
    </message>
    <message>
        <location filename="../../forms/open_database.ui" line="30"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../../forms/open_database.ui" line="37"/>
        <source>PostGIS database (shared)</source>
        <translation>Cơ sở dữ liệu PostGIS (dùng chung)</translation>
    </message>
    <message>
        <location filename="../../forms/open_database.ui" line="44"/>
        <source>Connection</source>
        <translation>Kết nối</translation>
    </message>
    <message>
        <location filename="../../forms/open_database.ui" line="50"/>
        <source>Service (pg_service.conf)</source>
        <translation>Dịch vụ (pg_service.conf)</translation>
    </message>
    <message>
        <location filename="../../forms/open_database.ui" line="67"/>
        <source>QGIS connection</source>
        <translation>Kết nối QGIS</translation>
    </message>
    <message>
        <location filename="../../forms/open_database.ui" line="77"/>
        <source>Authentication</source>
        <translation>Xác thực</translation>
    </message>
    <message>
        <location filename="../../forms/open_database.ui" line="87"/>
        <source>Schema</source>
        <translation>Lược đồ</translation>
    </message>
    <message>
        <location filename="../../forms/open_database.ui" line="106"/>
        <source>Default district for new features</source>
        <translation>Huyện mặc định cho đối tượng mới</translation>
    </message>
    <message>
        <location filename="../../forms/open_database.ui" line="121"/>
        <source>Passwords are never stored in the project: use a pg_service.conf entry or a QGIS authentication configuration.</source>
        <translation>Mật khẩu không bao giờ được lưu trong dự án: hãy dùng một mục trong pg_service.conf hoặc một cấu hình xác thực của QGIS.</translation>
    </message>
    <message>
        <location filename="../../forms/open_database.ui" line="94"/>
        <source>public</source>
        <translation>public</translation>
    </message>
</context>
<context>
    <name>OverlayCorridors</name>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_overlay.py" line="53"/>
        <source>Routes (codes separated by &apos;,&apos;; empty: all)</source>
        <translation>Tuyến (số hiệu cách nhau bởi ','; để trống: tất cả)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_overlay.py" line="55"/>
        <source>Planned widenings (route:from-to:width; ...)</source>
        <translation>Mở rộng theo kế hoạch (tuyến:từ-đến:bề rộng; ...)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_overlay.py" line="79"/>
        <source>Buildings</source>
        <translation>Nhà, công trình</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_overlay.py" line="104"/>
        <source>Workbook</source>
        <translation>Sổ tính</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_overlay.py" line="68"/>
        <source>Parcel parts in corridors</source>
        <translation>Số phần thửa trong hành lang</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_overlay.py" line="79"/>
        <source>give &apos;{buildings}&apos; as FILE|layername=NAME</source>
        <translation>nhập '{buildings}' dạng TỆP|layername=TÊN</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_overlay.py" line="83"/>
        <source>CAD layers of a buildings drawing (DXF layers, DGN levels, separated by &apos;,&apos;)</source>
        <translation>Lớp CAD của bản vẽ nhà (lớp DXF, level DGN, cách nhau bằng ',')</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_overlay.py" line="83"/>
        <source>give &apos;{cad}&apos;</source>
        <translation>nhập '{cad}'</translation>
    </message>
</context>
<context>
    <name>Package</name>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/package.py" line="43"/>
        <source>Take</source>
        <translation>Lấy theo</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/package.py" line="43"/>
        <source>Management area</source>
        <translation>Khu vực quản lý</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/package.py" line="43"/>
        <source>Box</source>
        <translation>Khung tọa độ</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/package.py" line="43"/>
        <source>Route</source>
        <translation>Tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/package.py" line="46"/>
        <source>Area code, box XMIN,YMIN,XMAX,YMAX or route code</source>
        <translation>Mã khu vực, khung XMIN,YMIN,XMAX,YMAX hoặc số hiệu tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/package.py" line="48"/>
        <source>Package name</source>
        <translation>Tên gói</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/package.py" line="50"/>
        <source>Basemap to clip to the package (GeoTIFF)</source>
        <translation>Bản đồ nền cắt theo gói (GeoTIFF)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/package.py" line="54"/>
        <source>Package</source>
        <translation>Gói dữ liệu</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/package.py" line="55"/>
        <source>Summary (JSON)</source>
        <translation>Tóm tắt (JSON)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/package.py" line="61"/>
        <source>Give the area code, the box or the route code</source>
        <translation>Hãy nhập mã khu vực, khung tọa độ hoặc số hiệu tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/package.py" line="69"/>
        <source>Packed {0} rows into {1}</source>
        <translation>Đã đóng gói {0} dòng vào {1}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/package.py" line="83"/>
        <source>QGIS project not stored in the package: {0}</source>
        <translation>Chưa lưu được dự án QGIS vào gói dữ liệu: {0}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/package.py" line="74"/>
        <source>Photo of {0} {1}: {2}: {3}</source>
        <translation>Ảnh của {0} {1}: {2}: {3}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/package.py" line="87"/>
        <source>Cancelled while storing the QGIS project: the package {0} is made and registered on the server, without its QGIS project; use it as it is or delete it</source>
        <translation>Đã hủy khi đang lưu dự án QGIS: gói {0} đã được tạo và đăng ký trên máy chủ nhưng không có dự án QGIS; dùng gói như vậy hoặc xóa nó</translation>
    </message>
</context>
<context>
    <name>ParcelInput</name>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/parcel_input.py" line="43"/>
        <source>Field mapping (vn_cadastre, fr_edigeo, nl_inspire or .toml)</source>
        <translation>Ánh xạ trường (vn_cadastre, fr_edigeo, nl_inspire hoặc tệp .toml)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/parcel_input.py" line="46"/>
        <source>Layer (of a multi-layer file)</source>
        <translation>Lớp (của tệp nhiều lớp)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/parcel_input.py" line="51"/>
        <source>Map sheet of parcels whose file does not say it</source>
        <translation>Số tờ bản đồ của các thửa mà tệp không ghi</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/parcel_input.py" line="39"/>
        <source>Cadastral parcels (a layer, or a Shapefile, GeoPackage, GML/INSPIRE, DXF or DGN file)</source>
        <translation>Thửa đất địa chính (một lớp, hoặc tệp Shapefile, GeoPackage, GML/INSPIRE, DXF hoặc DGN)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/parcel_input.py" line="55"/>
        <source>CRS of parcels whose source declares none</source>
        <translation>Hệ tọa độ của các thửa mà nguồn không khai báo</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/parcel_input.py" line="74"/>
        <source>The cadastral parcels cannot be read</source>
        <translation>Không đọc được thửa đất địa chính</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/parcel_input.py" line="58"/>
        <source>Read the parcels in this CRS in place of the one their source declares (a mislabelled file)</source>
        <translation>Đọc các thửa theo hệ tọa độ này thay cho hệ tọa độ nguồn đã khai báo (tệp khai báo sai)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/parcel_input.py" line="93"/>
        <source>&apos;{assign}&apos; is ticked, but &apos;{crs}&apos; is empty: choose the CRS to read the parcels in, or untick it</source>
        <translation>'{assign}' đã được chọn nhưng '{crs}' để trống: hãy chọn hệ tọa độ để đọc các thửa, hoặc bỏ chọn mục đó</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/parcel_input.py" line="98"/>
        <source>{{source}}: the CRS assigned to the file ({{assigned}}, &apos;{crs}&apos; with &apos;{assign}&apos; ticked) disagrees with the file&apos;s own declared CRS, {{own}}, which the coordinates fit: untick &apos;{assign}&apos; and leave &apos;{crs}&apos; empty to read the file in its own CRS; nothing was imported</source>
        <translation>{{source}}: hệ tọa độ gán cho tệp ({{assigned}}, '{crs}' với '{assign}' được chọn) không khớp với hệ tọa độ tệp tự khai báo, {{own}}, mà các tọa độ phù hợp: bỏ chọn '{assign}' và để trống '{crs}' để đọc tệp theo hệ tọa độ của chính nó; chưa nhập gì</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/parcel_input.py" line="98"/>
        <source>{{source}}: the CRS assigned to the layer ({{assigned}}, &apos;{crs}&apos; with &apos;{assign}&apos; ticked) disagrees with the layer&apos;s own declared CRS, {{own}}, which the coordinates fit: untick &apos;{assign}&apos; and leave &apos;{crs}&apos; empty to read the layer in its own CRS; nothing was imported</source>
        <translation>{{source}}: hệ tọa độ gán cho lớp ({{assigned}}, '{crs}' với '{assign}' được chọn) không khớp với hệ tọa độ lớp tự khai báo, {{own}}, mà các tọa độ phù hợp: bỏ chọn '{assign}' và để trống '{crs}' để đọc lớp theo hệ tọa độ của chính nó; chưa nhập gì</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/parcel_input.py" line="107"/>
        <source>{{source}}: the CRS given in &apos;{crs}&apos; ({{given}}) is wrong: the file declares none, and its coordinates fit {{grid}}: choose {{code}} in &apos;{crs}&apos;{{trust}}; nothing was imported</source>
        <translation>{{source}}: hệ tọa độ nhập ở '{crs}' ({{given}}) sai: tệp không khai báo hệ tọa độ nào, và các tọa độ của nó khớp {{grid}}: hãy chọn {{code}} ở '{crs}'{{trust}}; chưa nhập gì</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/parcel_input.py" line="107"/>
        <source>{{source}}: the CRS given in &apos;{crs}&apos; ({{given}}) is wrong: the layer declares none, and its coordinates fit {{grid}}: choose {{code}} in &apos;{crs}&apos;{{trust}}; nothing was imported</source>
        <translation>{{source}}: hệ tọa độ nhập ở '{crs}' ({{given}}) sai: lớp không khai báo hệ tọa độ nào, và các tọa độ của nó khớp {{grid}}: hãy chọn {{code}} ở '{crs}'{{trust}}; chưa nhập gì</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/parcel_input.py" line="128"/>
        <source>, or, if the data really is in {{given}}, confirm it (tick &apos;{trust}&apos;)</source>
        <translation>, hoặc, nếu dữ liệu thật sự theo {{given}}, hãy xác nhận (chọn '{trust}')</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/parcel_input.py" line="114"/>
        <source>{{source}}: the CRS given in &apos;{crs}&apos; ({{given}}) is wrong: the file declares none, and its coordinates fit each of {{fits}}, which place them up to {{apart}} m apart: the coordinates cannot tell VN-2000 from WGS 84 (or one grid from another) apart there, so choose in &apos;{crs}&apos; the CRS the data was really made in (VN-2000 for a cadastral survey, WGS 84 for GPS or web-map data){{trust}}; nothing was imported</source>
        <translation>{{source}}: hệ tọa độ nhập ở '{crs}' ({{given}}) sai: tệp không khai báo hệ tọa độ nào, và các tọa độ của nó khớp với từng hệ {{fits}}, các hệ này đặt dữ liệu cách nhau tới {{apart}} m: tại đây các tọa độ không phân biệt được VN-2000 với WGS 84 (hoặc lưới này với lưới khác), vậy hãy chọn ở '{crs}' hệ tọa độ mà dữ liệu thực sự được lập (VN-2000 cho đo đạc địa chính, WGS 84 cho dữ liệu GPS hoặc bản đồ web){{trust}}; chưa nhập gì</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/parcel_input.py" line="114"/>
        <source>{{source}}: the CRS given in &apos;{crs}&apos; ({{given}}) is wrong: the layer declares none, and its coordinates fit each of {{fits}}, which place them up to {{apart}} m apart: the coordinates cannot tell VN-2000 from WGS 84 (or one grid from another) apart there, so choose in &apos;{crs}&apos; the CRS the data was really made in (VN-2000 for a cadastral survey, WGS 84 for GPS or web-map data){{trust}}; nothing was imported</source>
        <translation>{{source}}: hệ tọa độ nhập ở '{crs}' ({{given}}) sai: lớp không khai báo hệ tọa độ nào, và các tọa độ của nó khớp với từng hệ {{fits}}, các hệ này đặt dữ liệu cách nhau tới {{apart}} m: tại đây các tọa độ không phân biệt được VN-2000 với WGS 84 (hoặc lưới này với lưới khác), vậy hãy chọn ở '{crs}' hệ tọa độ mà dữ liệu thực sự được lập (VN-2000 cho đo đạc địa chính, WGS 84 cho dữ liệu GPS hoặc bản đồ web){{trust}}; chưa nhập gì</translation>
    </message>
</context>
<context>
    <name>PlanBuild</name>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_build.py" line="44"/>
        <source>First year of the plan</source>
        <translation>Năm đầu của kế hoạch</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_build.py" line="48"/>
        <source>Years in the plan</source>
        <translation>Số năm của kế hoạch</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_build.py" line="51"/>
        <source>Profile for the treatment table (empty: the database&apos;s own)</source>
        <translation>Hồ sơ cho bảng giải pháp (để trống: hồ sơ của cơ sở dữ liệu)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_build.py" line="54"/>
        <source>Plan only (store nothing)</source>
        <translation>Chỉ lập kế hoạch (không lưu)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_build.py" line="56"/>
        <source>Plan items</source>
        <translation>Hạng mục kế hoạch</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_build.py" line="57"/>
        <source>Methods compared</source>
        <translation>So sánh các phương pháp</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_build.py" line="58"/>
        <source>Plan code</source>
        <translation>Mã kế hoạch</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_build.py" line="59"/>
        <source>Benefit</source>
        <translation>Lợi ích</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_build.py" line="60"/>
        <source>Cost</source>
        <translation>Kinh phí</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_build.py" line="80"/>
        <source>{0}: {1} item(s), cost {2:,.0f} VND{3}</source>
        <translation>{0}: {1} hạng mục, kinh phí {2:,.0f} đồng{3}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_build.py" line="80"/>
        <source>, stored as {0} (draft)</source>
        <translation>, đã lưu là {0} (dự thảo)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_build.py" line="84"/>
        <source>left out: {0}</source>
        <translation>bỏ qua: {0}</translation>
    </message>
</context>
<context>
    <name>PlanInputs</name>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_inputs.py" line="23"/>
        <source>Budget (VND): one amount a year, or YEAR=AMOUNT,YEAR=AMOUNT</source>
        <translation>Ngân sách (đồng): một số tiền mỗi năm, hoặc NĂM=SỐ TIỀN,NĂM=SỐ TIỀN</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_inputs.py" line="25"/>
        <source>Method</source>
        <translation>Phương pháp</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_inputs.py" line="25"/>
        <source>Optimal (integer programme, HiGHS)</source>
        <translation>Tối ưu (quy hoạch nguyên, HiGHS)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_inputs.py" line="25"/>
        <source>Incremental benefit-cost (greedy)</source>
        <translation>Lợi ích-chi phí gia tăng (tham lam)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_inputs.py" line="25"/>
        <source>Worst first</source>
        <translation>Xấu nhất trước</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_inputs.py" line="30"/>
        <source>Optimal: stop within this % of the proven best</source>
        <translation>Tối ưu: dừng khi cách lời giải tốt nhất đã chứng minh không quá % này</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_inputs.py" line="38"/>
        <source>Give a budget</source>
        <translation>Hãy nhập ngân sách</translation>
    </message>
</context>
<context>
    <name>PlanOptimize</name>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_optimize.py" line="40"/>
        <source>Options table</source>
        <translation>Bảng phương án</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_optimize.py" line="43"/>
        <source>At most one treatment per section and</source>
        <translation>Nhiều nhất một giải pháp cho mỗi đoạn và</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_optimize.py" line="43"/>
        <source>year</source>
        <translation>năm</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_optimize.py" line="43"/>
        <source>horizon</source>
        <translation>cả kỳ kế hoạch</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_optimize.py" line="46"/>
        <source>Chosen treatments</source>
        <translation>Giải pháp được chọn</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_optimize.py" line="47"/>
        <source>Methods compared</source>
        <translation>So sánh các phương pháp</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_optimize.py" line="48"/>
        <source>Benefit</source>
        <translation>Lợi ích</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_optimize.py" line="49"/>
        <source>Cost</source>
        <translation>Kinh phí</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/plan_optimize.py" line="67"/>
        <source>{0}: {1} treatment(s), benefit {2:,.2f}, cost {3:,.0f}</source>
        <translation>{0}: {1} giải pháp, lợi ích {2:,.2f}, kinh phí {3:,.0f}</translation>
    </message>
</context>
<context>
    <name>PrintConditionMap</name>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_condition_map.py" line="37"/>
        <source>Map language</source>
        <translation>Ngôn ngữ bản đồ</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_condition_map.py" line="37"/>
        <source>Vietnamese</source>
        <translation>Tiếng Việt</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_condition_map.py" line="37"/>
        <source>English</source>
        <translation>Tiếng Anh</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_condition_map.py" line="40"/>
        <source>Condition map (PDF)</source>
        <translation>Bản đồ tình trạng (PDF)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_condition_map.py" line="40"/>
        <source>PDF files (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_condition_map.py" line="50"/>
        <source>Condition map written to {path}</source>
        <translation>Đã ghi bản đồ tình trạng vào {path}</translation>
    </message>
</context>
<context>
    <name>PrintOverlayMap</name>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_print_overlay.py" line="37"/>
        <source>Corridor overlay (GeoPackage)</source>
        <translation>Kết quả chồng xếp hành lang (GeoPackage)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_print_overlay.py" line="40"/>
        <source>Map language</source>
        <translation>Ngôn ngữ bản đồ</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_print_overlay.py" line="40"/>
        <source>Vietnamese</source>
        <translation>Tiếng Việt</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_print_overlay.py" line="40"/>
        <source>English</source>
        <translation>Tiếng Anh</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_print_overlay.py" line="43"/>
        <source>Overlay map (PDF)</source>
        <translation>Bản đồ chồng xếp (PDF)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_print_overlay.py" line="43"/>
        <source>PDF files (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_print_overlay.py" line="52"/>
        <source>Overlay map written to {path}</source>
        <translation>Đã ghi bản đồ chồng xếp vào {path}</translation>
    </message>
</context>
<context>
    <name>PrintPlanAtlas</name>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_plan_atlas.py" line="76"/>
        <source>Geospatial PDF sheets written to {path}</source>
        <translation>Đã ghi các tờ PDF có tọa độ địa lý vào {path}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_plan_atlas.py" line="73"/>
        <source>Plan atlas of {pages} sheets written to {path}</source>
        <translation>Đã ghi tập bản đồ kế hoạch {pages} tờ vào {path}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_plan_atlas.py" line="59"/>
        <source>PDF files (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_plan_atlas.py" line="59"/>
        <source>Plan atlas (PDF)</source>
        <translation>Tập bản đồ kế hoạch (PDF)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_plan_atlas.py" line="57"/>
        <source>Geospatial PDF where available</source>
        <translation>PDF có tọa độ địa lý (nếu hỗ trợ)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_plan_atlas.py" line="54"/>
        <source>English</source>
        <translation>Tiếng Anh</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_plan_atlas.py" line="54"/>
        <source>Vietnamese</source>
        <translation>Tiếng Việt</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_plan_atlas.py" line="54"/>
        <source>Map language</source>
        <translation>Ngôn ngữ bản đồ</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_plan_atlas.py" line="51"/>
        <source>A4 portrait</source>
        <translation>A4 khổ dọc</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_plan_atlas.py" line="51"/>
        <source>A3 landscape</source>
        <translation>A3 khổ ngang</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_plan_atlas.py" line="51"/>
        <source>Template</source>
        <translation>Mẫu trình bày</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_plan_atlas.py" line="47"/>
        <source>Plan item</source>
        <translation>Hạng mục kế hoạch</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_plan_atlas.py" line="47"/>
        <source>Route</source>
        <translation>Tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_plan_atlas.py" line="47"/>
        <source>District</source>
        <translation>Huyện</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_plan_atlas.py" line="47"/>
        <source>One sheet per</source>
        <translation>Mỗi tờ một</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/printing/print_plan_atlas.py" line="45"/>
        <source>Plan (code, id or &apos;latest&apos;)</source>
        <translation>Kế hoạch (mã, id hoặc 'latest' cho kế hoạch mới nhất)</translation>
    </message>
</context>
<context>
    <name>PullCadastralSheets</name>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="51"/>
        <source>Department&apos;s PostGIS database (postgresql://... or service=NAME)</source>
        <translation>Cơ sở dữ liệu PostGIS của cơ quan tài nguyên (postgresql://... hoặc service=TÊN)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="51"/>
        <source>Its parcel table (schema.table)</source>
        <translation>Bảng thửa đất của nó (schema.table)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="51"/>
        <source>OGC API - Features endpoint (URL)</source>
        <translation>Dịch vụ OGC API - Features (URL)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="51"/>
        <source>Its parcel collection id</source>
        <translation>Mã bộ dữ liệu thửa đất (collection)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="60"/>
        <source>Or an exported parcels file</source>
        <translation>Hoặc một tệp thửa đất đã xuất</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="62"/>
        <source>Field mapping (empty: the profile&apos;s)</source>
        <translation>Ánh xạ trường (để trống: theo hồ sơ địa phương)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="76"/>
        <source>Sheets in the source</source>
        <translation>Số tờ trong nguồn</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="76"/>
        <source>Sheets up to date</source>
        <translation>Số tờ đã cập nhật</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="76"/>
        <source>Parcels imported</source>
        <translation>Số thửa đã nhập</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="76"/>
        <source>Parcels replaced (kept in history)</source>
        <translation>Số thửa đã thay thế (giữ trong lịch sử)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="81"/>
        <source>Sheets fetched</source>
        <translation>Các tờ đã tải</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="108"/>
        <source>{0}: {1} sheet(s), {2} up to date, fetched: {3}</source>
        <translation>{0}: {1} tờ, {2} tờ đã cập nhật, đã tải: {3}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="51"/>
        <source>WFS 2.0 service (URL)</source>
        <translation>Dịch vụ WFS 2.0 (URL)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="51"/>
        <source>Its parcel feature type</source>
        <translation>Kiểu đối tượng thửa đất của dịch vụ</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="64"/>
        <source>Trust the declared VN-2000 CRS of another zone (refused by default as probably mislabelled when it also fits the provincial grid)</source>
        <translation>Tin hệ tọa độ VN-2000 múi khác đã khai báo (mặc định bị từ chối vì có thể khai báo nhầm khi tọa độ cũng khớp lưới tọa độ của tỉnh)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="68"/>
        <source>Whole sheets: a new edition with fewer parcels than the stored sheet replaces it (needed for a file, or a server that does not count its features)</source>
        <translation>Toàn bộ tờ: lần xuất bản mới có ít thửa hơn tờ đã lưu sẽ thay thế tờ đó (cần cho một tệp, hoặc máy chủ không đếm số đối tượng của mình)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="73"/>
        <source>Quality findings</source>
        <translation>Phát hiện về chất lượng</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="119"/>
        <source>Quality findings: {0}</source>
        <translation>Phát hiện về chất lượng: {0}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/cadastre/cadastre_pull.py" line="82"/>
        <source>Sheets refused (the same land under another key)</source>
        <translation>Các tờ bị từ chối (cùng khu đất dưới một mã khác)</translation>
    </message>
</context>
<context>
    <name>Report</name>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/report.py" line="54"/>
        <source>Plan code (e.g. MP-2027-01; empty: no plan reports)</source>
        <translation>Mã kế hoạch (ví dụ MP-2027-01; để trống: không có báo cáo kế hoạch)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/report.py" line="57"/>
        <source>Language of the labels</source>
        <translation>Ngôn ngữ của nhãn</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/report.py" line="57"/>
        <source>Vietnamese</source>
        <translation>Tiếng Việt</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/report.py" line="57"/>
        <source>English</source>
        <translation>Tiếng Anh</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/report.py" line="64"/>
        <source>Workbook (XLSX)</source>
        <translation>Sổ tính (XLSX)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/planning/report.py" line="64"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Sổ tính Excel (*.xlsx)</translation>
    </message>
</context>
<context>
    <name>RoadInfraAlgorithm</name>
    <message>
        <location filename="../../plugin/processing/base.py" line="123"/>
        <source>Jurisdiction profile (id or .toml file)</source>
        <translation>Hồ sơ địa phương (mã hoặc tệp .toml)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/base.py" line="134"/>
        <source>Provincial database (GeoPackage)</source>
        <translation>Cơ sở dữ liệu tỉnh (GeoPackage)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/base.py" line="134"/>
        <source>Provincial database (GeoPackage, or service=NAME for PostGIS)</source>
        <translation>Cơ sở dữ liệu cấp tỉnh (GeoPackage, hoặc service=TÊN cho PostGIS)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/base.py" line="143"/>
        <source>Choose a provincial database</source>
        <translation>Hãy chọn cơ sở dữ liệu cấp tỉnh</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/base.py" line="308"/>
        <source>Cancelled: {0}</source>
        <translation>Đã hủy: {0}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/base.py" line="251"/>
        <source>The input layer {0} cannot be read</source>
        <translation>Không đọc được lớp đầu vào {0}</translation>
    </message>
</context>
<context>
    <name>RouteInput</name>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/route_input.py" line="41"/>
        <source>Routes (lines)</source>
        <translation>Tuyến (đường)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/route_input.py" line="43"/>
        <source>Route code field (empty: the layer is one route)</source>
        <translation>Trường mã tuyến (để trống: cả lớp là một tuyến)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/route_input.py" line="45"/>
        <source>Route code when there is no route code field</source>
        <translation>Mã tuyến khi không có trường mã tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/route_input.py" line="48"/>
        <source>Route start measure field (used where a route has no usable post; empty: start_m if present)</source>
        <translation>Trường lý trình đầu tuyến (dùng khi tuyến không có cột km dùng được; để trống: start_m nếu có)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/route_input.py" line="51"/>
        <source>Kilometre posts (points)</source>
        <translation>Cột km (điểm)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/route_input.py" line="53"/>
        <source>Post label field (Km12)</source>
        <translation>Trường nhãn cột km (Km12)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/route_input.py" line="55"/>
        <source>Post measure field (metres or Km12+000; empty: from the label)</source>
        <translation>Trường lý trình của cột km (mét hoặc Km12+000; để trống: lấy từ nhãn)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/route_input.py" line="58"/>
        <source>Post route code field</source>
        <translation>Trường mã tuyến của cột km</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/route_input.py" line="60"/>
        <source>Maximum distance of a post from its route (m)</source>
        <translation>Khoảng cách tối đa từ cột km đến tuyến (m)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/route_input.py" line="63"/>
        <source>Largest gap joined between pieces of a route (m)</source>
        <translation>Khoảng hở lớn nhất được nối giữa các đoạn của một tuyến (m)</translation>
    </message>
</context>
<context>
    <name>SegmentOverlay</name>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/segment_overlay.py" line="40"/>
        <source>Event table A</source>
        <translation>Bảng sự kiện A</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/segment_overlay.py" line="41"/>
        <source>Event table B</source>
        <translation>Bảng sự kiện B</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/segment_overlay.py" line="42"/>
        <source>Route code field</source>
        <translation>Trường mã tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/segment_overlay.py" line="42"/>
        <source>From chainage field</source>
        <translation>Trường lý trình đầu</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/segment_overlay.py" line="42"/>
        <source>To chainage field</source>
        <translation>Trường lý trình cuối</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/segment_overlay.py" line="48"/>
        <source>Keep segments covered by</source>
        <translation>Giữ các đoạn được phủ bởi</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/segment_overlay.py" line="48"/>
        <source>both tables</source>
        <translation>cả hai bảng</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/segment_overlay.py" line="48"/>
        <source>either table</source>
        <translation>một trong hai bảng</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/lrs/segment_overlay.py" line="52"/>
        <source>Homogeneous segments</source>
        <translation>Đoạn đồng nhất</translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/sync.py" line="31"/>
        <source>Offline package</source>
        <translation>Gói dữ liệu ngoại tuyến</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/sync.py" line="34"/>
        <source>Open conflicts</source>
        <translation>Xung đột chưa xử lý</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/sync.py" line="35"/>
        <source>Report (JSON)</source>
        <translation>Báo cáo (JSON)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/sync.py" line="42"/>
        <source>Sent: {0} new, {1} changed, {2} deleted</source>
        <translation>Đã gửi: {0} mới, {1} sửa, {2} xóa</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/sync.py" line="44"/>
        <source>Received: {0} new, {1} changed, {2} deleted</source>
        <translation>Đã nhận: {0} mới, {1} sửa, {2} xóa</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/sync.py" line="63"/>
        <source>Photo of {0} {1}: {2}: {3}</source>
        <translation>Ảnh của {0} {1}: {2}: {3}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/sync.py" line="49"/>
        <source>{0} {1}, field {2}: kept {3}; RoadInfra derives {4}</source>
        <translation>{0} {1}, trường {2}: giữ {3}; RoadInfra tính ra {4}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/sync.py" line="53"/>
        <source>{0} {1}, field {2}: {3} replaced by the derived {4}</source>
        <translation>{0} {1}, trường {2}: {3} được thay bằng giá trị tính ra {4}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/sync/sync.py" line="57"/>
        <source>{0} {1}, field {2}: not derived: {3}</source>
        <translation>{0} {1}, trường {2}: không tính ra được: {3}</translation>
    </message>
</context>
<context>
    <name>WeighingInput</name>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/weighing_input.py" line="52"/>
        <source>{0}: line {1}{2}: {3}</source>
        <translation>{0}: dòng {1}{2}: {3}</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/weighing_input.py" line="32"/>
        <source>Weighing records (CSV file or layer)</source>
        <translation>Số liệu cân xe (tệp CSV hoặc lớp dữ liệu)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/weighing_input.py" line="36"/>
        <source>Load stations (for station codes)</source>
        <translation>Trạm kiểm tra tải trọng (lấy mã trạm)</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/weighing_input.py" line="56"/>
        <source>The weighing records cannot be read</source>
        <translation>Không đọc được số liệu cân xe</translation>
    </message>
    <message>
        <location filename="../../plugin/processing/algorithms/loads/weighing_input.py" line="62"/>
        <source>{0}: feature {1}{2}: {3}</source>
        <translation>{0}: đối tượng {1}{2}: {3}</translation>
    </message>
</context>
</TS>
