"""A Celery worker killed with SIGKILL in the middle of a dossier export (quality.md, Concurrency and faults).

Real services only: PostgreSQL (the pytest-django test database, shared with the worker through
``DATABASE_URL``) and a real broker (``FAULT_TEST_BROKER_URL``, else ``CELERY_BROKER_URL``: RabbitMQ
or Redis). The worker runs as a separate OS process, exactly as in production
(``python -m celery -A config worker --pool=solo ...``), with ``PRIVATE_MEDIA_ROOT`` pointing at
this test's private folder so it reads and writes the same files.

The story: a decided case with many uploaded PDFs, the export requested through the service (its
``on_commit`` hands ``build_dossier_export`` to the broker), the worker is building (``progress``
past ``KILL_AT``, 30 %: sources copied and verified, PDF half written), SIGKILL, the export is
left ``running`` and unfinished, a new worker starts,
the broker redelivers the unacknowledged message (``acks_late``), the task claims the export again
and rebuilds it. Exactly one export is done, with exactly one PDF and one ZIP, one
``dossier_exported`` event, and stored files whose SHA-256 match what was recorded; one more
delivery of the finished export (a worker dying after the commit but before the ack) changes nothing.

How this fails when the guarantee breaks (``FAULT_TEST_SABOTAGE=<name>`` patches the worker so):
- ``rebuild_done``: a task that is not idempotent (a delivery rebuilding a finished export, or
  storing its documents next to a previous attempt's) gives two PDF/ZIP documents and two
  ``dossier_exported`` events -> the count assertions fail.
- ``skip_running``: ``_claim`` refusing a ``running`` export (as if taken) leaves it ``running``
  forever -> "export not finished within 60 s after restart".
Not caught here: ``acks_late=False`` on the task (tests/integration/test_task_settings.py catches it).
With ``--pool=solo`` the early ack (sent when the task is accepted) did not reach RabbitMQ before the
SIGKILL in our runs, so the message came back anyway.

To keep the test away from other users of a shared broker, the task goes to a queue of its own
(``faults.<random>``), consumed only by our workers and deleted at the end.

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/faults
FAULT_TEST_BROKER_URL=amqp://guest:guest@127.0.0.1:5672// .venv/bin/python -m pytest tests/faults -q``
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction

from config.celery import app
from disputes import services
from disputes.dossier.tasks import build_dossier_export
from disputes.models import DisputeEvent, Document, DossierExport, ExportStatus, OutboxMessage, Step
from disputes.services.dossier import dossier_request_export
from tests.factories import case_in_state, full_text_pdf

BROKER = os.environ.get("FAULT_TEST_BROKER_URL") or os.environ.get("CELERY_BROKER_URL", "")
IS_REDIS = BROKER.startswith(("redis://", "rediss://"))
IS_AMQP = BROKER.startswith(("amqp://", "amqps://", "pyamqp://"))
ROOT = Path(__file__).resolve().parents[2]

DOCUMENTS = int(os.environ.get("FAULT_TEST_DOCUMENTS", "60"))
PAGES = 10
WORKER_READY_TIMEOUT = 45.0
KILL_WINDOW_TIMEOUT = 60.0
#: Kill once the export shows this much progress: past copying and verifying the sources (0-20 %),
#: inside writing the PDF (22-90 %), so the dead attempt leaves real half-done work behind.
KILL_AT = int(os.environ.get("FAULT_TEST_KILL_AT", "30"))
FINISH_TIMEOUT = float(os.environ.get("FAULT_TEST_FINISH_TIMEOUT", "60"))

#: Deliberately broken workers, to see this test fail (``FAULT_TEST_SABOTAGE=<name>``); never in CI.
SABOTAGE = {
    # A task that is not idempotent: a second delivery rebuilds and stores a finished export again.
    "rebuild_done": (
        "import disputes.services.dossier as d; _orig = d._claim\n"
        "def _claim(export_id):\n"
        "    d.DossierExport.objects.filter(pk=export_id, status='done').update(status='running')\n"
        "    return _orig(export_id)\n"
        "d._claim = _claim"
    ),
    # A claim that treats a 'running' export as somebody else's: the dead worker's export never ends.
    "skip_running": (
        "import disputes.services.dossier as d; _orig = d._claim\n"
        "def _claim(export_id):\n"
        "    return None if d.DossierExport.objects.filter(pk=export_id, status='running').exists() "
        "else _orig(export_id)\n"
        "d._claim = _claim"
    ),
}
SABOTAGE_NAME = os.environ.get("FAULT_TEST_SABOTAGE", "")
REDIS_TRANSPORT_OPTIONS = {"visibility_timeout": 5, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="a worker process needs a database it can share: run on PostgreSQL (DATABASE_URL)"),
    pytest.mark.skipif(not (IS_REDIS or IS_AMQP),
                       reason="set FAULT_TEST_BROKER_URL (or CELERY_BROKER_URL) to a RabbitMQ or Redis broker"),
]


@pytest.fixture(scope="module")
def ten_pages() -> bytes:
    """One 10-page letter of full text pages, made once."""
    return full_text_pdf(PAGES)


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    """``python -m celery -A config worker`` as a separate OS process, logging to a file."""

    def __init__(self, name: str, queue: str, env: dict, log: Path):
        self.log = log
        args = ["--pool=solo", "--concurrency=1", "-Q", queue, "-n", f"{name}@%h", "--without-heartbeat",
                "--without-mingle", "--without-gossip", "-l", "INFO"]
        if IS_REDIS or SABOTAGE_NAME:
            boot = "import sys, django; from config.celery import app\n"
            if IS_REDIS:  # Redis gives an unacked message back only after the visibility timeout: short,
                # and kombu looks for such messages every interval * throttle seconds (100 by default).
                boot += f"app.conf.broker_transport_options = {REDIS_TRANSPORT_OPTIONS!r}\n"
            if SABOTAGE_NAME:
                boot += "django.setup()\n" + SABOTAGE[SABOTAGE_NAME] + "\n"
            boot += "app.worker_main(sys.argv[1:])\n"
            cmd = [sys.executable, "-c", boot, "worker", *args]
        else:
            cmd = [sys.executable, "-m", "celery", "-A", "config", "worker", *args]
        self.fh = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.fh, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.pid = self.proc.pid

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self, timeout: float = WORKER_READY_TIMEOUT) -> None:
        ok = wait_for(lambda: " ready." in self.text() or self.proc.poll() is not None, timeout, step=0.1)
        assert ok and self.proc.poll() is None, f"worker {self.pid} did not start:\n{self.text()[-4000:]}"

    def stop(self) -> None:
        """End this process (only this pid): SIGTERM, then SIGKILL if it lingers."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.fh.close()


def wait_for(predicate, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return bool(predicate())


def _export_row(pk):
    return DossierExport.objects.values("status", "progress", "started_at", "pdf_file", "zip_file").get(pk=pk)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_export_leads_to_exactly_one_finished_export_after_restart(
    world, private_storage, tmp_path, ten_pages
):
    timings = {}
    private_root = Path(private_storage.location)
    private_root.mkdir(parents=True, exist_ok=True)
    worker_tmp = tmp_path / "worker-tmp"
    worker_tmp.mkdir()
    queue = f"faults.{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PRIVATE_MEDIA_ROOT": str(private_root),
        "TMPDIR": str(worker_tmp),  # where the build's temporary folder lives: see what a kill leaves
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("FAULT_TEST_BROKER_URL", None)

    # The producer (this process): not eager, our broker, our queue; all restored in ``finally``.
    task = app.tasks[build_dossier_export.name]
    saved_conf = {k: app.conf[k] for k in ("task_always_eager", "broker_url", "broker_transport_options")}
    saved_task = {k: task.__dict__.get(k, AttributeError) for k in ("queue", "_exec_options")}
    saved_pool = (app._pool, app.amqp._producer_pool)
    workers: list[Worker] = []
    try:
        # The first worker boots (seconds on a busy machine) while the case is being prepared.
        t0 = time.monotonic()
        first = Worker("faults-first", queue, env, tmp_path / "worker-1.log")
        workers.append(first)

        case = case_in_state(world, "decided")
        timings["case"] = time.monotonic() - t0
        for i in range(DOCUMENTS):
            data = ten_pages + f"\n% stuk {i}\n".encode()  # distinct bytes and hash, still a valid PDF
            services.document_upload(dispute=case, actor=world.secretary, doc_type="correspondentie",
                                     uploaded=ContentFile(data, name=f"brief-{i + 1:03d}.pdf"))
        timings["case + uploads"] = time.monotonic() - t0
        files_before = {p for p in private_root.rglob("*") if p.is_file()}
        first.wait_ready()
        timings["worker 1 ready"] = time.monotonic() - t0

        app.conf.task_always_eager = False
        app.conf.broker_url = BROKER
        if IS_REDIS:
            app.conf.broker_transport_options = dict(REDIS_TRANSPORT_OPTIONS)
        app._pool, app.amqp._producer_pool = None, None  # connect to BROKER, not to a cached pool
        task.queue, task._exec_options = queue, None

        # The request as a view makes it, in one transaction. Until it commits nothing can reach the
        # broker (the task leaves through the outbox's on_commit), so the worker, ready and waiting,
        # cannot have started yet: the only moment "pending" is certain, whatever the machine's load.
        with transaction.atomic():
            export = dossier_request_export(dispute=case, actor=world.secretary, audience="full")
            assert _export_row(export.pk)["status"] == ExportStatus.PENDING
            message = OutboxMessage.objects.get(task=build_dossier_export.name, kwargs__export_id=str(export.pk))
            assert message.sent_at is None
        # After the commit the task is on the broker; the worker may take it at once (no status check here).
        message.refresh_from_db()
        assert message.sent_at is not None and message.last_error == "", message.last_error

        # 1. The worker is building: kill it with SIGKILL, without any chance to clean up or ack.
        t = time.monotonic()
        def far_enough():
            row = _export_row(export.pk)
            return row["progress"] >= KILL_AT or row["status"] in (ExportStatus.DONE, ExportStatus.FAILED)

        building = wait_for(far_enough, KILL_WINDOW_TIMEOUT, step=0.02)
        os.kill(first.pid, signal.SIGKILL)
        first.proc.wait(10)
        timings["request -> kill"] = time.monotonic() - t
        assert building, f"the export never reached {KILL_AT} %:\n{first.text()[-4000:]}"
        killed = _export_row(export.pk)
        assert killed["status"] == ExportStatus.RUNNING, (
            f"the export must be unfinished when the worker dies (got {killed}); on a faster machine "
            f"raise FAULT_TEST_DOCUMENTS (now {DOCUMENTS})"
        )
        assert 0 < killed["progress"] < 100 and not killed["pdf_file"] and not killed["zip_file"], killed
        assert not DisputeEvent.objects.filter(dispute=case, kind="dossier_exported").exists()
        time.sleep(0.5)  # nothing moves any more: the build really died with the process
        assert _export_row(export.pk) == killed
        timings["progress at kill (%)"] = killed["progress"]
        assert [p.name.startswith(f"dossier-{export.pk}-") for p in worker_tmp.iterdir()] == [True], (
            "the killed build should have left its temporary folder behind"
        )

        # 2. A new worker: the broker gives the unacked message back, the export is built once.
        t = time.monotonic()
        second = Worker("faults-second", queue, env, tmp_path / "worker-2.log")
        workers.append(second)
        done = wait_for(lambda: _export_row(export.pk)["status"] != ExportStatus.RUNNING, FINISH_TIMEOUT, step=0.1)
        timings["restart -> done"] = time.monotonic() - t
        assert done, f"export not finished within {FINISH_TIMEOUT:.0f} s after restart:\n{second.text()[-4000:]}"

        # 3. The other half of "killed mid-way": a death after the commit but before the ack means
        # one more delivery of a finished export. Deliver it again through the broker: nothing changes.
        t = time.monotonic()
        build_dossier_export.delay(str(export.pk))
        assert wait_for(lambda: second.text().count("succeeded in") >= 2, 30, step=0.1), second.text()[-4000:]
        second.stop()  # warm shutdown: nothing left running that could still store a second result
        assert second.proc.returncode == 0, second.text()[-4000:]
        timings["redelivery + worker stop"] = time.monotonic() - t
    finally:
        t = time.monotonic()
        for w in workers:
            w.stop()
        for key, value in saved_conf.items():
            app.conf[key] = value
        for key, value in saved_task.items():
            if value is AttributeError:
                task.__dict__.pop(key, None)
            else:
                setattr(task, key, value)
        if app._pool is not None and app._pool is not saved_pool[0]:
            app._pool.force_close_all()
        app._pool, app.amqp._producer_pool = saved_pool
        _delete_queue(queue)
        timings["cleanup"] = time.monotonic() - t
        for i, w in enumerate(workers, 1):
            print(f"--- worker {i} (pid {w.pid}) log tail ---\n{w.text()[-1200:]}")
        print("timings:", {k: round(v, 1) for k, v in timings.items()})

    # 4. Exactly one finished export, one PDF, one ZIP, one event; the files are what was recorded.
    exports = DossierExport.objects.filter(dispute=case, audience="full", case_version=export.case_version)
    assert exports.count() == 1
    export = exports.get()
    assert export.status == ExportStatus.DONE, (export.status, export.error)
    assert export.progress == 100 and export.pages and export.started_at > killed["started_at"]
    assert not Document.objects.filter(dispute=case, bundle__step=Step.DOSSIER).exists()  # not case documents
    events = DisputeEvent.objects.filter(dispute=case, kind="dossier_exported")
    assert events.count() == 1
    assert not DisputeEvent.objects.filter(dispute=case, kind="dossier_export_failed").exists()
    payload = events.get().payload
    assert payload["export"] == str(export.pk)
    assert (payload["pdf_sha256"], payload["zip_sha256"]) == (export.pdf_sha256, export.zip_sha256)
    for field, sha256, size in ((export.pdf_file, export.pdf_sha256, export.pdf_size),
                                (export.zip_file, export.zip_sha256, export.zip_size)):
        path = private_root / field.name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256, field.name
        assert path.stat().st_size == size
    # The private storage holds the two results and nothing else from either attempt.
    files_after = {p for p in private_root.rglob("*") if p.is_file()}
    assert files_after - files_before == {private_root / export.pdf_file.name, private_root / export.zip_file.name}
    # The killed build could not remove its temporary folder; the rebuild removed it, then its own.
    leftovers = sorted(p.name for p in worker_tmp.iterdir())
    assert leftovers == [], leftovers


def _delete_queue(name: str) -> None:
    """Remove this test's queue from the broker (best effort)."""
    try:
        with app.connection_for_write(BROKER) as conn:
            conn.default_channel.queue_delete(name)
    except Exception as exc:  # noqa: BLE001 - cleanup only
        print(f"could not delete queue {name}: {exc}")
