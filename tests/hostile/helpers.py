"""Builders for hostile input: PDFs with active content, polyglots, raw multipart bodies, and the
readers the hostile suite uses (PDF text, stored files of the per-test storage folder).
"""

import functools
import io
import os
import re
import struct
import uuid
import zipfile
import zlib
from urllib.parse import quote

import pikepdf
from pypdf import PdfReader

from tests.factories import pdf_bytes

#: Markup and script that must be stored verbatim and shown literally everywhere.
MARKUP = ('<script>alert(1)</script><img src=x onerror=alert(1)>"><svg onload=alert(1)>'
          "<font color=red>rood</font><para>alinea</para><img src=\"/etc/passwd\"/> & 'x'")
#: What must never appear unescaped in an HTML page.
RAW_DANGER = ("<script>alert(1)</script>", "<img src=x onerror", "<svg onload", '<img src="/etc/passwd"/>',
              "<font color=red>", "<para>")
RTL = "\u202e"


def hostile(label: str) -> str:
    """A unique hostile text per field: ``[label] <script>... \u202etxt.exe``."""
    return f"[{label}] {MARKUP} {RTL}fdp.exe"


# -- PDFs ---------------------------------------------------------------------------------------
def modified(change, pages: int = 1, **save) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes(pages))) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out, **save)
        return out.getvalue()


def _annotate(pdf, annot):
    pdf.pages[0].Annots = pikepdf.Array([pdf.make_indirect(annot)])


def launch_link(pdf):
    action = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe")))
    _annotate(pdf, pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                      Rect=[0, 0, 10, 10], A=action))


def action_link(kind: str, **fields):
    """A link annotation whose action is ``/S /<kind>``."""
    def change(pdf):
        action = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name("/" + kind), **fields))
        _annotate(pdf, pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                          Rect=[0, 0, 10, 10], A=action))
    return change


def embedded_file_attachment(pdf):
    """A FileAttachment annotation; the embedded stream is typed, so no /EmbeddedFiles name tree."""
    stream = pdf.make_stream(b"MZ\x90\x00")
    stream.Type = pikepdf.Name.EmbeddedFile
    spec = pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F=pikepdf.String("x.exe"), EF=pikepdf.Dictionary(F=stream))
    _annotate(pdf, pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FileAttachment,
                                      Rect=[0, 0, 10, 10], FS=spec))


def embedded_file_untyped(pdf):
    """The same, without the optional /Type on the stream: only /EF gives it away."""
    stream = pdf.make_stream(b"MZ\x90\x00")
    spec = pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F=pikepdf.String("x.exe"), EF=pikepdf.Dictionary(F=stream))
    _annotate(pdf, pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FileAttachment,
                                      Rect=[0, 0, 10, 10], FS=spec))


def xfa_array(pdf):
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pikepdf.Array(
        [pikepdf.String("template"), pdf.make_stream(b"<template/>")]))


def rich_media(pdf):
    _annotate(pdf, pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.RichMedia,
                                      Rect=[0, 0, 10, 10], RichMediaContent=pikepdf.Dictionary()))


def rich_media_subtype_only(pdf):
    _annotate(pdf, pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.RichMedia, Rect=[0, 0, 10, 10]))


def open_action_js_stream(pdf):
    pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript,
                                                               JS=pdf.make_stream(b"app.launchURL('x')")))


def page_open_js(pdf):
    pdf.pages[0].AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("x")))


def names_javascript(pdf):
    action = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([
        pikepdf.String("a"), action])))


def js_deeply_nested(pdf):
    """JavaScript 60 levels down in direct dictionaries (beyond a naive depth limit)."""
    node = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("x"))
    for _ in range(60):
        node = pikepdf.Dictionary(K=node)
    pdf.Root.PieceInfo = node


def js_in_object_stream() -> bytes:
    return modified(lambda pdf: setattr(pdf.Root, "OpenAction", pdf.make_indirect(pikepdf.Dictionary(
        S=pikepdf.Name.JavaScript, JS=pikepdf.String("x")))), object_stream_mode=pikepdf.ObjectStreamMode.generate)


def a_zip(size: int = 4000) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "x" * size)
    return buf.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


# -- HTTP ---------------------------------------------------------------------------------------
def multipart(fields: dict, files: list[tuple[str, str, bytes, str]]) -> tuple[bytes, str]:
    """A raw multipart/form-data body; file names go out RFC 2231-encoded (``filename*=UTF-8''...``),
    so path parts, NUL and control characters reach the server as a hostile client would send them
    (the test client itself would strip the directories)."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for field, filename, content, content_type in files:
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
                f"filename*=UTF-8''{quote(filename, safe='')}\r\nContent-Type: {content_type}\r\n\r\n")
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def stored_files(storage) -> list[str]:
    root = storage.location
    if not os.path.exists(root):
        return []
    return sorted(os.path.join(d, f) for d, _s, files in os.walk(root) for f in files)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def squash(text: str) -> str:
    """No whitespace (PDF text extraction breaks lines where reportlab wrapped)."""
    return re.sub(r"\s+", "", text)


# -- bombs: small files that ask for a lot of memory or time -------------------------------------------
MIB = 1024 * 1024


@functools.lru_cache(maxsize=8)
def zeros_deflated(mib: int) -> bytes:
    """``mib`` MiB of zero bytes, zlib-compressed a block at a time (about 1 KB per MiB; never all in memory)."""
    packer, block = zlib.compressobj(9), bytes(MIB)
    return b"".join(packer.compress(block) for _ in range(mib)) + packer.flush()


def _hand_made(objects: dict[int, bytes], root: int, extra: bytes = b"") -> bytes:
    """A classic PDF written out by hand: ``{number: body}``, a cross-reference table, a trailer."""
    parts, offsets = [b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"], {}
    position = len(parts[0])
    for number in sorted(objects):
        chunk = b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
        offsets[number] = position
        parts.append(chunk)
        position += len(chunk)
    size = max(objects) + 1
    rows = [b"0000000000 65535 f \n"] + [
        b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 00000 f \n" for n in range(1, size)]
    parts.append(b"xref\n0 %d\n" % size + b"".join(rows))
    parts.append(b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (size, root, extra, position))
    return b"".join(parts)


_PAGE = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
         3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"}


def _stream(data: bytes, entries: bytes = b"/Filter /FlateDecode") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), entries, data)


def _one_page(catalog_extra: bytes = b"", contents: bytes = b"5 0 R", more: dict | None = None) -> bytes:
    """A one-page PDF with a line of text, written by hand (so nothing on the way inflates a bomb)."""
    text = b"BT /F1 12 Tf 72 720 Td (bijlage) Tj ET"
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R %s>>" % catalog_extra, 2: _PAGE[2],
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %s "
           b"/Resources << /Font << /F1 6 0 R >> >> >>" % contents,
        5: _stream(text, b""), 6: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    objects.update(more or {})
    return _hand_made(objects, 1)


def metadata_bomb(mib: int) -> bytes:
    """A one-page PDF whose /Metadata stream inflates to ``mib`` MiB of zeros."""
    return _one_page(b"/Metadata 4 0 R ", more={4: _stream(zeros_deflated(mib),
                                                                b"/Type /Metadata /Subtype /XML /Filter /FlateDecode")})


def content_bomb(mib: int) -> bytes:
    """A one-page PDF with a second content stream on its page that inflates to ``mib`` MiB."""
    return _one_page(contents=b"[5 0 R 4 0 R]", more={4: _stream(zeros_deflated(mib))})


def streams_of(count: int, mib: int) -> bytes:
    """``count`` extra streams (listed in the catalog) of ``mib`` MiB each once inflated."""
    numbers = range(7, 7 + count)
    return _one_page(b"/Extra [%s] " % b" ".join(b"%d 0 R" % n for n in numbers),
                     more={n: _stream(zeros_deflated(mib)) for n in numbers})


def lzw_stream() -> bytes:
    """A stream with /LZWDecode (qpdf decodes LZW without a memory limit)."""
    return _one_page(b"/Extra 4 0 R ", more={4: _stream(b"\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01",
                                                            b"/Filter /LZWDecode")})


def many_objects(count: int) -> bytes:
    """A one-page PDF with ``count`` more objects (small integers), written by hand: fast even for 300,000."""
    objects = dict(_PAGE)
    objects.update((n, b"%d" % n) for n in range(4, 4 + count))  # in the table, referenced by nothing
    return _hand_made(objects, 1)


def object_stream_bomb(mib: int) -> bytes:
    """Object 4 (in the catalog) lives in object stream 5, which inflates to ``mib`` MiB: qpdf decodes
    such a stream whole as soon as one of its objects is read."""
    header, body = b"4 0 ", b"<< /A 1 >>"
    packer = zlib.compressobj(9)
    data = packer.compress(header + body) + b"".join(packer.compress(b" " * MIB) for _ in range(mib)) + packer.flush()
    parts, offsets = [b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"], {}
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R /X 4 0 R >>", 2: _PAGE[2], 3: _PAGE[3],
               5: b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
               % (len(header), len(data), data)}
    for number, value in objects.items():
        offsets[number] = sum(map(len, parts))
        parts.append(b"%d 0 obj\n%s\nendobj\n" % (number, value))
    xref_at = sum(map(len, parts))
    rows = [b"\x00" + struct.pack(">IH", 0, 65535)] + [b"\x01" + struct.pack(">IH", offsets[n], 0) for n in (1, 2, 3)]
    rows += [b"\x02" + struct.pack(">IH", 5, 0), b"\x01" + struct.pack(">IH", offsets[5], 0),
             b"\x01" + struct.pack(">IH", xref_at, 0)]
    table = b"".join(rows)
    parts.append(b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n%s\nendstream\n"
                 b"endobj\nstartxref\n%d\n%%%%EOF\n" % (len(table), table, xref_at))
    return b"".join(parts)
