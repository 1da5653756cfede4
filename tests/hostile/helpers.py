"""Builders for hostile input: PDFs with active content, polyglots, raw multipart bodies, and the
readers the hostile suite uses (PDF text, stored files of the per-test storage folder).
"""

import io
import os
import re
import uuid
import zipfile
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
