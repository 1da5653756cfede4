"""Run the web server and one Celery worker with beat side by side; Ctrl-C stops both.

Used by ``make run`` on the embedded default (filesystem:// broker, SQLite).
"""

import argparse
import os
import signal
import subprocess
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()
    env = dict(os.environ)
    python = sys.executable
    # WARNING by default: at INFO the worker logs every one of the demo's e-mail tasks right after the demo
    # log-ins were printed, and they scroll out of sight (WORKER_LOGLEVEL=INFO shows them)
    loglevel = env.get("WORKER_LOGLEVEL", "WARNING")
    worker = subprocess.Popen(
        [python, "-m", "celery", "-A", "config", "worker", "-B", "--pool=solo", f"--loglevel={loglevel}"],
        env=env,
    )
    web = subprocess.Popen([python, "manage.py", "runserver", f"{args.host}:{args.port}", "--noreload"], env=env)
    children = [web, worker]

    def stop(*_):
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()

    signal.signal(signal.SIGTERM, lambda *a: (stop(), sys.exit(0)))
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
