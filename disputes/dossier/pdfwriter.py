"""A streaming PDF writer: pages are copied from one source at a time straight into the output file.

Why not ``out.pages.extend(src.pages)`` and ``out.save()``: pikepdf copies the stream data of
every foreign page into memory at once (measured: 20 x 10 MB sources -> 227 MB anonymous memory
before the save), so a dossier of a few thousand scanned pages would need gigabytes. Here pikepdf
(qpdf) still parses each source, but the objects reachable from its pages are written to the
output as soon as they are read - raw stream bytes unchanged, references renumbered - and the
source is closed before the next one is opened. Memory is bounded by the largest single source.

The file written is a classic PDF 1.7 with a cross-reference table, a binary header comment and
a deterministic ``/ID`` (the MD5 of everything before the trailer), as PDF/A-2 requires.
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import pikepdf

# In qpdf's unparse output literal strings always escape "(", ")" and "\", so a string token is
# "(" + (escape | any byte but "\" or ")")* + ")". Hex strings are "<hex>". References are "n g R".
_TOKENS = re.compile(
    rb"(?P<str>\((?:\\.|[^\\)])*\))"
    rb"|(?P<hex><[0-9A-Fa-f\s]*>)"
    rb"|(?<![\w.#+\-])(?P<num>\d+)\s+(?P<gen>\d+)\s+R(?![\w#])",
    re.S,
)

#: Placeholder names set on source objects before they are serialised, then replaced by references
#: to objects of the output file (which have no number in the source).
PARENT = b"/DossierParent__"
OPEN = b"/DossierOpen__"
STAMP = b"/DossierStamp__"
STAMP_FONT = b"/DossierStampFont__"
STAMP_FONT_KEY = "/DossierStampF"


def pdf_string(text: str) -> bytes:
    """A text string (PDFDocEncoding when possible, UTF-16BE otherwise) in PDF syntax."""
    return pikepdf.String(text).unparse()


def pdf_name(name: str) -> bytes:
    return pikepdf.Name("/" + name.lstrip("/")).unparse()


@dataclass
class WrittenPage:
    number: int  # object number of the page in the output
    width: float
    height: float


@dataclass
class PdfStreamWriter:
    """Write objects, copy pages from pikepdf sources, then close with page tree and trailer."""

    file: object
    pages_per_node: int = 256
    _offsets: list = field(default_factory=lambda: [None])
    _pos: int = 0
    _md5: object = field(default_factory=hashlib.md5)
    pages: list[WrittenPage] = field(default_factory=list)
    _nodes: list[int] = field(default_factory=list)
    _shared: dict = field(default_factory=dict)

    def __post_init__(self):
        self._raw(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    # -- low level -----------------------------------------------------------------------------
    def _raw(self, data: bytes) -> None:
        self.file.write(data)
        self._md5.update(data)
        self._pos += len(data)

    def alloc(self) -> int:
        self._offsets.append(None)
        return len(self._offsets) - 1

    def write_object(self, number: int, body: bytes) -> int:
        self._offsets[number] = self._pos
        self._raw(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        return number

    def add_object(self, body: bytes) -> int:
        return self.write_object(self.alloc(), body)

    def write_stream(self, number: int, entries: bytes, data: bytes) -> int:
        """``entries`` is the inside of the stream dictionary, without ``/Length``."""
        self._offsets[number] = self._pos
        self._raw(b"%d 0 obj\n<< %s /Length %d >>\nstream\n" % (number, entries, len(data)))
        self._raw(data)
        self._raw(b"\nendstream\nendobj\n")
        return number

    def add_stream(self, entries: bytes, data: bytes) -> int:
        return self.write_stream(self.alloc(), entries, data)

    def shared(self, key: str, make: Callable[[], int]) -> int:
        """An object written once per output file (e.g. the "q" stream and the stamp font)."""
        if key not in self._shared:
            self._shared[key] = make()
        return self._shared[key]

    def set_stamp_font(self, src: pikepdf.Pdf, font: pikepdf.Object) -> None:
        """The font every stamp uses (an embedded TrueType subset made by reportlab)."""
        self._shared["stamp_font"] = self.import_object(src, font)

    # -- copying -------------------------------------------------------------------------------
    def import_object(self, src: pikepdf.Pdf, obj: pikepdf.Object) -> int:
        """Copy one indirect object of ``src`` (and everything it refers to) into the output."""
        copier = _Copier(self, src, page_numbers={})
        number = copier.ref(obj.objgen)
        copier.drain()
        return number

    def copy_pages(
        self,
        src: pikepdf.Pdf,
        indices: list[int] | None = None,
        *,
        stamp: Callable[[int, tuple, int], bytes | None] | None = None,
        on_page: Callable[[int], None] | None = None,
    ) -> list[int]:
        """Append pages of ``src`` (all, or ``indices``); returns their indices in the output.

        ``stamp(output_index, visible_box, rotate)`` returns a content stream drawn on top of the
        page (with the stamp font available as ``/DossierStampF``), or None.
        """
        if indices is None:
            indices = list(range(len(src.pages)))
        src_pages = [src.pages[i] for i in indices]
        page_numbers = {p.obj.objgen: self.alloc() for p in src_pages}
        copier = _Copier(self, src, page_numbers=page_numbers)
        shared_resources: dict = {}
        written = []
        for page in src_pages:
            out_index = len(self.pages)
            number = page_numbers[page.obj.objgen]
            parent = self._parent_for(out_index)
            extra = {PARENT: b"%d 0 R" % parent}
            obj = page.obj
            box = _visible_box(obj)
            content = stamp(out_index, box, _rotation(obj)) if stamp else None
            if content is not None:
                extra[OPEN] = b"%d 0 R" % self.shared("open", lambda: self.add_stream(b"", b"q\n"))
                extra[STAMP] = b"%d 0 R" % self.add_stream(b"", content)
                _wrap_contents(obj, src, shared_resources)
            obj[pikepdf.Name.Parent] = pikepdf.Name(PARENT.decode())
            if "/Trans" in obj:  # presentation effects: not for an archive (and not checked by PDF/A)
                del obj["/Trans"]
            body = copier.serialise(obj.unparse(resolved=True))
            for placeholder, value in extra.items():
                body = body.replace(placeholder, value)
            self.write_object(number, body)
            self.pages.append(WrittenPage(number, box[2] - box[0], box[3] - box[1]))
            written.append(out_index)
            copier.drain()
            if on_page:
                on_page(out_index)
        return written

    def _parent_for(self, index: int) -> int:
        node = index // self.pages_per_node
        while len(self._nodes) <= node:
            self._nodes.append(self.alloc())
        return self._nodes[node]

    # -- closing -------------------------------------------------------------------------------
    def finish(self, *, catalog_entries: bytes = b"", info: bytes = b"") -> None:
        """Write the page tree, the catalog, the info dictionary, the xref table and the trailer."""
        root_pages = self.alloc()
        kids = []
        for n, node in enumerate(self._nodes):
            chunk = self.pages[n * self.pages_per_node:(n + 1) * self.pages_per_node]
            self.write_object(
                node,
                b"<< /Type /Pages /Parent %d 0 R /Count %d /Kids [ %s ] >>"
                % (root_pages, len(chunk), b" ".join(b"%d 0 R" % p.number for p in chunk)),
            )
            kids.append(b"%d 0 R" % node)
        self.write_object(
            root_pages, b"<< /Type /Pages /Count %d /Kids [ %s ] >>" % (len(self.pages), b" ".join(kids))
        )
        catalog = self.add_object(b"<< /Type /Catalog /Pages %d 0 R %s >>" % (root_pages, catalog_entries))
        info_number = self.add_object(b"<< %s >>" % info) if info else None
        xref_at = self._pos
        lines = [b"xref\n0 %d\n" % len(self._offsets), b"0000000000 65535 f\r\n"]
        for offset in self._offsets[1:]:
            lines.append(b"%010d 00000 n\r\n" % offset if offset is not None else b"0000000000 00000 f\r\n")
        self._raw(b"".join(lines))
        file_id = self._md5.hexdigest().encode()
        trailer = b"trailer\n<< /Size %d /Root %d 0 R%s /ID [ <%s> <%s> ] >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(self._offsets), catalog, b" /Info %d 0 R" % info_number if info_number else b"",
            file_id, file_id, xref_at,
        )
        self._raw(trailer)


class _Copier:
    """Renumbers one source's objects into the output, writing each as soon as it is reached."""

    def __init__(self, writer: PdfStreamWriter, src: pikepdf.Pdf, page_numbers: dict):
        self.writer = writer
        self.src = src
        self.numbers = dict(page_numbers)
        self.queue: deque = deque()
        self.skip = _page_tree_nodes(src)

    def ref(self, objgen) -> int | None:
        if objgen in self.skip:
            return None
        number = self.numbers.get(objgen)
        if number is None:
            number = self.numbers[objgen] = self.writer.alloc()
            self.queue.append(objgen)
        return number

    def serialise(self, body: bytes) -> bytes:
        def replace(match):
            if match.group("num") is None:
                return match.group(0)
            number = self.ref((int(match.group("num")), int(match.group("gen"))))
            return b"null" if number is None else b"%d 0 R" % number

        body = _TOKENS.sub(replace, body)
        if STAMP_FONT in body:  # a page's resources, or a shared copy of them (_wrap_contents)
            body = body.replace(STAMP_FONT, b"%d 0 R" % self.writer._shared["stamp_font"])
        return body

    def drain(self) -> None:
        while self.queue:
            objgen = self.queue.popleft()
            number = self.numbers[objgen]
            obj = self.src.get_object(objgen)
            if isinstance(obj, pikepdf.Stream):
                data = obj.read_raw_bytes()
                entries = pikepdf.Dictionary({k: v for k, v in obj.stream_dict.items() if k != "/Length"})
                body = self.serialise(entries.unparse())
                self.writer.write_stream(number, body[2:-2].strip(), data)
            else:
                self.writer.write_object(number, self.serialise(obj.unparse(resolved=True)))


def _page_tree_nodes(src: pikepdf.Pdf) -> set:
    """The catalog and the /Pages nodes of a source: never copied (the output has its own)."""
    skip = {src.Root.objgen} if src.Root.is_indirect else set()
    stack = [src.Root.get("/Pages")]
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary) or node.get("/Type") != pikepdf.Name.Pages:
            continue
        if node.is_indirect:
            if node.objgen in skip:
                continue
            skip.add(node.objgen)
        stack.extend(node.get("/Kids", []))
    if "/Info" in src.trailer and src.trailer.Info.is_indirect:
        skip.add(src.trailer.Info.objgen)
    return skip


def _wrap_contents(page: pikepdf.Dictionary, src: pikepdf.Pdf, shared: dict) -> None:
    """Contents become [q, original..., stamp] and the resources get the stamp font.

    The source's objects are changed in memory only (it is never saved). A resource dictionary
    shared by several pages is copied once (as a new indirect object) with the stamp font added,
    and that copy is shared again; the original stays as it was.
    """
    contents = page.get("/Contents")
    if contents is None:
        parts = []
    elif isinstance(contents, pikepdf.Array):
        parts = list(contents)
    else:
        parts = [contents]
    page[pikepdf.Name.Contents] = pikepdf.Array(
        [pikepdf.Name(OPEN.decode()), *parts, pikepdf.Name(STAMP.decode())]
    )
    resources = page.get("/Resources")
    key = resources.objgen if isinstance(resources, pikepdf.Dictionary) and resources.is_indirect else None
    if key is not None and key in shared:
        page[pikepdf.Name.Resources] = shared[key]
        return
    new_resources = pikepdf.Dictionary()
    if isinstance(resources, pikepdf.Dictionary):
        for key, value in resources.items():
            new_resources[key] = value
    fonts = pikepdf.Dictionary()
    old_fonts = new_resources.get("/Font")
    if isinstance(old_fonts, pikepdf.Dictionary):
        for key, value in old_fonts.items():
            fonts[key] = value
    fonts[STAMP_FONT_KEY] = pikepdf.Name(STAMP_FONT.decode())
    new_resources[pikepdf.Name.Font] = fonts
    if key is not None:
        new_resources = shared[key] = src.make_indirect(new_resources)
    page[pikepdf.Name.Resources] = new_resources


def _box(value) -> tuple[float, float, float, float] | None:
    try:
        x0, y0, x1, y1 = (float(v) for v in value)
    except (TypeError, ValueError):
        return None
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _visible_box(obj: pikepdf.Dictionary) -> tuple[float, float, float, float]:
    return _box(obj.get("/CropBox")) or _box(obj.get("/MediaBox")) or (0.0, 0.0, 595.0, 842.0)


def _rotation(obj: pikepdf.Dictionary) -> int:
    try:
        return int(obj.get("/Rotate", 0)) % 360
    except (TypeError, ValueError):
        return 0


def stamp_matrix(box: tuple, rotate: int, text_width: float, *, right: float, bottom: float) -> tuple:
    """The text matrix that puts a line of ``text_width`` at the bottom right of the page as shown.

    ``/Rotate`` turns the page clockwise when displayed; the text follows so it reads upright.
    """
    x0, y0, x1, y1 = box
    if rotate == 90:
        return (0, 1, -1, 0, x1 - bottom, y1 - right - text_width)
    if rotate == 180:
        return (-1, 0, 0, -1, x0 + right + text_width, y1 - bottom)
    if rotate == 270:
        return (0, -1, 1, 0, x0 + bottom, y0 + right + text_width)
    return (1, 0, 0, 1, x1 - right - text_width, y0 + bottom)
