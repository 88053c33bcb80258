"""Probes of the hand-in service as a hostile participant would try it, on a real local hub.

Starts deploy/jupyterhub's hub (tests/hub/hubtools.py: free loopback ports, a temporary state
folder, torn down at the end) and, while a sampler reads the service's memory (RSS) every 50 ms:

1. 16 POSTs at once that announce 31 MB and start sending it, with no token; then the same with a
   participant's token;
2. 16 hand-ins at once of a work file padded with spaces to 7.99 MB (with a token: each is read);
3. 100 connections at once that announce 30 MB and send 1 KB, then nothing (no token, then with a
   token), and 100 that announce 5 MB (under the limit) and send 1 KB with a token: how long until
   the service has closed every one;
4. one person handing in 25 padded files of 7.99 MB: the bytes kept for them;
5. a facilitator's token revoked: how long until it no longer lists hand-ins.

Usage: .venv/bin/python benchmarks/handin_probe.py   (about 2 minutes)
Prints the figures, then one JSON line; exits 1 if the service went over 300 MB or a slow
connection stayed open 30 s or more.
"""

from __future__ import annotations

import json
import socket
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "hub"))

import hubtools  # noqa: E402
import psutil  # noqa: E402

from plkit import handin  # noqa: E402
from plkit.handin_service import MAX_BODY  # noqa: E402
from plkit.model import Participant, Work  # noqa: E402
from plkit.work import work_bytes  # noqa: E402

PREFIX = "/services/handin/"
MEMORY_LIMIT_MB = 300
CLOSE_LIMIT_S = 30


class Sampler(threading.Thread):
    def __init__(self, process: psutil.Process) -> None:
        super().__init__(daemon=True)
        self.process, self.peak, self.running = process, 0, True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.05)


def service_process(hub: hubtools.Hub) -> psutil.Process:
    for process in psutil.Process(hub.process.pid).children(recursive=True):
        if "plkit.handin_service" in " ".join(process.cmdline()):
            return process
    raise hubtools.HubError("no hand-in service among the hub's processes")


def head(port: int, size: int, token: str | None) -> bytes:
    auth = f"Authorization: token {token}\r\n" if token else ""
    return (f"POST {PREFIX}api/handin HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{auth}"
            f"Content-Type: application/json\r\nContent-Length: {size}\r\n\r\n").encode()


def big_post(port: int, size: int, token: str | None) -> str:
    """Announce ``size`` bytes and send them as fast as the service takes them; what it answered."""
    with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
        sock.sendall(head(port, size, token))
        chunk, sent = b" " * 1_048_576, 0
        try:
            while sent < size:
                sock.sendall(chunk[: size - sent])
                sent += len(chunk)
        except OSError:
            pass  # the service answered and closed: the rest was never read
        try:
            return sock.recv(200).split(b"\r\n", 1)[0].decode() or "closed"
        except OSError:
            return "closed"


def slow_post(port: int, size: int, token: str | None) -> float:
    """Announce ``size`` bytes, send 1 KB, then nothing: seconds until the service closes the connection."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=150) as sock:
        sock.sendall(head(port, size, token) + b" " * 1024)
        try:
            while sock.recv(65536):
                pass
        except TimeoutError:
            return float("inf")
        except OSError:
            pass
    return time.monotonic() - started


def padded_file(name: str, size: int = 7_990_000) -> bytes:
    raw = work_bytes(Work(participant=Participant(name=name), framework="air-whwwpl"))
    return raw.replace(b"{", b"{" + b" " * (size - len(raw)), 1)


def main() -> int:
    why = hubtools.missing()
    if why:
        print(f"No hub here: {why}.")
        return 1
    figures: dict = {}
    with tempfile.TemporaryDirectory(prefix="plkit-handin-probe-") as folder, \
            hubtools.Hub(Path(folder) / "state") as hub:
        port = int(hub.handin_url.split(":")[2].split("/")[0])
        for name in ("ana", "ben", hubtools.FACILITATOR):
            hub.add_user(name)
        ana = hub.user_token("ana")
        service = service_process(hub)
        figures["rss_start_mb"] = round(service.memory_info().rss / 1e6)
        sampler = Sampler(service)
        sampler.start()

        def probe(label: str, work, count: int):
            sampler.peak = service.memory_info().rss
            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=count) as pool:
                results = list(pool.map(lambda _: work(), range(count)))
            sampler.peak = max(sampler.peak, service.memory_info().rss)
            figures[f"{label}_peak_mb"] = round(sampler.peak / 1e6)
            figures[f"{label}_s"] = round(time.monotonic() - started, 1)
            return results

        answers = probe("post31mb_no_token", lambda: big_post(port, 31_000_000, None), 16)
        figures["post31mb_no_token_answers"] = sorted(set(answers))
        answers = probe("post31mb_token", lambda: big_post(port, 31_000_000, ana), 16)
        figures["post31mb_token_answers"] = sorted(set(answers))
        padded = padded_file("Ana")
        answers = probe("handin8mb_x16", lambda: big_post_body(port, padded, ana), 16)
        figures["handin8mb_x16_answers"] = sorted(set(answers))

        for label, size, token in (("slow30mb_no_token", 30_000_000, None), ("slow30mb_token", 30_000_000, ana),
                                   ("slow5mb_token", 5_000_000, ana)):
            closed = probe(label, lambda size=size, token=token: slow_post(port, size, token), 100)
            figures[f"{label}_closed_max_s"] = round(max(closed), 1)
            figures[f"{label}_closed_median_s"] = round(sorted(closed)[len(closed) // 2], 1)

        env = {handin.URL_SETTING: hub.handin_url, handin.TOKEN_SETTING: hub.user_token("ben")}
        for number in range(25):
            handin.hand_in(padded_file(f"Ben {number}"), env)
        person = hub.state / "handins"
        figures["quota_25_padded_sent_mb"] = round(25 * 7.99, 1)
        figures["quota_25_padded_kept_kb"] = round(sum(p.stat().st_size for p in person.rglob("*")
                                                       if p.is_file() and "ben" in str(p)) / 1000, 1)

        made = hub.api("POST", f"users/{hubtools.FACILITATOR}/tokens", {"note": "probe", "expires_in": 600})
        facilitator = {handin.URL_SETTING: hub.handin_url, handin.TOKEN_SETTING: made["token"]}
        handin.handins(facilitator)
        hub.api("DELETE", f"users/{hubtools.FACILITATOR}/tokens/{made['id']}")
        revoked = time.monotonic()
        while True:
            try:
                handin.handins(facilitator)
            except handin.HandinError:
                break
        figures["revoked_token_refused_after_s"] = round(time.monotonic() - revoked, 1)
        sampler.running = False
        figures["rss_end_mb"] = round(service.memory_info().rss / 1e6)
    peaks = [value for key, value in figures.items() if key.endswith("_peak_mb")]
    closes = [value for key, value in figures.items() if key.endswith("_closed_max_s")]
    for key, value in figures.items():
        print(f"  {key}: {value}")
    print(json.dumps(figures))
    ok = max(peaks) < MEMORY_LIMIT_MB and max(closes) < CLOSE_LIMIT_S
    print(f"service memory at most {max(peaks)} MB (limit {MEMORY_LIMIT_MB}); every slow connection closed "
          f"within {max(closes)} s (limit {CLOSE_LIMIT_S}): {'ok' if ok else 'NOT OK'}")
    return 0 if ok else 1


def big_post_body(port: int, body: bytes, token: str) -> str:
    """A whole hand-in of ``body``; what the service answered."""
    assert len(body) <= MAX_BODY
    with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
        sock.sendall(head(port, len(body), token) + body)
        try:
            return sock.recv(200).split(b"\r\n", 1)[0].decode() or "closed"
        except OSError:
            return "closed"


if __name__ == "__main__":
    sys.exit(main())
