"""Readers for HTML, DOCX, ODT and PDF: content, blocks, metadata, positions, and hostile files.

Documents are generated here from real text with the libraries that write them (python-docx, odfpy) or
by hand (HTML, a minimal PDF with a real text layer), so every test reads real files.
"""

from __future__ import annotations

import html as htmllib
import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from opencomms import readers
from opencomms.errors import InputError
from opencomms.readers import docx as docx_reader
from opencomms.readers import html as html_reader
from opencomms.readers import odt as odt_reader
from opencomms.readers import pdf as pdf_reader

ROOT = Path(__file__).resolve().parents[1]
BRIEF = (ROOT / "examples" / "brief-1985.txt").read_text(encoding="utf-8")


def paragraphs(text: str) -> list[str]:
    return [p.strip("\n") for p in text.strip().split("\n\n") if p.strip()]


# --- document generators ---------------------------------------------------------------------------


def make_html(blocks: list[str], title: str = "Brief") -> bytes:
    body = "\n".join(f"<p>{htmllib.escape(b, quote=False)}</p>" for b in blocks)
    page = (
        f'<!DOCTYPE html>\n<html lang="nl">\n<head><title>{title}</title>\n'
        '<meta name="author" content="Ministerie"><meta name="dcterms.date" content="2026-09-15">\n'
        "<style>p { margin: 0 }</style></head>\n<body>\n"
        '<header><nav><a href="/">Home</a> | Derhalve naar boven</nav></header>\n'
        f"<main>\n{body}\n</main>\n<footer>Teneinde contact: bel ons.</footer>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def make_docx(blocks: list[str], title: str = "Brief") -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = "Ministerie"
    for block in blocks:
        lines = block.split("\n")
        paragraph = document.add_paragraph(lines[0])
        for line in lines[1:]:
            run = paragraph.runs[-1]
            run.add_break()
            paragraph.add_run(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_odt(blocks: list[str], title: str = "Brief") -> bytes:
    from odf import dc
    from odf.opendocument import OpenDocumentText
    from odf.text import LineBreak, P

    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text=title))
    for block in blocks:
        lines = block.split("\n")
        paragraph = P(text=lines[0])
        for line in lines[1:]:
            paragraph.addElement(LineBreak())
            paragraph.addText(line)
        document.text.addElement(paragraph)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF with a real text layer: one list of lines per page (Helvetica, WinAnsi encoding)."""
    objects: list[bytes | None] = []

    def add(body):
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    pages_id = add(None)
    kids = []
    for lines in pages:
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 770 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("cp1252")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                        b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (pages_id, font, content)))
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


def encrypted_pdf(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(make_pdf([["Geheime tekst."]]))))
    writer.encrypt(user_password, owner_password="eigenaar", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_only_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A .docx-shaped archive whose document part inflates 1000:1 (64 MB of zeros)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(64):
                member.write(chunk)
    return buffer.getvalue()


# --- HTML ------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="nl"><head><title>Huurtoeslag &amp; meer</title>
<meta name="author" content="Ministerie van VRO"><meta name="description" content="Over de toeslag">
<meta property="article:published_time" content="2026-09-15">
<script>var derhalve = 1;</script></head>
<body><header><nav><a href="/">Home</a> derhalve</nav></header>
<main>
<h1>Kabinet verhoogt huurtoeslag</h1>
<p>Het kabinet heeft <b>derhalve</b> besloten &amp; verhoogt
de toeslag voor het caf&eacute;, zie <a href="https://www.rijksoverheid.nl/a">https://www.rijksoverheid.nl/a</a>.</p>
<ul><li>punt een<li>punt twee</ul>
<table><tr><th>kolom<td>cel b</tr></table>
<div>Losse tekst in een div.</div>
<pre>derhalve in code</pre>
<aside>zijbalk derhalve</aside>
</main>
<footer>voet derhalve</footer>
</body></html>
"""


def test_html_main_content_blocks_and_metadata():
    s = html_reader.parse(PAGE.encode(), "a.html")
    assert s.format == "html" and len(s.checked) == len(s.text)
    assert s.metadata == {"title": "Huurtoeslag & meer", "author": "Ministerie van VRO",
                          "description": "Over de toeslag", "date": "2026-09-15"}
    blocks = [(b.kind, " ".join(s.checked[b.start:b.end].split())) for b in s.blocks]
    assert blocks == [
        ("heading", "Kabinet verhoogt huurtoeslag"),
        ("paragraph", "Het kabinet heeft derhalve besloten & verhoogt de toeslag voor het café , zie ."),
        ("list_item", "punt een"),
        ("list_item", "punt twee"),
        ("table_cell", "kolom"),
        ("table_cell", "cel b"),
        ("paragraph", "Losse tekst in een div."),
    ]
    # nav, header, footer, aside, script and pre are never checked; the title is metadata, not text
    for word in ("Home", "zijbalk", "voet", "var ", "in code", "meer"):
        assert word not in s.checked


def test_html_positions_are_positions_in_the_html_source():
    s = html_reader.parse(PAGE.encode(), "a.html")
    for word in ("derhalve", "verhoogt", "caf", "punt twee", "Losse", "kolom"):
        offset = s.checked.index(word)
        line, column = s.position(offset)
        assert s.line_text(line)[column - 1:].startswith(word)
    # an entity is decoded in place: the character takes the '&', the rest of the reference is blank
    amp = s.text.index("&amp; verhoogt")
    assert s.checked[amp:amp + 5] == "&    "
    e = s.text.index("&eacute;")
    assert s.checked[e - 3:e + 9] == "café       ,"
    assert s.position(s.checked.index("derhalve")) == (9, 25)


def test_html_article_or_body_when_no_main():
    page = ("<html><body><header>Kop van de site</header><nav>menu</nav>"
            "<article><header><h1>Titel van het artikel</h1></header><p>Tekst.</p></article>"
            "<p>Buiten het artikel.</p><footer>voet</footer></body></html>")
    s = html_reader.parse(page.encode(), "b.html")
    assert [s.checked[b.start:b.end] for b in s.blocks] == ["Titel van het artikel", "Tekst."]
    s = html_reader.parse(b"<p>Een<br>regel</p><div>Tekst <span>in</span> een div<p>en een alinea</div>", "c.htm")
    assert [" ".join(s.checked[b.start:b.end].split()) for b in s.blocks] == [
        "Een regel", "Tekst in een div", "en een alinea"]


def test_html_profile_from_meta():
    s = html_reader.parse(b'<meta name="opencomms-profile" content="webtekst"><p>Tekst.</p>', "d.html")
    assert s.metadata["opencomms-profile"] == "webtekst"


# --- DOCX ------------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def tracked_docx() -> bytes:
    """Headings, a list, a table, a comment and tracked changes, as Word writes them."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.core_properties.title = "Besluit"
    document.core_properties.author = "Gemeente Utrecht"
    document.add_heading("Besluit over de subsidie", level=1)
    paragraph = document.add_paragraph("Wij hebben besloten ")
    paragraph._p.append(parse_xml(
        f'<w:del xmlns:w="{W_NS}" w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z">'
        "<w:r><w:delText>derhalve </w:delText></w:r></w:del>"))
    paragraph._p.append(parse_xml(
        f'<w:ins xmlns:w="{W_NS}" w:id="2" w:author="A" w:date="2026-01-01T00:00:00Z">'
        "<w:r><w:t xml:space=\"preserve\">daarom </w:t></w:r></w:ins>"))
    run = paragraph.add_run("de subsidie te verlengen.")
    document.add_comment(run, text="Teneinde dit te controleren: derhalve nakijken.", author="B")
    document.add_paragraph("eerste punt", style="List Bullet")
    document.add_paragraph("tweede punt", style="List Number")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Aanvraag"
    table.cell(0, 1).text = "Toegekend"
    document.add_paragraph("")
    document.add_paragraph("Met vriendelijke groet, zie https://www.utrecht.nl/subsidie.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_reading_order_tracked_changes_and_comments():
    s = docx_reader.parse(tracked_docx(), "besluit.docx")
    assert s.format == "docx"
    assert [(b.kind, s.text[b.start:b.end]) for b in s.blocks] == [
        ("heading", "Besluit over de subsidie"),
        ("paragraph", "Wij hebben besloten daarom de subsidie te verlengen."),
        ("list_item", "eerste punt"),
        ("list_item", "tweede punt"),
        ("table_cell", "Aanvraag"),
        ("table_cell", "Toegekend"),
        ("paragraph", "Met vriendelijke groet, zie https://www.utrecht.nl/subsidie."),
    ]
    assert "derhalve" not in s.text and "Teneinde" not in s.text  # deletion and comment left out
    assert "utrecht.nl" not in s.checked and len(s.checked) == len(s.text)
    assert s.metadata["title"] == "Besluit" and s.metadata["author"] == "Gemeente Utrecht"
    assert "created" in s.metadata
    # paragraph number and character in it, counted from 1, for every offset
    offset = s.text.index("subsidie te verlengen")
    assert s.locate(offset) == {"paragraph": 2, "character": len("Wij hebben besloten daarom de ") + 1}
    assert s.locate(s.text.index("Toegekend")) == {"paragraph": 6, "character": 1}


def test_docx_location_in_json_report(cli, tmp_path):
    path = tmp_path / "brief.docx"
    path.write_bytes(make_docx(paragraphs(BRIEF)))
    proc = cli("check", path, "--format", "json", "--fail-on", "never")
    assert proc.returncode == 0, proc.stderr
    document = json.loads(proc.stdout)["documents"][0]
    assert document["format"] == "docx"
    findings = document["findings"]
    assert findings
    source = readers.read(path)
    for f in findings:
        assert f["location"]["paragraph"] >= 1
        start = source.regions[f["location"]["paragraph"] - 1][0]
        assert f["offset"] == start + f["location"]["character"] - 1
        assert source.text[f["offset"]:f["end_offset"]] == f["text"]


# --- ODT -------------------------------------------------------------------------------------------


def test_odt_paragraphs_lists_tables_pages_and_annotations():
    from odf import dc
    from odf.office import Annotation
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, LineBreak, List, ListItem, P, S, SoftPageBreak, Span

    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text="Nieuwsbrief"))
    document.meta.addElement(dc.Creator(text="Provincie"))
    document.text.addElement(H(outlinelevel=1, text="Nieuws uit de provincie"))
    paragraph = P(text="Wij  hebben\n het")
    paragraph.addElement(S(c=2))
    paragraph.addElement(Span(text="besluit genomen."))
    paragraph.addElement(LineBreak())
    paragraph.addText("Een nieuwe regel.")
    note = Annotation()
    note.addElement(P(text="commentaar: derhalve"))
    paragraph.addElement(note)
    document.text.addElement(paragraph)
    document.text.addElement(SoftPageBreak())
    items = List()
    item = ListItem()
    item.addElement(P(text="een punt"))
    items.addElement(item)
    document.text.addElement(items)
    table = Table()
    table.addElement(TableColumn())
    row = TableRow()
    cell = TableCell()
    cell.addElement(P(text="een cel"))
    row.addElement(cell)
    table.addElement(row)
    document.text.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    s = odt_reader.parse(buffer.getvalue(), "nieuws.odt")
    assert [(b.kind, s.text[b.start:b.end]) for b in s.blocks] == [
        ("heading", "Nieuws uit de provincie"),
        ("paragraph", "Wij hebben het  besluit genomen.\nEen nieuwe regel."),
        ("list_item", "een punt"),
        ("table_cell", "een cel"),
    ]
    assert "derhalve" not in s.text
    assert s.metadata == {"title": "Nieuwsbrief", "author": "Provincie"}
    assert s.locate(s.text.index("een punt")) == {"paragraph": 3, "page": 2, "character": 1}
    assert s.locate(s.text.index("besluit")) == {"paragraph": 2, "page": 1, "character": 17}


def test_odt_that_is_a_spreadsheet_is_refused():
    from odf.opendocument import OpenDocumentSpreadsheet

    buffer = io.BytesIO()
    OpenDocumentSpreadsheet().write(buffer)
    with pytest.raises(InputError, match="not an OpenDocument text file"):
        odt_reader.parse(buffer.getvalue(), "cijfers.odt")


# --- PDF -------------------------------------------------------------------------------------------


def test_pdf_pages_and_hyphenation():
    data = make_pdf([
        ["Het kabinet geeft de weten-", "schappen meer geld. Noord-", "Holland en midden-", "en kleinbedrijf ook."],
        ["Op de tweede pagina staat derhalve meer."],
    ])
    s = pdf_reader.parse(data, "rapport.pdf")
    assert "wetenschappen" in s.text and "Noord-\nHolland" in s.text and "midden-\nen" in s.text
    assert s.regions[0] == (0, {"page": 1})
    assert s.locate(s.text.index("wetenschappen")) == {"page": 1}
    assert s.locate(s.text.index("derhalve")) == {"page": 2}
    assert s.text[s.blocks[-1].start:s.blocks[-1].end] == "Op de tweede pagina staat derhalve meer."


def test_pdf_with_empty_user_password_opens():
    assert "Geheime tekst." in pdf_reader.parse(encrypted_pdf(""), "open.pdf").text


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: encrypted_pdf("geheim"), "encrypted PDF"),
        (image_only_pdf, r"no text layer \(scanned\?\)"),
        (lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog", "not a valid PDF file"),
        (lambda: b"PK\x03\x04 not a pdf", "not a PDF file"),
    ],
)
def test_pdf_refusals(make, message):
    with pytest.raises(InputError, match=message):
        pdf_reader.parse(make(), "x.pdf")


# --- the same text in every format gives the same findings ----------------------------------------


def test_same_text_same_findings_in_every_format(checker, tmp_path):
    blocks = paragraphs(BRIEF)
    files = {
        "brief.txt": BRIEF.encode("utf-8"),
        "brief.md": BRIEF.encode("utf-8"),
        "brief.html": make_html(blocks),
        "brief.docx": make_docx(blocks),
        "brief.odt": make_odt(blocks),
    }
    seen = {}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        source = readers.read(tmp_path / name)
        result = checker.check_one(source)
        assert [" ".join(source.checked[b.start:b.end].split()) for b in source.blocks] == [
            " ".join(b.split()) for b in blocks], name
        seen[name] = sorted((f.rule, " ".join(f.text.split())) for f in result.findings)
        for f in result.findings:
            assert source.text[f.offset:f.end_offset] == f.text
    assert seen["brief.txt"], "the brief should have findings"
    for name, findings in seen.items():
        assert findings == seen["brief.txt"], name


# --- hostile and broken files ----------------------------------------------------------------------


def hostile_files(directory: Path) -> dict[str, str]:
    """Write one of each hostile file; returns {file name: expected message}."""
    corrupt = make_docx(["Tekst."])
    (directory / "kapot.docx").write_bytes(corrupt[: len(corrupt) // 2])
    (directory / "bom.docx").write_bytes(zip_bomb())
    (directory / "versleuteld.pdf").write_bytes(encrypted_pdf("geheim"))
    (directory / "scan.pdf").write_bytes(image_only_pdf())
    with open(directory / "groot.txt", "wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.truncate(200 * 1024 * 1024)
    (directory / "plaatje.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return {
        "kapot.docx": "not a valid DOCX file",
        "bom.docx": "possible ZIP bomb",
        "versleuteld.pdf": "encrypted PDF",
        "scan.pdf": "no text layer (scanned?)",
        "groot.txt": "file is too large",
        "plaatje.md": "looks like a binary file, not text",
    }


def test_hostile_files_fail_in_process_with_bounded_memory(tmp_path):
    import tracemalloc

    expected = hostile_files(tmp_path)
    for name, message in expected.items():
        tracemalloc.start()
        try:
            with pytest.raises(InputError) as info:
                readers.read(tmp_path / name)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert message in str(info.value) and name in str(info.value)
        assert peak < 64 * 1024 * 1024, (name, peak)  # the bomb is never inflated, the big file never read


@pytest.mark.parametrize("name", ["kapot.docx", "bom.docx", "versleuteld.pdf", "scan.pdf", "groot.txt", "plaatje.md"])
def test_hostile_file_alone_exits_2_with_one_line(cli, tmp_path, name):
    expected = hostile_files(tmp_path)
    proc = cli("check", tmp_path / name)
    assert proc.returncode == 2
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr.decode()
    assert name in lines[0] and expected[name] in lines[0]


def test_hostile_files_in_a_run_fail_alone(cli, tmp_path):
    expected = hostile_files(tmp_path)
    (tmp_path / "goed.md").write_text("Wij hebben derhalve besloten de regeling te verlengen.\n", encoding="utf-8")
    (tmp_path / "goed.docx").write_bytes(make_docx(["Wij verlengen de regeling."]))
    os.symlink(".", tmp_path / "lus")  # a symlink loop: discovery visits the folder once
    proc = cli("check", tmp_path, "--format", "json")
    assert proc.returncode == 2  # some files could not be read
    report = json.loads(proc.stdout)
    checked = sorted(Path(d["path"]).name for d in report["documents"])
    assert checked == ["goed.docx", "goed.md"]
    errors = {Path(e["path"]).name: e["error"] for e in report["errors"]}
    assert set(errors) == set(expected)
    for name, message in expected.items():
        assert message in errors[name]


def test_symlink_loop_alone_is_checked_once(cli, tmp_path):
    (tmp_path / "tekst.md").write_text("Wij verlengen de regeling.\n", encoding="utf-8")
    os.symlink(".", tmp_path / "lus")
    os.symlink("lus", tmp_path / "lus2")
    proc = cli("check", tmp_path, "--format", "json", "--fail-on", "never")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert [Path(d["path"]).name for d in report["documents"]] == ["tekst.md"]
    assert report["errors"] == []
