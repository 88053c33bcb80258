"""A room on the workshop hub: N participants at once, each with their own server, each works
through Workbook 2's code path and hands in; then the facilitator reads every hand-in.

Starts deploy/jupyterhub's hub (tests/hub/hubtools.py: free loopback ports, a temporary state
folder, torn down at the end; the kit pulled from a clone of this checkout). For every participant,
all at once (one thread each): the hub starts their server; nbgitpuller pulls the kit into their
home; a kernel is started beside Workbook 2 (as the app view does) and runs what the workbook runs,
``plkit.ui.self_assessment()``, then rates every practice through the screen's own controls (each
saved to their work file) and clicks *Hand in to my facilitator*. A sampler reads, every half
second, the memory (RSS) of each participant's server and its kernels. At the end the facilitator
reads every hand-in through the service, and each is compared with the answers given.

Figures: time to spawn and to pull (median, slowest), from sign-in (the spawn asked for) to the
first control (Workbook 2's screen built in the kernel), peak memory per participant (median,
largest), total time, hand-ins read (of N), lost answers (ratings missing or different in a
hand-in or in the participant's own work file), and what they mean for a server: participants per
GB at the largest peak.
Usage: .venv/bin/python benchmarks/hub_load.py [--participants 30]
Prints the figures, then one JSON line; exits 1 if a hand-in is missing, an answer is lost, or a
kernel failed to start (started again, or trouble in the servers' logs).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "hub"))

import hubtools  # noqa: E402  (tests/hub/hubtools.py: the throw-away hub)
from tornado.httpclient import HTTPClientError  # noqa: E402
from tornado.iostream import StreamClosedError  # noqa: E402
from tornado.websocket import WebSocketClosedError  # noqa: E402

from plkit import handin, load_framework, read_work  # noqa: E402
from plkit.work import WORK_FILE_NAME  # noqa: E402

DEFAULT_PARTICIPANTS = 30
READ_TIMEOUT = 240  # s without a message from the kernel: it is taken as lost, and started again
TRIES = 3  # a person whose kernel is lost reloads the page (a new kernel): at most this often
WORKBOOK = "plkit/workbooks/02_self_assessment.ipynb"
# Under load, 30 servers starting on two cores take longer than a hub's defaults allow.
LONGER_TIMEOUTS = """
c.Spawner.start_timeout = 900
c.Spawner.http_timeout = 900
"""
# What Workbook 2 runs, then a person's answers through the screen's own controls, then the
# save bar's hand-in button. Prints one JSON line: the ratings given and what the save bar said.
WORKBOOK_CODE = """
import json, time, plkit.ui
from ipykernel.kernelapp import IPKernelApp
screen = plkit.ui.self_assessment()
first_control = time.time()  # the screen is built: its first control exists (the page draws it next)
scale = [option.id for option in screen.framework.scale]
given = {}
for page in screen.pages:
    for number, (practice, toggle) in enumerate(page.ratings.items()):
        toggle.value = scale[(number + len(given)) % len(scale)]
        given[practice] = toggle.value
screen.save_bar.hand_in.click()
print(json.dumps({"given": given, "said": screen.save_bar.message.value, "first_control": first_control,
                  "transport": IPKernelApp.instance().transport}))
"""
# What the servers' logs say when a kernel does not start (e.g. two kernels given one TCP port).
KERNEL_TROUBLE = ("Address already in use", "restart failed", "Kernel died", "kernel died",
                  "KernelRestarter: restarting", "Timeout waiting for kernel_info")


class KernelLost(hubtools.HubError):
    """The kernel stopped answering (under load, one may fail to start): the person reloads."""


class MemorySampler(threading.Thread):
    """Every half second: each participant's server plus its kernels, keeping each one's peak: RSS
    (everything mapped, shared libraries counted again for every process) and USS (the memory only
    that process holds: what one more participant adds to a server)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peaks: dict[str, int] = {}
        self.unique: dict[str, int] = {}
        self.running = True

    def run(self) -> None:
        import psutil

        while self.running:
            for process in psutil.process_iter(["cmdline"]):
                try:
                    if not any("jupyterhub-singleuser" in part for part in process.info["cmdline"] or []):
                        continue
                    user = process.environ().get("JUPYTERHUB_USER", "")
                    family = [process, *process.children(recursive=True)]
                    memory = [member.memory_full_info() for member in family]
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                self.peaks[user] = max(self.peaks.get(user, 0), sum(m.rss for m in memory))
                self.unique[user] = max(self.unique.get(user, 0), sum(m.uss for m in memory))
            time.sleep(0.5)


def run_in_kernel(hub: hubtools.Hub, name: str, token: str, code: str) -> str:
    """Start a kernel beside Workbook 2 in ``name``'s server, run ``code``, return what it printed."""
    status, raw = hubtools.call("POST", f"{hub.url}/user/{quote(name)}/api/sessions", token, json.dumps(
        {"path": WORKBOOK, "type": "notebook", "name": "", "kernel": {"name": "python3"}}).encode(), timeout=600)
    if status != 201:
        raise hubtools.HubError(f"{name}: no kernel ({status} {raw[:300]!r})")
    kernel = json.loads(raw)["kernel"]["id"]
    try:
        return asyncio.run(_execute(hub, name, token, kernel, code))
    except (OSError, StreamClosedError, WebSocketClosedError, HTTPClientError) as exc:
        raise KernelLost(f"{name}: the kernel's connection failed ({type(exc).__name__})") from None


async def _execute(hub: hubtools.Hub, name: str, token: str, kernel: str, code: str) -> str:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    url = f"ws://127.0.0.1:{hub.port}/user/{quote(name)}/api/kernels/{kernel}/channels"
    socket = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {token}"},
                                                 request_timeout=600), max_message_size=50_000_000)
    msg_id = uuid.uuid4().hex
    await socket.write_message(json.dumps({
        "header": {"msg_id": msg_id, "username": name, "session": uuid.uuid4().hex,
                   "msg_type": "execute_request", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True},
    }))
    printed, errors, replied, idle = [], [], False, False
    while not (replied and idle):  # the reply (shell) and the output (iopub) come in any order
        try:
            raw = await asyncio.wait_for(socket.read_message(), timeout=READ_TIMEOUT)
        except asyncio.TimeoutError:
            raise KernelLost(f"{name}: no word from the kernel in {READ_TIMEOUT} s") from None
        if raw is None:
            raise KernelLost(f"{name}: the kernel's connection closed")
        message = json.loads(raw)
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = message["header"]["msg_type"]
        if kind == "stream":
            printed.append(message["content"]["text"])
        elif kind == "error":
            errors.append("\n".join(message["content"]["traceback"]))
        elif kind == "execute_reply":
            replied = True
        elif kind == "status" and message["content"].get("execution_state") == "idle":
            idle = True
    socket.close()
    if errors:
        raise hubtools.HubError(f"{name}: the workbook's code failed:\n{errors[0][-2000:]}")
    return "".join(printed)


def participant(hub: hubtools.Hub, name: str, token: str, repo: str) -> dict:
    """One person's whole session; their timings and the answers they gave."""
    started, signed_in = time.monotonic(), time.time()  # signing in is what asks the hub for the server
    spawn = hub.spawn(name, timeout=1200)
    before_pull = time.monotonic()
    hub.pull(name, token, repo)
    pull = time.monotonic() - before_pull
    for attempt in range(1, TRIES + 1):
        try:
            printed = run_in_kernel(hub, name, token, WORKBOOK_CODE)
            break
        except KernelLost:
            if attempt == TRIES:
                raise
    result = json.loads(printed.strip().splitlines()[-1])
    return {"name": name, "spawn_s": spawn, "pull_s": pull, "session_s": time.monotonic() - started,
            "first_control_s": result["first_control"] - signed_in, "transport": result["transport"],
            "given": result["given"], "said": result["said"], "kernel_retries": attempt - 1}


def lost_answers(hub: hubtools.Hub, results: list[dict], handed_in: dict[str, bytes], framework) -> int:
    """Ratings given that are missing or different in the hand-in or in the person's own work file."""
    lost = 0
    for result in results:
        copies = [read_work(handed_in[result["name"]], framework)] if result["name"] in handed_in else []
        own = hub.home(result["name"]) / "plkit" / "workbooks" / "my_work" / WORK_FILE_NAME
        copies.append(read_work(own, framework))
        for work in copies:
            lost += sum(1 for practice, rating in result["given"].items()
                        if work.self_assessment.ratings.get(practice) != rating)
        if len(copies) == 1:  # no hand-in: every answer lost to the facilitator
            lost += len(result["given"])
    return lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=DEFAULT_PARTICIPANTS)
    args = parser.parse_args()
    why = hubtools.missing()
    if why:
        print(f"No hub here: {why}.")
        return 1
    framework = load_framework()
    load_before = os.getloadavg()[0]
    names = [f"participant{number:02d}" for number in range(1, args.participants + 1)]
    with tempfile.TemporaryDirectory(prefix="plkit-hub-load-") as folder:
        repo = str(hubtools.source_repository(Path(folder) / "plkit"))
        with hubtools.Hub(Path(folder) / "state", extra_config=LONGER_TIMEOUTS) as hub:
            for name in [*names, hubtools.FACILITATOR]:
                hub.add_user(name)
            tokens = {name: hub.user_token(name) for name in [*names, hubtools.FACILITATOR]}
            sampler = MemorySampler()
            sampler.start()
            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=len(names)) as pool:
                results = list(pool.map(lambda name: participant(hub, name, tokens[name], repo), names))
            env = {handin.URL_SETTING: hub.handin_url, handin.TOKEN_SETTING: tokens[hubtools.FACILITATOR]}
            found, problems = handin.read_all(env)
            total = time.monotonic() - started
            sampler.running = False
            handed_in = {item.user: data for item, data in found}
            lost = lost_answers(hub, results, handed_in, framework)
            log = hub.log()
            trouble = sum(log.count(words) for words in KERNEL_TROUBLE)
    peaks_mb = [sampler.peaks.get(name, 0) / 1_048_576 for name in names]
    unique_mb = [sampler.unique.get(name, 0) / 1_048_576 for name in names]
    spawns = [r["spawn_s"] for r in results]
    pulls = [r["pull_s"] for r in results]
    firsts = [r["first_control_s"] for r in results]
    figures = {
        "participants": len(names),
        "spawn_s_median": round(statistics.median(spawns), 1), "spawn_s_max": round(max(spawns), 1),
        "pull_s_median": round(statistics.median(pulls), 1), "pull_s_max": round(max(pulls), 1),
        "first_control_s_median": round(statistics.median(firsts), 1), "first_control_s_max": round(max(firsts), 1),
        "peak_mb_median": round(statistics.median(peaks_mb)), "peak_mb_max": round(max(peaks_mb)),
        "peak_unique_mb_median": round(statistics.median(unique_mb)), "peak_unique_mb_max": round(max(unique_mb)),
        "total_s": round(total, 1),
        "handins_read": len([n for n in names if n in handed_in]), "handin_problems": problems,
        "lost_answers": lost,
        "ratings_per_person": len(results[0]["given"]) if results else 0,
        "kernels_started_again": sum(r["kernel_retries"] for r in results),
        "kernel_trouble_in_logs": trouble,
        "kernel_transports": sorted({r["transport"] for r in results}),
        "cores": os.cpu_count(), "load_before": round(load_before, 1), "load_after": round(os.getloadavg()[0], 1),
        "participants_per_gb": round(1024 / max(unique_mb), 1) if max(unique_mb) else None,
    }
    print(f"{len(names)} participants at once, each with their own server ({os.cpu_count()} cores; load average "
          f"{figures['load_before']} before, {figures['load_after']} after):")
    print(f"  spawn: median {figures['spawn_s_median']} s, slowest {figures['spawn_s_max']} s; "
          f"pull: median {figures['pull_s_median']} s, slowest {figures['pull_s_max']} s")
    print(f"  sign-in to the first control (server started, kit pulled, Workbook 2's screen built): median "
          f"{figures['first_control_s_median']} s, slowest {figures['first_control_s_max']} s")
    print(f"  peak memory per participant (server + kernel), RSS: median {figures['peak_mb_median']} MB, "
          f"largest {figures['peak_mb_max']} MB; unique (USS): median {figures['peak_unique_mb_median']} MB, "
          f"largest {figures['peak_unique_mb_max']} MB -> about {figures['participants_per_gb']} participants per GB")
    print(f"  total: {figures['total_s']} s; hand-ins read by the facilitator: {figures['handins_read']} of "
          f"{len(names)}; lost answers: {lost}; kernels that failed to start and were started again "
          f"(a reload): {figures['kernels_started_again']}; kernel trouble in the servers' logs: {trouble}")
    print(json.dumps(figures))
    clean = figures["kernels_started_again"] == 0 and trouble == 0
    return 0 if figures["handins_read"] == len(names) and lost == 0 and clean else 1


if __name__ == "__main__":
    sys.exit(main())
