"""The field app's shell, opened offline on a slow phone (issue 16: under 1 s on a 4x CPU
throttle).

    uv run python bench/field_shell.py [--var DIR] [--runs 5] [--throttle 4]

A server (runserver, POLMAS_DEBUG=1) on a database under `--var` (default: a fresh one: migrate
only, which is all the shell needs) serves /lapangan/ once online, so the service worker
installs and caches the shell. Then the network is cut for the page and its worker (routes
that abort, with PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS=1), the CPU is slowed with
Chrome's `Emulation.setCPUThrottlingRate`, and the page is reloaded `--runs` times. Timed per
run: from the reload to the app's own "ready" mark (`window.polmasField.ready`, set once the
outbox is opened and the first screen drawn), and the navigation's DOMContentLoaded from
the Navigation Timing API. Prints JSON: each run and the median.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"  # before Playwright starts

from playwright.sync_api import sync_playwright  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _up(url: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not come up")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--var", help="POLMAS_VAR_DIR of an existing database (default: a fresh one)")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--throttle", type=float, default=4.0)
    args = p.parse_args()
    var = Path(args.var) if args.var else Path(tempfile.mkdtemp(prefix="field-shell-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(POLMAS_DEBUG="1", POLMAS_VAR_DIR=str(var))
    uv = shutil.which("uv")
    if not args.var:
        subprocess.run([uv, "run", "polmas", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)  # noqa: S603
    port = _port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([uv, "run", "polmas", "runserver", f"127.0.0.1:{port}", "--noreload"],  # noqa: S603
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    offline = False
    try:
        _up(url)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
            context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=url,
                                          service_workers="allow")
            context.route("**/*", lambda route: route.abort("internetdisconnected") if offline
                          else route.continue_())
            page = context.new_page()
            page.goto("/lapangan/")
            deadline = time.monotonic() + 60
            while not page.evaluate("navigator.serviceWorker.controller !== null && "
                                    "!!(window.polmasField && window.polmasField.ready)"):
                if time.monotonic() > deadline:
                    raise SystemExit("the service worker did not take control")
                page.reload()
                page.wait_for_timeout(500)
            offline = True
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": args.throttle})
            runs = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                page.reload(wait_until="commit")
                while not page.evaluate("!!(window.polmasField && window.polmasField.ready)"):
                    page.wait_for_timeout(10)
                ready = time.perf_counter() - t0
                dcl = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
                runs.append({"ready_s": round(ready, 3), "dom_content_loaded_s": round(dcl / 1000, 3)})
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    out = {"throttle": args.throttle, "runs": runs,
           "median_ready_s": statistics.median(r["ready_s"] for r in runs),
           "median_dom_content_loaded_s": statistics.median(r["dom_content_loaded_s"] for r in runs),
           "target_s": 1.0}
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
