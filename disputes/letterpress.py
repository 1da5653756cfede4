"""Letters as accessible, archivable PDFs: HTML from Django templates, rendered by WeasyPrint (ADR 0019).

``render_letter_html`` fills a letter template (``templates/letters/``) in Dutch; ``render_pdf`` turns the HTML
into a PDF that is both

- **PDF/A-2b**: fonts embedded, an sRGB output intent, XMP with ``pdfaid:part=2``, ``pdfaid:conformance=B``;
- **PDF/UA-1**: tagged (a structure tree from the HTML elements, ``/MarkInfo /Marked true``), the document
  language in ``/Lang``, the title in the document information and the XMP and shown as the window title
  (``/ViewerPreferences /DisplayDocTitle true``), and ``pdfuaid:part=1`` in the XMP.

WeasyPrint writes one ``pdf_variant`` at a time. The PDF/A-2b variant with ``pdf_tags=True`` gives the tagged
structure (the variant leaves the option alone); the PDF/UA identification, and the PDF/A extension schema that
PDF/A requires for a property outside its predefined schemas, are added to the XMP packet by a finisher before
the file is written. No second pass over the PDF.

The renderer fetches nothing from the network: its URL fetcher serves files inside ``templates/letters/`` (the
stylesheet) and refuses everything else, which stops the rendering (a letter never goes out with a part silently
missing). Fonts are the system's (fontconfig: Liberation Sans, DejaVu Sans), subset and embedded.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

#: the variant WeasyPrint writes; the UA identification is added to it (module docstring)
PDF_VARIANT = "pdf/a-2b"

#: ``pdfuaid:part`` and its description as a PDF/A extension schema (ISO 19005-2, 6.6.2.3: properties outside the
#: predefined schemas need one), as one more ``rdf:Description`` of the XMP packet
PDFUA_XMP = b"""<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" rdf:about=""
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfuaid:part>1</pdfuaid:part>
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
"""


def letters_dir() -> Path:
    """The folder of the letter templates and their stylesheet: the only place the renderer reads from."""
    return Path(settings.BASE_DIR) / "templates" / "letters"


class LetterFetchRefused(ValueError):
    """A letter asked for a resource outside the letter templates (a URL, or a file elsewhere)."""


class LocalOnlyFetcher(URLFetcher):
    """Serves ``file:`` URLs of files inside ``root``; refuses every other URL (http, data, ftp, other paths).

    A refusal is fatal for the rendering (``fail_on_errors``): WeasyPrint raises instead of leaving the part out.
    """

    def __init__(self, root: Path):
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=True)
        self.root = Path(root).resolve()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise LetterFetchRefused(f"a letter may not fetch {url[:200]!r}")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise LetterFetchRefused(f"a letter may only read files in {self.root}, not {path}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type})


def _add_ua_identification(document, pdf) -> None:
    """WeasyPrint finisher: add ``pdfuaid:part=1`` (and its extension schema) to the XMP packet the PDF/A
    variant wrote, as the last ``rdf:Description`` of its ``rdf:RDF``."""
    reference = pdf.catalog["Metadata"]  # b"<number> 0 R"
    number = int((reference.decode() if isinstance(reference, bytes) else str(reference)).split()[0])
    stream = pdf.objects[number]
    packet = b"".join(part if isinstance(part, bytes) else str(part).encode() for part in stream.stream)
    if packet.count(b"</rdf:RDF>") != 1:
        raise RuntimeError("unexpected XMP packet from WeasyPrint: no single rdf:RDF")
    stream.stream = [packet.replace(b"</rdf:RDF>", PDFUA_XMP + b"</rdf:RDF>")]


def render_pdf(html: str, *, title: str, lang: str = "nl", subject: str = "", author: str = "") -> bytes:
    """``html`` as a tagged PDF/A-2b + PDF/UA-1 file (module docstring).

    ``title``, ``lang``, ``subject`` and ``author`` are the document's metadata; they override what the HTML's
    ``<title>``, ``<html lang>`` and ``<meta>`` say. Relative URLs in ``html`` resolve against the letter
    templates' folder, the only folder the renderer may read.
    """
    if not title.strip():
        raise ValueError("a letter needs a title (PDF/UA: the window shows it)")
    root = letters_dir()
    document = HTML(string=html, base_url=f"{root.resolve().as_uri()}/", url_fetcher=LocalOnlyFetcher(root)).render()
    metadata = document.metadata
    metadata.title = title
    metadata.lang = lang
    metadata.description = subject or None
    metadata.authors = [author] if author else []
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True, finisher=_add_ua_identification)


def render_letter_html(template_name: str, context: dict) -> str:
    """The letter template ``template_name`` filled with ``context``, in Dutch whatever the reader's language
    (a letter is part of the legal record)."""
    with translation.override("nl"):
        return render_to_string(template_name, context)
