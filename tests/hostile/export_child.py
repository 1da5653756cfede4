"""Build one dossier in a fresh process and print how it ended and its peak memory (one JSON line).

    python tests/hostile/export_child.py <job.json>

Like tests/benchmarks/dossier_child.py: the case is read in the test process and handed over pickled;
this process runs only ``disputes.dossier.assemble.build``, so its peak RSS (VmHWM) is that of the
build alone (plus the interpreter and Django). Used by the decompression-bomb test of tests/hostile.
"""

import json
import os
import pickle
import sys
from pathlib import Path


def main(job: dict) -> dict:
    sys.path.insert(0, job["root"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.files.storage import FileSystemStorage

    from disputes.dossier.assemble import build
    from disputes.models import Document

    Document._meta.get_field("file").storage = FileSystemStorage(location=job["storage"], base_url=None)
    content = pickle.loads(Path(job["content"]).read_bytes())
    try:
        result = build(content, Path(job["out"]))
    except Exception as exc:  # noqa: BLE001 - the outcome is what this process reports
        return {"outcome": type(exc).__name__, "message": str(exc)}
    return {"outcome": "built", "pages": result["pages"], "pdfa": result["pdfa"]}


def peak_rss_mb() -> float:
    """This process's own high-water mark (VmHWM; ``ru_maxrss`` would include the parent's across fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


if __name__ == "__main__":
    outcome = main(json.loads(Path(sys.argv[1]).read_text()))
    outcome["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(outcome))
