"""Small, valid, deterministic PDFs for scenarios: "<type> - pagina i van N" on every page.

``invariant=1`` makes reportlab leave out the creation date and the random document id, so the
same arguments always give the same bytes (and the same SHA-256).
"""

import functools
import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

MAX_PAGES = 500


@functools.lru_cache(maxsize=256)
def make_pdf(doc_type: str, pages: int = 1, title: str = "") -> bytes:
    """A PDF of ``pages`` A4 pages for a document of type ``doc_type``, with an optional title line."""
    if not isinstance(pages, int) or isinstance(pages, bool) or not 1 <= pages <= MAX_PAGES:
        raise ValueError(f"pages must be a whole number from 1 to {MAX_PAGES}, not {pages!r}")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    pdf.setTitle(title or doc_type)
    pdf.setAuthor("scenario")
    pdf.setCreator("geschilbeslechting scenario")
    width, height = A4
    for number in range(1, pages + 1):
        if title:
            pdf.setFont("Helvetica-Bold", 14)
            pdf.drawString(72, height - 72, title[:90])
        pdf.setFont("Helvetica", 12)
        pdf.drawString(72, height - 100, f"{doc_type} - pagina {number} van {pages}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
