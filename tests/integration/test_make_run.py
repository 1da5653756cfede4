"""`make run` on a developer's machine (issue 13, item 11): the demo log-ins stay in sight and the links in the
e-mails point at the port the site is served on."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_sets_the_site_address_from_its_port_and_keeps_e_mails_as_files():
    commands = subprocess.run(["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout
    server = commands[commands.index("scripts.devserver") - 400:]
    assert "SITE_URL='http://127.0.0.1:8123'" in server
    assert "django.core.mail.backends.filebased.EmailBackend" in server
    assert "--port 8123" in server


def test_the_worker_of_make_run_does_not_log_every_task_unless_asked(monkeypatch):
    """At INFO the worker logged each of the demo's ~125 e-mail tasks right under the printed log-ins."""
    from scripts import devserver

    started = []

    class Child:
        def __init__(self, args, env):
            started.append(args)

        def poll(self):
            return 0  # ends at once: main() returns

        def send_signal(self, _signal):
            pass

        def wait(self, timeout=None):
            return 0

    monkeypatch.setattr(devserver.subprocess, "Popen", Child)
    monkeypatch.setattr(sys, "argv", ["devserver", "--port", "8123"])
    monkeypatch.delenv("WORKER_LOGLEVEL", raising=False)
    assert devserver.main() == 0
    worker = next(args for args in started if "celery" in args)
    assert "--loglevel=WARNING" in worker
    monkeypatch.setenv("WORKER_LOGLEVEL", "INFO")
    started.clear()
    devserver.main()
    assert "--loglevel=INFO" in next(args for args in started if "celery" in args)
