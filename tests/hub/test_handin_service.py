"""The hand-in service's web side without a hub: a stand-in for the hub's token check, the real
service on a loopback port, real sockets. What a caller without a token, a slow or huge body, too
many uploads at once, a token in the address, or a very long name can and cannot do."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
import time
from urllib.parse import quote

import hubtools
import pytest
from tornado import web

from plkit import handin
from plkit.handin_folder import HandinFolder
from plkit.handin_service import Limits, serve, too_large
from plkit.model import Participant, Work
from plkit.work import work_bytes

PREFIX = "/services/handin/"
TOKENS = {"ana-token": "ana", "fac-token": "fac", "long-y": "y" * 300, "long-e": "é" * 100}
FACILITATORS = {"fac"}
QUICK = Limits(body_seconds=1, idle_seconds=1, uploads_at_once=1, wait_seconds=0.5)


class StandInAuth:
    """The part of jupyterhub's HubAuth the service uses: a token in the header names a user."""

    access_scopes: set = set()
    api_token = "service-token"

    def __init__(self, api_url: str) -> None:
        self.api_url = api_url

    async def get_user(self, handler, sync=False):
        header = handler.request.headers.get("Authorization", "")
        token = header.removeprefix("token ").strip()
        return {"name": TOKENS[token], "kind": "user"} if token in TOKENS else None

    def check_scopes(self, required, user):
        return True


class HubUsers(web.RequestHandler):
    """A stand-in for the hub's /users/<name> (the service asks who is a facilitator)."""

    def get(self, name):
        self.finish({"name": name, "admin": False, "groups": ["facilitators"] if name in FACILITATORS else []})


class Running:
    """The service (and the stand-in hub) on loopback ports, in a thread of their own."""

    def __init__(self, folder: HandinFolder, limits: Limits) -> None:
        self.folder, self.limits = folder, limits
        self.port, hub_port = hubtools.free_ports(2)
        self.hub_api = f"http://127.0.0.1:{hub_port}/hub/api"
        self.url = f"http://127.0.0.1:{self.port}{PREFIX}"
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)

            async def start() -> None:
                web.Application([(r"/hub/api/users/([^/]+)", HubUsers)]).listen(hub_port, "127.0.0.1")
                self.server = serve(folder, PREFIX, self.port, "127.0.0.1", auth=StandInAuth(self.hub_api),
                                    limits=limits)
                ready.set()

            self.loop.run_until_complete(start())
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert ready.wait(30)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.server.stop)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def call(self, method: str, path: str, token: str | None = None, body: bytes | None = None):
        return hubtools.call(method, self.url + path, token, body, timeout=30)

    def env(self, token: str) -> dict[str, str]:
        return {handin.URL_SETTING: self.url, handin.TOKEN_SETTING: token}


@pytest.fixture
def running(tmp_path, framework, request):
    limits = getattr(request, "param", QUICK)
    service = Running(HandinFolder(tmp_path / "handins", framework), limits)
    yield service
    service.stop()


def work_file(name: str) -> bytes:
    return work_bytes(Work(participant=Participant(name=name), framework="air-whwwpl"))


def raw_request(port: int, head: bytes, timeout: float = 20) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.sendall(head)
    return sock


def read_all(sock: socket.socket) -> bytes:
    """Everything the service sends until it closes the connection (socket.timeout if it never does)."""
    received = []
    while chunk := sock.recv(65536):
        received.append(chunk)
    return b"".join(received)


def post_head(size: int, token: str | None = None, path: str = "api/handin") -> bytes:
    auth = f"Authorization: token {token}\r\n" if token else ""
    return (f"POST {PREFIX}{path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Content-Type: application/json\r\n"
            f"Content-Length: {size}\r\n\r\n").encode()


def test_without_a_token_the_body_is_never_read(running):
    """A 31 MB body announced without a token is refused at its headers, before any of it is sent."""
    sock = raw_request(running.port, post_head(31_000_000) + b"{" * 1024)
    with sock:
        answer = read_all(sock)  # the service answers and closes without waiting for the 31 MB
    assert answer.startswith(b"HTTP/1.1 401") and b"did not recognise you" in answer


def test_a_body_larger_than_a_work_file_is_refused_before_it_is_read(running):
    sock = raw_request(running.port, post_head(31_000_000, "ana-token") + b" " * 1024)
    with sock:
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 413")
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["message"] == f"Not handed in: {too_large(31_000_000)}"
    assert running.folder.listing() == []


def test_a_body_that_trickles_in_is_cut_off(running):
    started = time.monotonic()
    sock = raw_request(running.port, post_head(1_000_000, "ana-token") + b" " * 1024)
    with sock:
        read_all(sock)  # closed by the service: a socket.timeout here (20 s) means it never was
    assert time.monotonic() - started < 10
    assert running.folder.listing() == []


def test_a_connection_that_never_finishes_its_headers_is_closed(running):
    started = time.monotonic()
    with raw_request(running.port, b"POST " + PREFIX.encode() + b"api/handin HTTP/1.1\r\nHost: x\r\n") as sock:
        read_all(sock)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("running", [Limits(body_seconds=5, idle_seconds=5, uploads_at_once=1, wait_seconds=0.5)],
                         indirect=True)
def test_uploads_at_once_are_bounded_and_the_next_is_told_plainly(running):
    holding = raw_request(running.port, post_head(100_000, "ana-token") + b" " * 10)  # takes the one slot
    with holding:
        deadline = time.monotonic() + 10
        status, raw = 200, b""
        while status == 200 and time.monotonic() < deadline:  # until the slow one holds the slot
            status, raw = running.call("POST", "api/handin", "fac-token", work_file("Fac"))
        assert status == 503, raw
        assert json.loads(raw)["message"] == ("Not handed in: the hub is busy taking other hand-ins. Wait a "
                                              "minute, then hand in again.")
    # The slot is given back when the slow one's connection ends: the next hand-in goes through.
    deadline = time.monotonic() + 10
    while (status := running.call("POST", "api/handin", "fac-token", work_file("Fac"))[0]) == 503:
        assert time.monotonic() < deadline
    assert status == 200


def test_a_token_in_the_address_is_refused_and_never_logged(running, caplog):
    secret = "ana-token"
    with caplog.at_level(logging.DEBUG):
        for method, path, body in (("GET", "api/handins", None), ("GET", "api/handin", None),
                                   ("POST", "api/handin", work_file("Ana"))):
            status, raw = running.call(method, f"{path}?token={secret}", body=body)
            assert status == 400 and b"only in the Authorization header" in raw
            status, _ = running.call(method, f"{path}?token={secret}", "fac-token", body)
            assert status == 400
    assert running.folder.listing() == []
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "api/handin" in logged  # requests are logged ...
    assert secret not in logged and "token=" not in logged  # ... by their path only


@pytest.mark.parametrize("token", ["long-y", "long-e"])
def test_a_very_long_hub_name_hands_in_and_is_listed_and_read(running, token):
    name = TOKENS[token]
    assert handin.hand_in(work_file("Long"), running.env(token))
    assert handin.last_handed_in(running.env(token))
    facilitator = running.env("fac-token")
    assert [item.user for item in handin.handins(facilitator)] == [name]
    assert handin.read_handin(name, facilitator) == work_file("Long")


def test_reading_never_raises_for_any_name(running):
    """GET with names the file system could not hold: a plain 404, never a traceback."""
    for name in ("y" * 300, "é" * 100, "a" * 5000, "..", "%2E%2E"):
        status, raw = running.call("GET", f"api/handins/{quote(name, safe='')}", "fac-token")
        assert status == 404 and json.loads(raw)["message"] == "This person has not handed in any work."


def test_padding_takes_no_room_the_file_is_kept_as_the_kit_writes_it(running):
    padded = work_file("Ana").replace(b"{", b"{" + b" " * 7_900_000, 1)
    assert len(padded) > 7_900_000
    handin.hand_in(padded, running.env("ana-token"))
    kept = running.folder.read("ana")
    assert kept == work_file("Ana") and len(kept) < 10_000


@pytest.mark.parametrize("running", [Limits()], indirect=True)
def test_a_full_hand_in_folder_refuses_plainly(running):
    running.folder.total_bytes = len(work_file("Ana")) + 100
    handin.hand_in(work_file("Ana"), running.env("ana-token"))
    with pytest.raises(handin.HandinError) as refused:
        handin.hand_in(work_file("Fac"), running.env("fac-token"))
    assert refused.value.message.startswith("Not handed in: The hub has no room left for hand-ins.")
    assert [item["user"] for item in running.folder.listing()] == ["ana"]
    handin.hand_in(work_file("Ana, again"), running.env("ana-token"))  # one's own still fits, in its place
    assert running.folder.read("ana") == work_file("Ana, again")
