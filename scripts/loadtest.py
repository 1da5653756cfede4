"""Load generator for the production shape (gunicorn + PostgreSQL), run as a second process on loopback.

Plain asyncio + httpx. It expects a server that is already running on a prepared database (see
tests/load/test_load.py, which prepares one and starts gunicorn) and a JSON spec:

    {
      "base_url": "http://127.0.0.1:8123",
      "kind": "totstandkoming",                      # optional
      "arose_on": "05-01-2026",                      # optional, dd-mm-yyyy (default: 14 days ago)
      "parties": [{"username": "party01", "password": "...", "respondents": ["<org pk>", ...]}, ...],
      "staff":   [{"username": "sec", "password": "..."}, ...],
      "documents": [{"doc_type": "verzoek", "path": "/tmp/verzoek.pdf"}, ...]   # optional
    }

Every party, concurrently: log in (CSRF token from the form), walk the filing wizard to a complete
draft (kind, agreement, parties, date and title, one dispute point with a position, the documents
through the upload endpoint the browser script uses), submit on the review step and read the case
number from the confirmation page. At the same time every staff user reads the worklist ``/werk/``
over and over until the parties are done. Staff two-factor must be off on the server
(``DJANGO_STAFF_TWO_FACTOR=0``).

Every request's latency and status is recorded; the result (p50/p95/max per request type, totals,
and per party the dispute, case number and the size and SHA-256 of every document sent) is printed
as JSON and, with ``--out``, written to a file.

    python scripts/loadtest.py --spec spec.json --out result.json

Without ``documents`` in the spec a 2 MB ``verzoek`` and small PDFs for the other required types of
the kind are generated with reportlab (``make_pdf``).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import json
import random
import re
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

#: Documents the checklist requires per kind (disputes/portal/prechecks.py REQUIRED_DOCUMENTS).
REQUIRED = {
    "totstandkoming": ("verzoek", "bod", "woonvisie", "verslag_overleg", "concept_prestatieafspraken",
                       "correspondentie"),
    "nakoming": ("verzoek", "ondertekende_prestatieafspraken", "monitor", "ingebrekestelling"),
}

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')
VERSION_RE = re.compile(r'<input[^>]*name="expected_version"[^>]*>')
VALUE_RE = re.compile(r'value="(\d+)"')
DRAFT_RE = re.compile(r"/portaal/geschillen/([0-9a-f-]{36})/indienen/datum/")
CASE_NUMBER_RE = re.compile(r"\b[A-Z]+-\d{4}-\d{4,}\b")


# -- test documents ---------------------------------------------------------------------------------------------

def make_pdf(target_bytes: int = 2 * 1024 * 1024, *, title: str = "verzoek", seed: int = 44) -> bytes:
    """A valid PDF of about ``target_bytes``: one page of text plus an image of random (incompressible)
    pixels sized to reach the target. Deterministic for the same arguments (reportlab ``invariant=1``)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setTitle(title)
    c.drawString(72, 780, f"Geschil artikel 44 Woningwet - {title}")
    c.drawString(72, 764, "Belastingtest: dit document is gegenereerd door scripts/loadtest.py.")
    # reportlab stores the pixels Flate-compressed (nothing to gain on noise) and ASCII85-encoded (x 5/4)
    pixels = int(max(0, target_bytes - 4000) / 3.75)
    if pixels:
        from PIL import Image

        side = int(pixels ** 0.5)
        rng = random.Random(f"{seed}-{title}")
        image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
        c.drawImage(ImageReader(image), 72, 200, width=450, height=450)
    c.showPage()
    c.save()
    return buf.getvalue()


# -- recording --------------------------------------------------------------------------------------------------

class Recorder:
    def __init__(self) -> None:
        self.samples: list[tuple[str, int, float]] = []  # (request type, status, seconds)
        self.errors: list[dict] = []

    def add(self, name: str, status: int, seconds: float) -> None:
        self.samples.append((name, status, seconds))

    def error(self, who: str, name: str, status: int, detail: str) -> None:
        self.errors.append({"who": who, "request": name, "status": status, "detail": detail[:500]})

    @staticmethod
    def _pct(values: list[float], p: float) -> float:
        ordered = sorted(values)
        index = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
        return ordered[index]

    def summary(self) -> dict:
        by_type: dict[str, list[tuple[int, float]]] = {}
        for name, status, seconds in self.samples:
            by_type.setdefault(name, []).append((status, seconds))
        out = {}
        for name in sorted(by_type):
            rows = by_type[name]
            times = [s for _status, s in rows]
            statuses: dict[str, int] = {}
            for status, _s in rows:
                statuses[str(status)] = statuses.get(str(status), 0) + 1
            out[name] = {
                "count": len(rows), "statuses": statuses,
                "p50_ms": round(self._pct(times, 50) * 1000, 1), "p95_ms": round(self._pct(times, 95) * 1000, 1),
                "max_ms": round(max(times) * 1000, 1),
            }
        return out


class Failed(Exception):
    pass


class Session:
    """One browser: its own cookie jar, every request timed and checked against the expected status."""

    def __init__(self, base_url: str, who: str, recorder: Recorder, timeout: float) -> None:
        self.who = who
        self.recorder = recorder
        self.client = httpx.AsyncClient(base_url=base_url, follow_redirects=False, timeout=timeout)

    async def request(self, name: str, method: str, url: str, *, expect=(200,), **kwargs) -> httpx.Response:
        start = time.perf_counter()
        try:
            response = await self.client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            seconds = time.perf_counter() - start
            self.recorder.add(name, 0, seconds)
            self.recorder.error(self.who, name, 0, f"{type(exc).__name__}: {exc}")
            raise Failed(f"{name}: {exc}") from exc
        seconds = time.perf_counter() - start
        self.recorder.add(name, response.status_code, seconds)
        if response.status_code not in expect:
            detail = f"{method} {url} -> {response.status_code} {response.headers.get('location', '')} " + \
                     re.sub(r"\s+", " ", response.text[:2000])
            self.recorder.error(self.who, name, response.status_code, detail)
            raise Failed(f"{name}: {response.status_code}")
        return response

    async def close(self) -> None:
        await self.client.aclose()


def csrf_of(response: httpx.Response) -> str:
    match = CSRF_RE.search(response.text)
    if not match:
        raise Failed(f"no CSRF token on {response.request.url}")
    return match.group(1)


def version_of(response: httpx.Response) -> str:
    tag = VERSION_RE.search(response.text)
    value = VALUE_RE.search(tag.group(0)) if tag else None
    if not value:
        raise Failed(f"no expected_version on {response.request.url}")
    return value.group(1)


def location(response: httpx.Response) -> str:
    return response.headers["location"]


async def log_in(session: Session, username: str, password: str) -> None:
    page = await session.request("login_get", "GET", "/inloggen/")
    await session.request("login_post", "POST", "/inloggen/", expect=(302,), data={
        "csrfmiddlewaretoken": csrf_of(page), "username": username, "password": password,
    })


# -- one party --------------------------------------------------------------------------------------------------

async def file_one(party: dict, spec: dict, documents: list[dict], recorder: Recorder, timeout: float) -> dict:
    who = party["username"]
    session = Session(spec["base_url"], who, recorder, timeout)
    result = {"username": who, "ok": False, "dispute": None, "case_number": None, "documents": []}
    kind = spec.get("kind", "totstandkoming")
    try:
        await log_in(session, who, party["password"])
        # step 1: kind (nothing stored yet)
        page = await session.request("wizard_get", "GET", "/portaal/nieuw/")
        response = await session.request("wizard_post", "POST", "/portaal/nieuw/", expect=(302,),
                                         data={"csrfmiddlewaretoken": csrf_of(page), "kind": kind})
        # step 2a: one agreement, so straight on to the parties
        response = await session.request("wizard_get", "GET", location(response), expect=(302,))
        parties_url = location(response)
        page = await session.request("wizard_get", "GET", parties_url)
        response = await session.request("create_draft", "POST", parties_url, expect=(302,), data={
            "csrfmiddlewaretoken": csrf_of(page), "respondents": [str(pk) for pk in party["respondents"]],
        })
        match = DRAFT_RE.search(location(response))
        if not match:
            raise Failed(f"no draft in {location(response)}")
        pk = match.group(1)
        result["dispute"] = pk
        base = f"/portaal/geschillen/{pk}/indienen"
        # step 3: date and title
        page = await session.request("wizard_get", "GET", f"{base}/datum/")
        await session.request("wizard_post", "POST", f"{base}/datum/", expect=(302,), data={
            "csrfmiddlewaretoken": csrf_of(page), "expected_version": version_of(page),
            "arose_on": spec["arose_on"], "title": f"Geen overeenstemming over nieuwbouw ({who})", "action": "next",
        })
        # step 4: one dispute point with the applicant's position
        page = await session.request("wizard_get", "GET", f"{base}/geschilpunten/")
        await session.request("wizard_post", "POST", f"{base}/geschilpunten/", expect=(302,), data={
            "csrfmiddlewaretoken": csrf_of(page), "expected_version": version_of(page),
            "points-TOTAL_FORMS": "1", "points-INITIAL_FORMS": "0", "points-MIN_NUM_FORMS": "0",
            "points-MAX_NUM_FORMS": "100", "points-0-point_id": "", "points-0-title": "Aantal sociale huurwoningen",
            "points-0-position": f"Wij vragen 200 nieuwe sociale huurwoningen per jaar ({who}).", "action": "next",
        })
        # step 5 (effort log) is read only: the agreement's log already has an entry
        await session.request("wizard_get", "GET", f"{base}/logboek/")
        # step 6: documents, one request per file as the browser script sends them
        page = await session.request("wizard_get", "GET", f"{base}/documenten/")
        token = csrf_of(page)
        for doc in documents:
            name = "upload_2mb" if doc["size"] >= 1024 * 1024 else "upload_small"
            response = await session.request(
                name, "POST", f"{base}/documenten/toevoegen/",
                headers={"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"},
                data={"csrfmiddlewaretoken": token, "doc_type": doc["doc_type"]},
                files={"files": (f"{doc['doc_type']}.pdf", doc["content"], "application/pdf")},
            )
            body = response.json()
            if not body.get("ok") or len(body.get("results", [])) != 1:
                recorder.error(who, name, response.status_code, json.dumps(body)[:500])
                raise Failed(f"upload refused: {body}")
            result["documents"].append({"doc_type": doc["doc_type"], "id": body["results"][0]["id"],
                                        "size": doc["size"], "sha256": doc["sha256"]})
        # step 7 and 8: review, submit, confirmation with the case number
        page = await session.request("review_get", "GET", f"{base}/controleren/")
        response = await session.request("submit", "POST", f"{base}/controleren/", expect=(302,), data={
            "csrfmiddlewaretoken": csrf_of(page), "expected_version": version_of(page), "confirm": "on",
        })
        if not location(response).endswith(f"/portaal/geschillen/{pk}/ingediend/"):
            recorder.error(who, "submit", response.status_code, f"redirect to {location(response)}")
            raise Failed("submit did not lead to the confirmation")
        page = await session.request("submitted_get", "GET", location(response))
        match = CASE_NUMBER_RE.search(page.text)
        if not match:
            recorder.error(who, "submitted_get", page.status_code, "no case number on the confirmation page")
            raise Failed("no case number")
        result["case_number"] = match.group(0)
        result["ok"] = True
    except Failed as exc:
        result["error"] = str(exc)
    except Exception as exc:  # noqa: BLE001 - a broken page must show up as an error, not a traceback
        recorder.error(who, "client", -1, f"{type(exc).__name__}: {exc}")
        result["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        await session.close()
    return result


# -- staff reading the worklist ---------------------------------------------------------------------------------

async def read_worklist(user: dict, spec: dict, recorder: Recorder, stop: asyncio.Event, pause: float,
                        timeout: float) -> dict:
    session = Session(spec["base_url"], user["username"], recorder, timeout)
    reads = 0
    try:
        await log_in(session, user["username"], user["password"])
        while not stop.is_set():
            await session.request("worklist", "GET", "/werk/")
            reads += 1
            if pause:
                try:
                    await asyncio.wait_for(stop.wait(), timeout=pause)
                except TimeoutError:
                    pass
        return {"username": user["username"], "ok": True, "reads": reads}
    except Failed as exc:
        return {"username": user["username"], "ok": False, "reads": reads, "error": str(exc)}
    finally:
        await session.close()


# -- the run ----------------------------------------------------------------------------------------------------

def load_documents(spec: dict) -> list[dict]:
    kind = spec.get("kind", "totstandkoming")
    docs = []
    if spec.get("documents"):
        for doc in spec["documents"]:
            docs.append({"doc_type": doc["doc_type"], "content": Path(doc["path"]).read_bytes()})
    else:
        for doc_type in REQUIRED[kind]:
            size = 2 * 1024 * 1024 if doc_type == "verzoek" else 20 * 1024
            docs.append({"doc_type": doc_type, "content": make_pdf(size, title=doc_type)})
    for doc in docs:
        doc["size"] = len(doc["content"])
        doc["sha256"] = hashlib.sha256(doc["content"]).hexdigest()
    return docs


async def run(spec: dict, *, staff_pause: float, timeout: float) -> dict:
    spec = dict(spec)
    spec.setdefault("arose_on", (date.today() - timedelta(days=14)).strftime("%d-%m-%Y"))
    documents = load_documents(spec)
    recorder = Recorder()
    stop = asyncio.Event()
    started = time.perf_counter()
    staff_tasks = [asyncio.create_task(read_worklist(u, spec, recorder, stop, staff_pause, timeout))
                   for u in spec.get("staff", [])]
    parties = await asyncio.gather(*(file_one(p, spec, documents, recorder, timeout) for p in spec["parties"]))
    filing_seconds = time.perf_counter() - started
    stop.set()
    staff = await asyncio.gather(*staff_tasks)
    wall = time.perf_counter() - started
    requests = recorder.summary()
    total = len(recorder.samples)
    return {
        "base_url": spec["base_url"],
        "parties": len(spec["parties"]),
        "staff": len(spec.get("staff", [])),
        "documents_per_filing": [{"doc_type": d["doc_type"], "size": d["size"]} for d in documents],
        "bytes_uploaded": sum(d["size"] for d in documents) * len(spec["parties"]),
        "totals": {
            "requests": total,
            "errors": len(recorder.errors),
            "server_errors_5xx": sum(1 for _n, status, _s in recorder.samples if status >= 500),
            "filings_ok": sum(1 for p in parties if p["ok"]),
            "filing_phase_seconds": round(filing_seconds, 2),
            "wall_seconds": round(wall, 2),
            "requests_per_second": round(total / wall, 1) if wall else None,
        },
        "requests": requests,
        "errors": recorder.errors[:50],
        "filings": parties,
        "worklist_readers": staff,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", required=True, help="JSON file: base_url, parties, staff, documents")
    parser.add_argument("--out", help="write the result JSON here as well")
    parser.add_argument("--staff-pause", type=float, default=0.25, help="seconds between worklist reads")
    parser.add_argument("--timeout", type=float, default=120.0, help="per-request timeout in seconds")
    args = parser.parse_args(argv)
    spec = json.loads(Path(args.spec).read_text())
    result = asyncio.run(run(spec, staff_pause=args.staff_pause, timeout=args.timeout))
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text + "\n")
    summary = {"totals": result["totals"], "requests": result["requests"], "errors": result["errors"][:10]}
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0 if result["totals"]["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
