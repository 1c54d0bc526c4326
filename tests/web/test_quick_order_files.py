"""Quick order from an uploaded CSV or Excel (.xlsx) file, through HTTP: the same line-by-line report as pasted
text, the good rows added to the cart, and every file that cannot be read (empty, too big, an old .xls, a
damaged workbook, a zip bomb, XML entities, 10,000 rows) refused with a clear message beside the file field.

The workbooks are written here as Excel writes them (a zip of SpreadsheetML parts: workbook, relationships,
shared strings, a sheet with numbers, shared and inline strings), since the app reads them with the standard
library alone. The shop is the sales tests' one (CHAIR 100, DESK 250, LAMP 20; ten chairs in stock)."""

from __future__ import annotations

import io
import time
import zipfile
from xml.sax.saxutils import escape

import pytest

from tests.integration.sales.conftest import Sales, build_sales
from tests.web.test_auth_sign_in import csrf
from tests.web.test_storefront_ordering import as_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@pytest.fixture
async def shop(db, tenant_a) -> Sales:
    return await build_sales(db, tenant_a)


def _column(index: int) -> str:
    return "ABCDEFGHIJ"[index]


def workbook(rows: dict[int, list[object]], *, sheet_xml: bytes | None = None, sheet_name: str = "Pedido") -> bytes:
    """An .xlsx with one sheet: {row number: cells}; text goes to the shared strings table (as Excel stores
    it), a cell given as ("inline", text) is an inline string, numbers are number cells."""
    strings: list[str] = []
    body = []
    for number, cells in sorted(rows.items()):
        xml_cells = []
        for index, value in enumerate(cells):
            ref = f"{_column(index)}{number}"
            if value is None:
                continue
            if isinstance(value, tuple):
                xml_cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value[1])}</t></is></c>')
            elif isinstance(value, str):
                strings.append(value)
                xml_cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
            else:
                xml_cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        body.append(f'<row r="{number}">{"".join(xml_cells)}</row>')
    sheet = (
        sheet_xml
        or (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">'
            f"<sheetData>{''.join(body)}</sheetData></worksheet>"
        ).encode()
    )
    shared = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
            f'<sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{len(strings)}">{shared}</sst>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            book.writestr(name, text)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


async def upload(client, filename: str, content: bytes, action: str = "check", mime: str = "text/csv"):
    return await client.post(
        "/quick-order",
        data={"action": action, "lines": ""},
        files={"file": (filename, content, mime)},
        headers={"x-csrftoken": await csrf(client)},
    )


async def test_a_csv_file_gets_the_line_by_line_report_and_its_good_rows_go_to_the_cart(client_a, shop, owner):
    await owner.execute("UPDATE product_variants SET order_multiple = 4 WHERE sku = 'LAMP'")
    await as_user(client_a, "carl@roca.test")
    content = b"Referencia;Cantidad\r\nCHAIR;2\r\nNOPE;1\r\nLAMP;3\r\nDESK;0\r\ndesk;1,5\r\n"
    checked = await upload(client_a, "pedido.csv", content)
    assert checked.status_code == 200
    report = checked.text.split('id="report-title"')[1]
    assert "We do not know the SKU NOPE." in report and "Order in multiples of 4." in report
    assert "Enter a quantity greater than zero." in report, report
    assert 'value="2"' in report  # row numbers as the spreadsheet shows them: the header is row 1
    assert "Your cart is empty." in (await client_a.get("/cart")).text
    added = await upload(client_a, "pedido.csv", content, "add")
    assert added.status_code == 200 and "1 line added to your cart." in added.text
    cart = await client_a.get("/cart")
    assert "CHAIR" in cart.text and "€200.00" in cart.text and "LAMP" not in cart.text


async def test_an_excel_workbook_is_read_with_its_header_columns_numbers_and_gaps(client_a, shop):
    await as_user(client_a, "carl@roca.test")
    rows = {
        1: ["Notes", "Qty", "SKU"],  # the columns named in any order
        2: ["office", 2, "CHAIR"],
        4: [None, 5, ("inline", "lamp")],  # row 3 left out, as Excel leaves empty rows out
        5: [None, 2.5, "NOPE"],
    }
    checked = await upload(client_a, "order.xlsx", workbook(rows), mime=XLSX)
    assert checked.status_code == 200
    report = checked.text.split('id="report-title"')[1]
    assert "We do not know the SKU NOPE." in report and 'value="5"' in report and 'value="4"' in report
    added = await upload(client_a, "order.xlsx", workbook(rows), "add", XLSX)
    assert "2 lines added to your cart." in added.text
    cart = await client_a.get("/cart")
    assert "€200.00" in cart.text and "€100.00" in cart.text  # 2 chairs, 5 lamps


async def test_a_workbook_without_a_header_reads_sku_then_quantity(client_a, shop):
    await as_user(client_a, "carl@roca.test")
    added = await upload(client_a, "x.xlsx", workbook({1: ["CHAIR", 1], 2: ["LAMP", 10]}), "add", XLSX)
    assert added.status_code == 303 and added.headers["location"] == "/cart"
    assert "€300.00" in (await client_a.get("/cart")).text


def _bomb() -> bytes:
    """A valid workbook whose sheet decompresses to 200 MB of blanks (a few hundred kilobytes zipped)."""
    head = f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    buffer = io.BytesIO()
    base = workbook({1: ["CHAIR", 1]})
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                book.writestr(item, source.read(item))
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(head.encode())
            block = b" " * (1024 * 1024)
            for _ in range(200):
                sheet.write(block)
            sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    return buffer.getvalue()


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c>'
    "</row></sheetData></worksheet>"
).encode()


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("empty.csv", b"", "The file is empty."),
        ("huge.csv", b"CHAIR;1\n" * 300_000, "larger than 2 MB"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "Save the spreadsheet as .xlsx or .csv"),
        ("broken.xlsx", b"PK\x03\x04 this is not really a zip", "damaged or not an Excel workbook"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + b"\0" * 64, "not a CSV or XLSX list"),
        ("laughs.xlsx", workbook({}, sheet_xml=LAUGHS), "damaged or not an Excel workbook"),
        ("bomb.xlsx", _bomb(), "too large to read"),
        ("rows.csv", b"CHAIR;1\n" * 10_000, "at most 500 lines"),
        ("blank.csv", b";\n;;\n", "holds no lines"),
    ],
)
async def test_files_that_cannot_be_read_are_refused_beside_the_file_field(client_a, shop, filename, content, message):
    await as_user(client_a, "carl@roca.test")
    started = time.monotonic()
    refused = await upload(client_a, filename, content, "add")
    assert time.monotonic() - started < 5  # refused at its limit, never read to the end
    assert refused.status_code == 400 and message in refused.text
    assert 'id="quick-file-error"' in refused.text and 'aria-invalid="true"' in refused.text
    assert "Your cart is empty." in (await client_a.get("/cart")).text


async def test_ten_thousand_rows_in_a_workbook_are_refused_quickly(client_a, shop):
    await as_user(client_a, "carl@roca.test")
    content = workbook({n: ["CHAIR", 1] for n in range(1, 10_001)})
    started = time.monotonic()
    refused = await upload(client_a, "big.xlsx", content, "add", XLSX)
    assert time.monotonic() - started < 5
    assert refused.status_code == 400 and "at most 500 lines" in refused.text


async def test_the_page_offers_the_upload_to_a_buyer(client_a, shop):
    await as_user(client_a, "carl@roca.test")
    page = await client_a.get("/quick-order")
    assert 'enctype="multipart/form-data"' in page.text and 'type="file" name="file"' in page.text
    assert ".xlsx" in page.text
