"""Dossier export of a large case against the physical floor (quality.md, Performance).

300 documents of 10 text pages each (3,000 pages plus our own). In the same run:
(a) the floor: plain pikepdf concatenation of the same 300 files into one PDF, and
(b) the dossier: reading the case (queries, in this process) plus building PDF and ZIP (hashing,
    cover/contents/timeline, stamps on every page, bookmarks, ZIP with manifest).
Each side runs in a fresh child process, so its peak RSS is its own; each runs twice, alternating,
and the faster run counts. The ratio is taken on CPU time (wall time is reported too). The figures
are printed (``-s``) and written to var/benchmarks/dossier.json. Bounds: (b)/(a) <= 3.0 and peak
RSS < 300 MB.
"""

import hashlib
import json
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from disputes import clock
from disputes.dossier.content import collect
from disputes.models import Document, Step
from disputes.services.documents import bundle_for
from tests.factories import case_in_state, full_text_pdf, moment

pytestmark = pytest.mark.django_db

DOCUMENTS = 300
PAGES = 10
MAX_RATIO = 3.0
MAX_PEAK_MB = 300
ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("dossier_child.py")


@pytest.fixture(scope="session")
def ten_pages() -> bytes:
    """One 10-page letter of full text pages, made once."""
    return full_text_pdf(PAGES)


def _child(mode: str, job: dict, folder: Path) -> dict:
    job_file = folder / f"{mode}.json"
    job_file.write_text(json.dumps(job))
    done = subprocess.run([sys.executable, str(CHILD), mode, str(job_file)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_dossier_export_of_3000_pages_is_close_to_plain_concatenation(world, private_storage, tmp_path, ten_pages):
    dispute = case_in_state(world, "exchange")
    clock.set_now(moment("2017-02-21 09:00"))
    steps = [Step.FILING, Step.ADMISSIBILITY, Step.RESPONSE, Step.HEARING, Step.ADVICE]
    bundles = [bundle_for(dispute, step) for step in steps]
    rows, files = [], []
    for i in range(DOCUMENTS):
        data = ten_pages + f"\n% stuk {i}\n".encode()  # distinct bytes, distinct hash, still a valid PDF
        name = private_storage.save(f"bench/{i:03d}.pdf", _content(data))
        files.append(private_storage.path(name))
        rows.append(Document(
            dispute=dispute, bundle=bundles[i * len(bundles) // DOCUMENTS], doc_type="correspondentie",
            display_name=f"brief {i + 1:03d}.pdf", file=name, sha256=hashlib.sha256(data).hexdigest(),
            size=len(data), content_type="application/pdf", page_count=PAGES, uploaded_by=world.tenant,
            organisation=world.huurders, confidentiality="parties", uploaded_at=clock.now(), submitted_at=clock.now(),
        ))
    Document.objects.bulk_create(rows)

    start, cpu = time.perf_counter(), time.process_time()
    content = collect(dispute, "full")
    read_seconds, read_cpu = time.perf_counter() - start, time.process_time() - cpu
    (tmp_path / "content.pickle").write_bytes(pickle.dumps(content))
    floor_job = {"files": files, "out": str(tmp_path / "floor.pdf")}
    export_job = {"root": str(ROOT), "storage": str(private_storage.location),
                  "content": str(tmp_path / "content.pickle"), "out": str(tmp_path / "out")}
    # Best of two, alternating, so a burst of load from a neighbour does not decide the ratio.
    floors, exports = [], []
    for _ in range(2):
        floors.append(_child("floor", floor_job, tmp_path))
        exports.append(_child("export", export_job, tmp_path))
    floor = min(floors, key=lambda r: r["cpu_seconds"])
    export = min(exports, key=lambda r: r["cpu_seconds"])
    export["peak_rss_mb"] = max(r["peak_rss_mb"] for r in exports)

    # The bound is on CPU time: on a shared 2-core machine wall time mostly measures the neighbours.
    export_cpu = read_cpu + export["cpu_seconds"]
    ratio = export_cpu / floor["cpu_seconds"]
    wall_ratio = (read_seconds + export["seconds"]) / floor["seconds"]
    figures = {
        "documents": DOCUMENTS, "pages_per_document": PAGES,
        "dossier_pages": export["pages"], "floor_pages": floor["pages"],
        "floor_cpu_seconds": round(floor["cpu_seconds"], 3), "floor_wall_seconds": round(floor["seconds"], 3),
        "floor_peak_rss_mb": round(floor["peak_rss_mb"], 1),
        "export_cpu_seconds": round(export_cpu, 3), "export_wall_seconds": round(read_seconds + export["seconds"], 3),
        "export_read_cpu_seconds": round(read_cpu, 3), "export_build_cpu_seconds": round(export["cpu_seconds"], 3),
        "export_peak_rss_mb": round(export["peak_rss_mb"], 1),
        "ratio_cpu": round(ratio, 2), "ratio_wall": round(wall_ratio, 2),
        "max_ratio": MAX_RATIO, "max_peak_mb": MAX_PEAK_MB,
    }
    out = Path(settings.VAR_DIR) / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    (out / "dossier.json").write_text(json.dumps(figures, indent=2) + "\n")
    print("\ndossier benchmark:", json.dumps(figures))

    assert floor["pages"] == DOCUMENTS * PAGES < export["pages"]
    assert ratio <= MAX_RATIO, figures
    assert export["peak_rss_mb"] < MAX_PEAK_MB, figures


def _content(data: bytes):
    from django.core.files.base import ContentFile

    return ContentFile(data)
