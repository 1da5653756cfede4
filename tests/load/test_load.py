"""Load on the production shape (quality.md, Performance): gunicorn + PostgreSQL, driven from a second
process on loopback (scripts/loadtest.py).

Given an overleg with 20 tenant organisations (one party user each), a gemeente and a corporation as
respondents, and 3 staff users, when the 20 parties file at the same moment through HTTP (log-in,
the wizard, a 2 MB verzoek and the other required documents, submit) while the staff keep reading
the worklist, then there are no errors, 20 cases with the case numbers 0001..0020 of this year, and
every document is stored with the size and SHA-256 that was sent (no lost updates).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/loadt \
        .venv/bin/python -m pytest tests/load -q -s -p no:cacheprovider --create-db

See docs/load.md. The figures go to var/load/latest.json.
"""

import hashlib
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection

from disputes import clock, services
from disputes.models import CaseNumberCounter, Dispute, Document, LocalAgreement, Membership, Organisation
from scripts.loadtest import REQUIRED, make_pdf

BASE_DIR = Path(settings.BASE_DIR)
PARTIES = 20
STAFF_ROLES = ("secretary", "commission_chair", "minister_official")
WORKERS = 3
#: Generous on purpose: on 2 shared cores 23 clients queue for 3 workers, so latency is mostly waiting.
SUBMIT_P95_BOUND_MS = int(os.environ.get("LOAD_SUBMIT_P95_MS", "30000"))
ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(M)s'  # %(M)s: time in the worker, milliseconds
ACCESS_RE = re.compile(r'"(GET|POST) (\S+) HTTP/[\d.]+" (\d{3}) (\d+)$')
PASSWORD = "Belastingtest-" + secrets.token_urlsafe(12)

pytestmark = [
    pytest.mark.load,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the load test runs on the production shape: set DATABASE_URL to a PostgreSQL database",
    ),
    pytest.mark.django_db(transaction=True),
]


def _prepare() -> dict:
    """The overleg, its organisations and users, committed so that gunicorn sees them."""
    User = get_user_model()  # noqa: N806
    hashed = make_password(PASSWORD)  # hashed once: 23 users share the password
    today = clock.today()
    gemeente = Organisation.objects.create(name="Gemeente Lasthoven", kind="gemeente")
    corporatie = Organisation.objects.create(name="Woonstichting Lasthoven", kind="woningcorporatie")
    tenants = [Organisation.objects.create(name=f"Huurdersvereniging Lasthoven {i:02d}", kind="huurdersorganisatie")
               for i in range(1, PARTIES + 1)]
    agreement = LocalAgreement.objects.create(municipality=gemeente, year=today.year,
                                              overleg_started_on=today - timedelta(days=300))
    agreement.corporations.add(corporatie)
    agreement.tenant_organisations.add(*tenants)

    def user(username, organisation=None, role=None):
        u = User.objects.create(username=username, email=f"{username}@example.nl", password=hashed)
        if organisation is not None:
            Membership.objects.create(user=u, organisation=organisation)
        if role is not None:
            u.groups.add(Group.objects.get_or_create(name=role)[0])
        return u

    corp_user = user("corp-load", corporatie)
    user("gem-load", gemeente)
    # the effort log of the overleg has its bid, so the wizard's effort step is complete for everyone
    services.effort_record(agreement=agreement, actor=corp_user, kind="bod",
                           occurred_on=today - timedelta(days=200), summary="Bod van de corporatie")
    parties = [user(f"party{i:02d}", org) for i, org in enumerate(tenants, start=1)]
    staff = [user(f"staff-{role}", role=role) for role in STAFF_ROLES]
    return {
        "parties": [{"username": u.username, "password": PASSWORD, "respondents": [str(corporatie.pk),
                                                                                  str(gemeente.pk)]}
                    for u in parties],
        "staff": [{"username": u.username, "password": PASSWORD} for u in staff],
        "arose_on": (today - timedelta(days=14)).strftime("%d-%m-%Y"),
        "kind": "totstandkoming",
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_until_up(base_url: str, proc: subprocess.Popen, log_path: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"gunicorn stopped ({proc.returncode}):\n{log_path.read_text()[-4000:]}")
        try:
            if httpx.get(f"{base_url}/inloggen/", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer within {seconds} s:\n{log_path.read_text()[-4000:]}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()  # graceful: the master stops its workers
        try:
            proc.wait(timeout=35)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _server_times(log_path: Path) -> dict:
    """Time spent inside the workers (gunicorn's %(M)s), per request type: latency minus queueing."""
    kinds = (("submit", "POST", "/controleren/"), ("upload", "POST", "/documenten/toevoegen/"),
             ("login_post", "POST", "/inloggen/"), ("worklist", "GET", "/werk/"))
    times: dict[str, list[int]] = {}
    for line in log_path.read_text().splitlines():
        match = ACCESS_RE.search(line)
        if not match:
            continue
        method, path, _status, ms = match.groups()
        for name, m, part in kinds:
            if method == m and (path.endswith(part) if part != "/werk/" else path == part):
                times.setdefault(name, []).append(int(ms))
    out = {}
    for name, values in times.items():
        values.sort()
        out[name] = {"count": len(values), "p50_ms": values[len(values) // 2],
                     "p95_ms": values[min(len(values) - 1, int(len(values) * 0.95))], "max_ms": values[-1]}
    return out


def test_concurrent_filings_on_gunicorn_and_postgres(tmp_path):
    spec = _prepare()
    # the documents every party sends: a 2 MB verzoek and small PDFs for the rest of the checklist
    documents = []
    for doc_type in REQUIRED[spec["kind"]]:
        content = make_pdf(2 * 1024 * 1024 if doc_type == "verzoek" else 20 * 1024, title=doc_type)
        path = tmp_path / f"{doc_type}.pdf"
        path.write_bytes(content)
        documents.append({"doc_type": doc_type, "path": str(path), "size": len(content),
                          "sha256": hashlib.sha256(content).hexdigest()})
    sent = {d["doc_type"]: (d["size"], d["sha256"]) for d in documents}

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    private = tmp_path / "private"
    private.mkdir()
    out_dir = BASE_DIR / "var" / "load"
    out_dir.mkdir(parents=True, exist_ok=True)
    log_path = out_dir / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48)[:64],
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback, no TLS proxy in front
        "DJANGO_CACHE_URL": "locmem://",  # the test database has no cache table (the brakes are not measured)
        "DJANGO_STAFF_TWO_FACTOR": "0",
        "PRIVATE_MEDIA_ROOT": str(private),
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    env.pop("GUNICORN_CMD_ARGS", None)
    spec.update(base_url=base_url, documents=[{"doc_type": d["doc_type"], "path": d["path"]} for d in documents])
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps(spec))
    result_path = tmp_path / "result.json"

    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi",
             "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--access-logformat", ACCESS_LOG_FORMAT],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(base_url, proc, log_path)
            started = time.perf_counter()
            run = subprocess.run(
                [sys.executable, "scripts/loadtest.py", "--spec", str(spec_path), "--out", str(result_path)],
                cwd=BASE_DIR, capture_output=True, text=True, timeout=300,
            )
            elapsed = time.perf_counter() - started
        finally:
            _stop(proc)

    print(run.stdout)
    if run.stderr:
        print(run.stderr[-4000:])
    assert result_path.exists(), f"the load generator wrote no result ({run.returncode})"
    result = json.loads(result_path.read_text())
    result["run"] = {
        "date": clock.now().isoformat(timespec="seconds"), "gunicorn_workers": WORKERS,
        "gunicorn_threads": int(os.environ.get("GUNICORN_THREADS", "2")), "cpus": os.cpu_count(),
        "submit_p95_bound_ms": SUBMIT_P95_BOUND_MS,
        "load_process_seconds": round(elapsed, 2), "database": connection.settings_dict["NAME"],
    }

    result["server_side"] = _server_times(log_path)

    # -- what the database holds ----------------------------------------------------------------------------
    year = clock.today().year
    disputes = list(Dispute.objects.order_by("case_number"))
    numbers = [d.case_number for d in disputes]
    expected_numbers = [f"{settings.CASE_NUMBER_PREFIX}-{year}-{n:04d}" for n in range(1, PARTIES + 1)]
    lost = []
    for filing in result["filings"]:
        for doc in filing["documents"]:
            row = Document.objects.filter(pk=doc["id"], dispute_id=filing["dispute"]).first()
            on_disk = hashlib.sha256((private / row.file.name).read_bytes()).hexdigest() if row else None
            size, sha = sent[doc["doc_type"]]
            if row is None or (row.size, row.sha256, on_disk) != (size, sha, sha) or row.submitted_at is None \
                    or row.doc_type != doc["doc_type"] or row.withdrawn_at is not None:
                lost.append((filing["username"], doc["doc_type"], doc["id"]))
    per_dispute = {
        str(d.pk): sorted(d.documents.current().exclude(doc_type="ontvangstbevestiging")
                          .values_list("doc_type", "size", "sha256"))
        for d in disputes
    }
    expected_docs = sorted((t, s, h) for t, (s, h) in sent.items())
    result["checks"] = {
        "disputes": len(disputes),
        "states": sorted({d.state for d in disputes}),
        "case_numbers": numbers,
        "documents_checked": sum(len(f["documents"]) for f in result["filings"]),
        "documents_lost_or_changed": lost,
    }
    (out_dir / "latest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    submit = result["requests"].get("submit", {})
    print(f"\nload: {result['totals']['filings_ok']}/{PARTIES} filings, {result['totals']['requests']} requests, "
          f"{result['totals']['errors']} errors, {result['totals']['wall_seconds']} s; submit p50 "
          f"{submit.get('p50_ms')} ms p95 {submit.get('p95_ms')} ms (in the worker: "
          f"{result['server_side'].get('submit')}); figures in var/load/latest.json")

    # -- the verdict -------------------------------------------------------------------------------------------
    assert result["totals"]["errors"] == 0, json.dumps(result["errors"][:5], indent=2, ensure_ascii=False)
    assert result["totals"]["server_errors_5xx"] == 0
    assert result["totals"]["filings_ok"] == PARTIES
    assert all(r["ok"] and r["reads"] > 0 for r in result["worklist_readers"]), result["worklist_readers"]
    assert len(disputes) == PARTIES and {d.state for d in disputes} == {"submitted"}
    assert numbers == expected_numbers, numbers
    assert sorted(f["case_number"] for f in result["filings"]) == expected_numbers  # shown to each party
    assert CaseNumberCounter.objects.get(year=year).last == PARTIES
    assert not lost, lost
    assert all(docs == expected_docs for docs in per_dispute.values()), per_dispute
    assert submit["count"] == PARTIES and submit["p95_ms"] < SUBMIT_P95_BOUND_MS, submit
