"""The ZIP next to the dossier PDF: the PDF, every original file, and manifest.json with hashes.

Deterministic: entries in a fixed order, every timestamp the dossier's date (from the case data),
fixed permissions and "made on Unix", PDFs stored as they are (already compressed).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from .content import DossierContent, local
from .errors import DossierIntegrityError

CHUNK = 1024 * 1024


def _info(name: str, content: DossierContent, compress: int) -> zipfile.ZipInfo:
    moment = local(content.dossier_date)
    info = zipfile.ZipInfo(name, date_time=(max(moment.year, 1980), moment.month, moment.day,
                                            moment.hour, moment.minute, moment.second))
    info.compress_type = compress
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    return info


def _add_file(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as src, zf.open(info, "w", force_zip64=path.stat().st_size >= 2**31) as dst:
        for chunk in iter(lambda: src.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    return digest.hexdigest(), size


def write_zip(
    content: DossierContent, pdf_path: Path, zip_path: Path, *, pages: int, pdfa: bool,
    on_file: Callable[[float], None] | None = None,
) -> str:
    """Write the archive; returns the SHA-256 of the dossier PDF. Re-checks every original's hash."""
    documents = content.documents
    bundle_of = {id(d): b for b in content.bundles for d in b.documents}
    files = []
    with zipfile.ZipFile(zip_path, "w", allowZip64=True) as zf:
        pdf_sha, pdf_size = _add_file(zf, _info(pdf_path.name, content, zipfile.ZIP_STORED), pdf_path)
        for index, d in enumerate(documents):
            compress = zipfile.ZIP_STORED if d.is_pdf else zipfile.ZIP_DEFLATED
            sha, size = _add_file(zf, _info(d.zip_path, content, compress), Path(d.local_path))
            if sha != d.document.sha256:
                raise DossierIntegrityError(d.document, actual=sha)
            bundle = bundle_of[id(d)]
            files.append({
                "path": d.zip_path,
                "sha256": sha,
                "size": size,
                "bundle": bundle.label,
                "bundle_step": bundle.step,
                "bundle_sequence": bundle.sequence,
                "document_type": d.document.doc_type,
                "document_type_label": d.type_label,
                "organisation": d.uploader,
                "uploaded_at": local(d.uploaded_at).isoformat(),
                "confidentiality": d.confidentiality,
                "content_type": d.document.content_type,
                "display_name": d.title,
                "document_id": str(d.document.pk),
                "dossier_pages": [d.start_page, d.start_page + d.page_count - 1],
                "in_dossier_as": "placeholder" if d.placeholder_reason else "pages",
            })
            if on_file:
                on_file((index + 1) / max(1, len(documents)))
        manifest = {
            "format": "geschilbeslechting-dossier/1",
            "case_number": content.case_number,
            "case_version": content.case_version,
            "audience": content.audience,
            "audience_label": content.audience_label,
            "dossier_date": local(content.dossier_date).isoformat(),
            "dossier": {"path": pdf_path.name, "sha256": pdf_sha, "size": pdf_size, "pages": pages, "pdfa_2b": pdfa},
            "files": files,
        }
        data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
        zf.writestr(_info("manifest.json", content, zipfile.ZIP_DEFLATED), data)
    return pdf_sha
