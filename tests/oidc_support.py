"""A real OpenID Connect provider for the tests, and a person signing in at it.

``running_provider`` starts panva's ``oidc-provider`` (npm, a devDependency in package.json; tests/oidc/provider.mjs)
as a second server on 127.0.0.1, on a free port, with the clients and accounts a test gives; ``route_for`` reads its
discovery document into the settings a deployment would configure (``OIDC_ROUTES``, config/settings.py);
``sign_in`` plays the person on the provider's own sign-in page with a real HTTP client (httpx). Nothing of the
protocol is mocked: the product trades the code for tokens at the provider, checks the ID token against the
provider's keys and reads its userinfo, all over HTTP.

Without node or the npm package the tests skip locally and fail in CI (tests/needs.py).
"""

import json
import os
import re
import select
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import httpx

from tests import needs

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"
PACKAGE = ROOT / "node_modules" / "oidc-provider" / "package.json"
#: the claim an eHerkenning broker carries the organisation's KvK number in (the product's default)
KVK_CLAIM = "urn:etoegang:1.9:EntityConcernedID:KvKnr"


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen
    log: Path

    def discovery(self) -> dict:
        return httpx.get(f"{self.issuer}/.well-known/openid-configuration", timeout=10).json()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_provider(*, clients: list[dict], accounts: dict[str, dict]):
    """An oidc-provider on 127.0.0.1 with these clients (client_id, client_secret, redirect_uris) and accounts
    (account id -> claims); stopped afterwards."""
    node = shutil.which("node")
    if node is None or not PACKAGE.exists():
        needs.missing("node with the npm package oidc-provider (npm install) is needed for the OpenID Connect tests")
    workdir = Path(tempfile.mkdtemp(prefix="oidc-provider-"))
    port = _free_port()
    config = workdir / "config.json"
    config.write_text(json.dumps({"port": port, "clients": clients, "accounts": accounts}))
    log = workdir / "provider.log"
    with open(log, "w") as errors:
        process = subprocess.Popen([node, str(SCRIPT), str(config)], cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=errors, text=True, env={**os.environ, "NODE_ENV": "test"})
    try:
        issuer = _wait_until_ready(process, log)
        yield Provider(issuer=issuer, process=process, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(workdir, ignore_errors=True)


def _wait_until_ready(process: subprocess.Popen, log: Path, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready:
            line = process.stdout.readline()
            if line.startswith("ready "):
                return line.split()[1]
        if process.poll() is not None:
            break
    raise RuntimeError(f"the OpenID Connect test provider did not start:\n{log.read_text()[-3000:]}")


def route_for(provider: Provider, *, client_id: str, client_secret: str, **options) -> dict:
    """The route settings a deployment would configure for this provider (OIDC_PARTY_* / OIDC_STAFF_*), from its
    discovery document."""
    found = provider.discovery()
    return {
        "issuer": found["issuer"],
        "client_id": client_id,
        "client_secret": client_secret,
        "authorization_endpoint": found["authorization_endpoint"],
        "token_endpoint": found["token_endpoint"],
        "userinfo_endpoint": found["userinfo_endpoint"],
        "jwks_endpoint": found["jwks_uri"],
        "sign_algo": "RS256",
        **options,
    }


_FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*method="post"', re.IGNORECASE)


def sign_in(authorization_url: str, login: str, *, back_to: str) -> str:
    """Sign in as ``login`` at the provider, from the product's redirect to the provider's authorization endpoint
    until the provider sends the browser back to ``back_to`` (the product's callback); returns that address, with
    its code and state. The provider's own development sign-in page is filled in like a person would."""
    with httpx.Client(follow_redirects=False, timeout=10) as http:
        response = http.get(authorization_url)
        for _step in range(10):
            if response.is_redirect:
                target = urljoin(str(response.url), response.headers["location"])
                if target.startswith(back_to):
                    return target
                response = http.get(target)
                continue
            form = _FORM.search(response.text)
            assert response.status_code == 200 and form, f"no sign-in form at the provider: {response.text[:500]}"
            action = urljoin(str(response.url), unescape(form.group(1)))
            response = http.post(action, data={"prompt": "login", "login": login, "password": "any"})
    raise AssertionError("the provider did not send the browser back")
