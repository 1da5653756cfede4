"""Run one side of the dossier benchmark in a fresh process and print its time and peak memory.

    python tests/benchmarks/dossier_child.py floor  <job.json>   # plain pikepdf concatenation
    python tests/benchmarks/dossier_child.py export <job.json>   # the dossier build (PDF + ZIP)

A fresh process, so its peak RSS (VmHWM) is the honest peak of this work alone (plus the interpreter and
the imports it needs). Reports wall time and CPU time (user + system) of the measured part.
Prints one JSON line.
"""

import json
import pickle
import resource
import sys
import time
from pathlib import Path


def floor(job: dict) -> dict:
    import pikepdf

    start, cpu = time.perf_counter(), time.process_time()
    out = pikepdf.new()
    for path in job["files"]:
        with pikepdf.open(path) as src:
            out.pages.extend(src.pages)
    out.save(job["out"])
    return {"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu, "pages": len(out.pages)}


def export(job: dict) -> dict:
    sys.path.insert(0, job["root"])
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.files.storage import FileSystemStorage

    from disputes.dossier.assemble import build
    from disputes.models import Document

    Document._meta.get_field("file").storage = FileSystemStorage(location=job["storage"], base_url=None)
    content = pickle.loads(Path(job["content"]).read_bytes())
    start, cpu = time.perf_counter(), time.process_time()
    result = build(content, Path(job["out"]))
    return {"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu, "pages": result["pages"]}


def peak_rss_mb() -> float:
    """This process's own high-water mark (VmHWM). ``ru_maxrss`` is not used: on Linux it keeps the
    parent's RSS across fork and exec, so it would report the test runner's size instead."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    mode, job_file = sys.argv[1], sys.argv[2]
    job = json.loads(Path(job_file).read_text())
    result = {"floor": floor, "export": export}[mode](job)
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))
