"""The decision dossier: one court-ready PDF and a ZIP with a hash manifest (procedure.md §9).

    from disputes.dossier import export_dossier
    result = export_dossier(dispute, out_dir, audience="party")   # {"pdf": ..., "zip": ..., "pages": ...}

No request objects and no templates here: the web views (views.py), the Celery task (tasks.py)
and the management command all call ``export_dossier``. See docs/dossier.md.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .errors import DossierIntegrityError

__all__ = ["DossierIntegrityError", "export_dossier", "file_stem"]


def export_dossier(
    dispute, out_dir, *, audience: str = "full", progress: Callable[[int], None] | None = None
) -> dict:
    """Write exactly one PDF and one ZIP of ``dispute`` for ``audience`` into ``out_dir``.

    Returns ``{"pdf": abs path, "zip": abs path, "pages": int, ...}`` (plus ``pdf_sha256``,
    ``zip_sha256``, ``pdfa`` and ``case_version``). ``progress(percent)`` is called as the work
    advances. Raises ``DossierIntegrityError`` (and writes nothing) when a stored file no longer
    matches its recorded SHA-256.
    """
    from .assemble import build
    from .content import collect

    content = collect(dispute, audience)
    return build(content, Path(out_dir), progress=progress)


def file_stem(case_number: str, audience: str) -> str:
    return f"{case_number}-dossier" + ("-partijversie" if audience == "party" else "")
