"""Office files built in the tests, never shipped: Word and OpenDocument texts (python-docx,
odfpy), each with a heading, bold and italic runs, a hyperlink and a table (and one of each with
headers, a footer and a footnote); presentations (odfpy, python-pptx) with a title, a bulleted
list with bold and italic runs, a grouped shape, a table and speaker notes (and, for .odp, a
footer). And what is compared after a translation: a part's XML with every text taken out (its
structure and styles), its paragraphs' text and its runs' styles."""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document
from docx.document import Document as WordDocument
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree
from odf.draw import Frame, G, Page, TextBox
from odf.namespaces import PRESENTATIONNS
from odf.opendocument import OpenDocument, OpenDocumentPresentation, OpenDocumentText
from odf.presentation import FooterDecl, Notes
from odf.style import (
    Footer,
    Header,
    HeaderLeft,
    MasterPage,
    PageLayout,
    PageLayoutProperties,
    Style,
    TextProperties,
)
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import A, H, List, ListItem, Note, NoteBody, NoteCitation, P, Span
from pptx import Presentation
from pptx.util import Cm

HEADING = "The city council meets"
LINK = "https://example.org/report"
TABLE = [["Name", "Budget"], ["The big house", "Ten million dollars"]]
HEADER = "City news"
FIRST_HEADER = "The morning edition"
FOOTER = "Printed in the city"
FOOTNOTE = " The report was published on Monday."
# A slide: its title, a bulleted list (its second item with a bold and an italic run), a table
# and speaker notes; the .odp's list and notes sit in a group of shapes.
SLIDE_TITLE = "The city budget"
BULLETS = [
    "The mayor spoke.",
    "The council said that ",
    "the new park",
    " will open ",
    "next week",
    ".",
]
NOTES = "Speak slowly."
# The .pptx members whose text is translated: slides and their notes.
PPTX_SLIDES = r"ppt/(slides/slide|notesSlides/notesSlide)\d+\.xml"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FOOTNOTES = f"""<w:footnotes xmlns:w="{_W}">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>
<w:r><w:t xml:space="preserve"> The report was </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>published</w:t></w:r>
<w:r><w:t xml:space="preserve"> on Monday.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""
# The parts of a Word file besides the body that a reader sees on the page.
DOCX_STORIES = ("word/header", "word/footer", "word/footnotes.xml", "word/endnotes.xml")


def build_docx() -> bytes:
    out = io.BytesIO()
    _docx_document().save(out)
    return out.getvalue()


def build_docx_with_stories() -> bytes:
    """The same document with a default and a first-page header, a footer with a bold run,
    and a footnote (with an italic run) on its second paragraph."""
    document = _docx_document()
    section = document.sections[0]
    section.header.paragraphs[0].text = HEADER
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = FIRST_HEADER
    footer = section.footer.paragraphs[0]
    footer.add_run("Printed ")
    footer.add_run("in the city").bold = True
    notes = Part(
        PackURI("/word/footnotes.xml"),
        CONTENT_TYPE.WML_FOOTNOTES,
        _FOOTNOTES.encode(),
        document.part.package,
    )
    document.part.relate_to(notes, RELATIONSHIP_TYPE.FOOTNOTES)
    reference = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    align = OxmlElement("w:vertAlign")
    align.set(qn("w:val"), "superscript")
    properties.append(align)
    reference.append(properties)
    mark = OxmlElement("w:footnoteReference")
    mark.set(qn("w:id"), "1")
    reference.append(mark)
    document.paragraphs[1]._p.append(reference)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_document() -> WordDocument:
    document = Document()
    document.add_heading(HEADING, level=1)
    paragraph = document.add_paragraph("The mayor said that ")
    paragraph.add_run("the new park").bold = True
    paragraph.add_run(" will open ")
    paragraph.add_run("next week").italic = True
    paragraph.add_run(". Read the ")
    r_id = document.part.relate_to(LINK, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "full report"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    paragraph.add_run(".")
    table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    for r, row in enumerate(TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    return document


def build_odt() -> bytes:
    out = io.BytesIO()
    _odt_document()[0].write(out)
    return out.getvalue()


def build_odt_with_stories() -> bytes:
    """The same text with a page header (a bold span), a left-page header and a footer in its
    master page (styles.xml), and a footnote on its second paragraph."""
    document, paragraph = _odt_document()
    bold = Style(name="HeaderBold", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    document.styles.addElement(bold)
    layout = PageLayout(name="Page")
    layout.addElement(PageLayoutProperties(pagewidth="21cm", pageheight="29.7cm"))
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    header = Header()
    heading = P(text="City ")
    heading.addElement(Span(stylename=bold, text="news"))
    header.addElement(heading)
    left = HeaderLeft()
    left.addElement(P(text=FIRST_HEADER))
    footer = Footer()
    footer.addElement(P(text=FOOTER))
    for part in (header, left, footer):
        master.addElement(part)
    document.masterstyles.addElement(master)
    note = Note(id="ftn1", noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text=FOOTNOTE.strip()))
    note.addElement(body)
    paragraph.addElement(note)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def _odt_document() -> tuple[OpenDocumentText, P]:
    """The document and its second paragraph."""
    document = OpenDocumentText()
    bold, italic = _odf_bold_and_italic(document)
    document.text.addElement(H(outlinelevel=1, text=HEADING))
    paragraph = P(text="The mayor said that ")
    paragraph.addElement(Span(stylename=bold, text="the new park"))
    paragraph.addText(" will open ")
    paragraph.addElement(Span(stylename=italic, text="next week"))
    paragraph.addText(". Read the ")
    paragraph.addElement(A(href=LINK, type="simple", text="full report"))
    paragraph.addText(".")
    document.text.addElement(paragraph)
    document.text.addElement(_odf_table())
    return document, paragraph


def build_odp() -> bytes:
    document = OpenDocumentPresentation()
    bold, italic = _odf_bold_and_italic(document)
    layout = PageLayout(name="Slide")
    layout.addElement(PageLayoutProperties(pagewidth="28cm", pageheight="21cm"))
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="Default", pagelayoutname=layout)
    document.masterstyles.addElement(master)
    document.presentation.addElement(FooterDecl(name="ftr1", text=FOOTER))
    slide = Page(name="Slide 1", masterpagename=master)
    slide.setAttrNS(PRESENTATIONNS, "use-footer-name", "ftr1")
    title = _frame("1cm", "title")
    title_box = TextBox()
    title_box.addElement(P(text=SLIDE_TITLE))
    title.addElement(title_box)
    slide.addElement(title)
    outline = _frame("5cm", "outline")
    outline_box = TextBox()
    bullets = List()
    first = ListItem()
    first.addElement(P(text=BULLETS[0]))
    second = ListItem()
    styled = P(text=BULLETS[1])
    styled.addElement(Span(stylename=bold, text=BULLETS[2]))
    styled.addText(BULLETS[3])
    styled.addElement(Span(stylename=italic, text=BULLETS[4]))
    styled.addText(BULLETS[5])
    second.addElement(styled)
    bullets.addElement(first)
    bullets.addElement(second)
    outline_box.addElement(bullets)
    outline.addElement(outline_box)
    group = G()
    group.addElement(outline)
    slide.addElement(group)
    table_frame = _frame("14cm", None)
    table_frame.addElement(_odf_table())
    slide.addElement(table_frame)
    notes = Notes()
    notes_frame = _frame("14cm", "notes")
    notes_box = TextBox()
    notes_box.addElement(P(text=NOTES))
    notes_frame.addElement(notes_box)
    notes.addElement(notes_frame)
    slide.addElement(notes)
    document.presentation.addElement(slide)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def build_pptx() -> bytes:
    """A title and content slide: its title, the bulleted list in its content placeholder, a
    text box in a group, a table, and notes."""
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    assert slide.shapes.title is not None
    slide.shapes.title.text = SLIDE_TITLE
    body = slide.placeholders[1].text_frame
    body.text = BULLETS[0]
    styled = body.add_paragraph()
    for index, text in enumerate(BULLETS[1:], start=1):
        run = styled.add_run()
        run.text = text
        run.font.bold = True if index == 2 else None
        run.font.italic = True if index == 4 else None
    group = slide.shapes.add_group_shape()
    box = group.shapes.add_textbox(Cm(2), Cm(14), Cm(10), Cm(2))
    box.text_frame.text = HEADER
    rows, cols = len(TABLE), len(TABLE[0])
    table = slide.shapes.add_table(rows, cols, Cm(2), Cm(16), Cm(20), Cm(3)).table
    for r, row in enumerate(TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    slide.notes_slide.notes_text_frame.text = NOTES  # type: ignore[union-attr]
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def pptx_text(data: bytes) -> list[str]:
    """The text of each paragraph (`a:p`) of each slide, then of its notes, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = sorted(
            (n for n in archive.namelist() if re.fullmatch(PPTX_SLIDES, n)),
            key=lambda name: ("notesSlide" in name, name),
        )
        roots = [etree.fromstring(archive.read(member)) for member in members]
    return [
        "".join(t.text or "" for t in paragraph.iter(_A + "t"))
        for root in roots
        for paragraph in root.iter(_A + "p")
    ]


def pptx_styled_runs(data: bytes) -> list[tuple[str, str]]:
    """(bold or italic, text) of each bold or italic run of the slides."""
    presentation = Presentation(io.BytesIO(data))
    found: list[tuple[str, str]] = []
    for slide in presentation.slides:
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            for paragraph in shape.text_frame.paragraphs:  # type: ignore[attr-defined]
                for run in paragraph.runs:
                    if run.font.bold:
                        found.append(("bold", run.text))
                    if run.font.italic:
                        found.append(("italic", run.text))
    return found


def _odf_bold_and_italic(document: OpenDocument) -> tuple[Style, Style]:
    """The automatic text styles "Bold" and "Italic", added to the document."""
    bold = Style(name="Bold", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    italic = Style(name="Italic", family="text")
    italic.addElement(TextProperties(fontstyle="italic"))
    document.automaticstyles.addElement(bold)
    document.automaticstyles.addElement(italic)
    return bold, italic


def _frame(y: str, kind: str | None) -> Frame:
    frame = Frame(width="24cm", height="4cm", x="2cm", y=y)
    if kind:
        frame.setAttrNS(PRESENTATIONNS, "class", kind)
    return frame


def _odf_table() -> Table:
    table = Table(name="Budget")
    table.addElement(TableColumn(numbercolumnsrepeated=len(TABLE[0])))
    for row in TABLE:
        table_row = TableRow()
        for value in row:
            cell = TableCell()
            cell.addElement(P(text=value))
            table_row.addElement(cell)
        table.addElement(table_row)
    return table


def skeleton(data: bytes, member: str) -> bytes:
    """`member` of the zip (word/document.xml, content.xml) with every text and tail taken out:
    what must be the same before and after a translation. Word's xml:space="preserve" goes too:
    it says how a text's edge spaces are read, and a translation's edges differ. Exclusive
    canonical XML: namespaces declared and never used (odfpy declares more after a load) are
    not structure."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read(member))
    for element in root.iter():
        element.text = None
        element.tail = None
        element.attrib.pop("{http://www.w3.org/XML/1998/namespace}space", None)
    return bytes(etree.tostring(root, method="c14n", exclusive=True))


def docx_styled_runs(data: bytes) -> list[tuple[str, str]]:
    """(style, text) of each bold, italic or hyperlink run of the body."""
    document = Document(io.BytesIO(data))
    found: list[tuple[str, str]] = []
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if run.bold:
                found.append(("bold", run.text))
            if run.italic:
                found.append(("italic", run.text))
        found.extend(("link " + str(link.url), link.text) for link in paragraph.hyperlinks)
    return found


def docx_text(data: bytes) -> list[str]:
    """The text of each paragraph, table cells' paragraphs included, in document order."""
    document = Document(io.BytesIO(data))
    return [
        "".join(t.text or "" for t in p.iter(qn("w:t")))
        for p in document.element.body.iter(qn("w:p"))
    ]


def docx_story_members(data: bytes) -> list[str]:
    """The zip members of the headers, footers and notes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sorted(n for n in archive.namelist() if n.startswith(DOCX_STORIES))


def docx_story_runs(data: bytes, member: str) -> list[tuple[str, str]]:
    """(bold, italic or plain, text) of each run with text in a zip member, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read(member))
    found: list[tuple[str, str]] = []
    for run in root.iter(qn("w:r")):
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        if text:
            style = "bold" if run.find(qn("w:rPr") + "/" + qn("w:b")) is not None else ""
            style = style or (
                "italic" if run.find(qn("w:rPr") + "/" + qn("w:i")) is not None else ""
            )
            found.append((style or "plain", text))
    return found


def odt_text(data: bytes, member: str = "content.xml") -> list[str]:
    """The text of each paragraph and heading of an OpenDocument text or presentation, in
    document order (a note's text is in its paragraph's and in its own)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read(member))
    names = {"{urn:oasis:names:tc:opendocument:xmlns:text:1.0}" + n for n in ("p", "h")}
    return ["".join(e.itertext()) for e in root.iter() if e.tag in names]


def odp_footers(data: bytes) -> list[str]:
    """The footer texts a presentation declares for its slides."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("content.xml"))
    tag = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}footer-decl"
    return ["".join(element.itertext()) for element in root.iter(tag)]


def odt_styled_spans(data: bytes, member: str = "content.xml") -> list[tuple[str, str]]:
    """(style name or link, text) of each span and link."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read(member))
    text_ns = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    xlink = "{http://www.w3.org/1999/xlink}href"
    found: list[tuple[str, str]] = []
    for element in root.iter(text_ns + "span", text_ns + "a"):
        label = (
            element.get(text_ns + "style-name")
            if element.tag == text_ns + "span"
            else "link " + element.get(xlink, "")
        )
        found.append((str(label), "".join(element.itertext())))
    return found
