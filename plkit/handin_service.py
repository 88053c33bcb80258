"""The hand-in service: a small JupyterHub service that keeps each participant's handed-in work file.

The hub starts it (``python -m plkit.handin_service``, a managed service in
``deploy/jupyterhub/workshop_config.py``) and gives it its name, prefix, port and API token in the
environment. Every request carries a hub token (``Authorization: token …``); the hub says whose it
is, so the service never trusts a name sent by the caller:

- ``POST  <prefix>api/handin``          your work file (the body) becomes your hand-in;
- ``GET   <prefix>api/handin``          when you last handed in;
- ``GET   <prefix>api/handins``         every hand-in (facilitators and admins only);
- ``GET   <prefix>api/handins/<name>``  one person's hand-in (facilitators and admins only).

How hand-ins are kept (one folder per person, bounded): ``plkit.handin_folder``. A file the kit
would not open is refused with the kit's own message, and nothing stored changes.

What a caller can hold: the token is checked (in the ``Authorization`` header only) before any body
is read; a body is read only for a hand-in, at most a work file's size, a few at a time; a slow
body or a connection that sends nothing is cut off (``Limits``). Requests are logged by path only.
It imports nothing from ``plkit.ui``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from dataclasses import dataclass
from urllib.parse import quote

from plkit.content import load_framework
from plkit.errors import PlkitError
from plkit.handin_folder import (  # noqa: F401  (HandinFolder and KEEP_EARLIER: this module's old names)
    CURRENT,
    EARLIER,
    KEEP_EARLIER,
    TOTAL_BYTES,
    HandinFolder,
    HandinFull,
)
from plkit.work import HOW_TO_FIX, MAX_BYTES

MAX_BODY = MAX_BYTES + 64 * 1024  # a work file at its largest, and a little more: larger bodies are refused
AUTH_CACHE_SECONDS = 3  # how long the hub's answer "this token is Ana's" is reused: a revoked token stops soon


@dataclass(frozen=True)
class Limits:
    """What one caller may hold of the service: time, connections and memory."""

    body_seconds: float = 25  # a body still arriving after this is cut off (work files come from the hub's own network)
    idle_seconds: float = 25  # a connection that sends no complete request headers for this long is closed
    uploads_at_once: int = 4  # hand-ins read at the same time (each at most MAX_BODY in memory); more wait ...
    wait_seconds: float = 20  # ... this long for their turn, then are told the hub is busy


FACILITATORS = "facilitators"
log = logging.getLogger("plkit.handin")


# --- the web service (tornado, with the hub's own authentication) ----------------------------------


def make_app(folder: HandinFolder, prefix: str, facilitators: str = FACILITATORS, auth=None,
             limits: Limits = Limits()):
    """The tornado application serving the hand-in API under ``prefix`` (``auth``: the hub's, by default)."""
    from jupyterhub.services.auth import HubAuth
    from tornado import web

    if auth is None:
        auth = HubAuth(cache_max_age=AUTH_CACHE_SECONDS, allow_token_in_url=False)
    settings = {"folder": folder, "auth": auth, "facilitators": facilitators, "limits": limits,
                "uploads": asyncio.Semaphore(limits.uploads_at_once)}
    return web.Application([(prefix + path, handler, settings) for path, handler in _handlers()],
                           log_function=_log_request)


def _log_request(handler) -> None:
    """One line per request, with the path only: a query (which might hold a token) is never logged."""
    status = handler.get_status()
    write = log.info if status < 400 else log.warning if status < 500 else log.error
    write("%d %s %s %.0f ms", status, handler.request.method, handler.request.path,
          1000 * handler.request.request_time())


def _handlers():
    """The request handlers. tornado and jupyterhub are imported only when the service runs: the
    kit's tests import this module for ``HandinFolder`` alone."""
    from tornado import web
    from tornado.httpclient import AsyncHTTPClient, HTTPClientError

    @web.stream_request_body
    class Base(web.RequestHandler):
        """Every request: the caller is known (from the token in its header) before any body is read;
        a body is read only for a hand-in, only up to a work file's size, a few at a time."""

        takes_body = False

        def initialize(self, folder: HandinFolder, auth, facilitators: str, limits: Limits,
                       uploads: asyncio.Semaphore) -> None:
            self.folder, self.auth, self.facilitators = folder, auth, facilitators
            self.limits, self.uploads = limits, uploads
            self.user: dict | None = None
            self.chunks: list[bytes] = []
            self.received = 0
            self.holding = False

        def check_xsrf_cookie(self) -> None:
            """Token-authenticated calls from a kernel, never cookies: no cross-site form can post."""

        def refuse(self, status: int, message: str) -> None:
            self.set_status(status)
            self.finish({"message": message})

        def log_exception(self, typ, value, tb) -> None:  # the path only, never the query
            log.error("Uncaught exception in %s %s", self.request.method, self.request.path, exc_info=(typ, value, tb))

        def write_error(self, status_code: int, **kwargs) -> None:
            self.finish({"message": "The hand-in service could not do this. Try again, or use Download my "
                                    "work and give your facilitator the file."})

        async def prepare(self) -> None:
            method = self.request.method.lower()
            if getattr(type(self), method, None) is getattr(web.RequestHandler, method, None):
                self.refuse(405, "This address does not take that request.")  # before any body is read
                return
            if "token" in self.request.query_arguments:
                self.refuse(400, "The hand-in service takes the hub token only in the Authorization "
                                 "header, never in the address (an address can end up in logs).")
                return
            wants_body = self.takes_body and self.request.method == "POST"
            self.request.connection.set_max_body_size(MAX_BODY if wants_body else 0)
            self.user = await self.caller()
            if self.user is None or not wants_body:
                return
            declared = self.request.headers.get("Content-Length", "0")
            if declared.isdigit() and int(declared) > MAX_BODY:  # refused before a byte of it is read
                self.refuse(413, f"Not handed in: {too_large(int(declared))}")
                return
            try:
                await asyncio.wait_for(self.uploads.acquire(), self.limits.wait_seconds)
            except asyncio.TimeoutError:
                self.refuse(503, "Not handed in: the hub is busy taking other hand-ins. Wait a minute, "
                                 "then hand in again.")
                return
            self.holding = True
            self.request.connection.set_body_timeout(self.limits.body_seconds)

        def data_received(self, chunk: bytes) -> None:
            self.received += len(chunk)
            if self.received <= MAX_BODY:
                self.chunks.append(chunk)

        def on_finish(self) -> None:
            self._let_go()

        def on_connection_close(self) -> None:
            self._let_go()

        def _let_go(self) -> None:
            self.chunks = []
            if self.holding:
                self.holding = False
                self.uploads.release()

        async def caller(self) -> dict | None:
            """The hub's user for the request's token, if it may use this service; else refused."""
            try:
                user = await self.auth.get_user(self, sync=False)
            except web.HTTPError:  # the hub did not answer about the token
                user = None
            if not user or user.get("kind", "user") != "user":
                self.refuse(401, "The hub did not recognise you: sign in to the hub again, then try again.")
                return None
            if not self.auth.check_scopes(self.auth.access_scopes, user):
                self.refuse(403, "Your hub account may not use the hand-in service. Ask the hub's administrator.")
                return None
            return user

        async def may_read_all(self, name: str) -> bool:
            """Whether ``name`` is an admin or in the facilitators group (asked of the hub, with the service's token)."""
            url = f"{self.auth.api_url}/users/{quote(name, safe='')}"
            try:
                response = await AsyncHTTPClient().fetch(
                    url, headers={"Authorization": f"token {self.auth.api_token}"})
                model = json.loads(response.body)
            except (HTTPClientError, OSError, ValueError):
                return False
            return isinstance(model, dict) and (
                bool(model.get("admin")) or self.facilitators in (model.get("groups") or []))

        async def facilitator(self) -> bool:
            if self.user is None:
                return False
            if not await self.may_read_all(self.user["name"]):
                self.refuse(403, "Only facilitators can see handed-in work. Your own hand-in is safe.")
                return False
            return True

        def could_not_read(self) -> None:
            self.refuse(500, "The hub could not read its hand-ins just now. Try again in a minute.")

    class Mine(Base):
        takes_body = True

        async def get(self) -> None:
            if self.user is None:
                return
            try:
                when = self.folder.handed_in_at(self.user["name"])
                saved = self.folder.saved_at(self.user["name"]) if when else ""
            except OSError:
                self.could_not_read()
                return
            self.finish({"handed_in_at": when.isoformat() if when else None, "saved_at": saved or None})

        async def post(self) -> None:
            if self.user is None:
                return
            if self.received > MAX_BODY:
                self.refuse(413, f"Not handed in: {too_large(self.received)}")
                return
            body, self.chunks = b"".join(self.chunks), []
            try:
                when = self.folder.hand_in(self.user["name"], body)
            except HandinFull as exc:
                self.refuse(507, f"Not handed in: {exc.message}")
                return
            except PlkitError as exc:
                self.refuse(400, f"Not handed in: {exc.message}")
                return
            except OSError:
                self.refuse(500, "Not handed in: the hub could not keep the file. Try again, or use "
                                 "Download my work and give your facilitator the file.")
                return
            self.finish({"handed_in_at": when.isoformat()})

    class Everyone(Base):
        async def get(self) -> None:
            if await self.facilitator():
                try:
                    found = self.folder.listing()
                except OSError:
                    self.could_not_read()
                    return
                self.finish({"handins": found})

    class One(Base):
        async def get(self, name: str) -> None:
            if not await self.facilitator():
                return
            try:
                raw = self.folder.read(name)  # tornado has decoded the path
            except OSError:
                self.could_not_read()
                return
            if raw is None:
                self.refuse(404, "This person has not handed in any work.")
                return
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(raw)

    return [("api/handin", Mine), ("api/handins", Everyone), (r"api/handins/([^/]+)", One)]


def too_large(size: int) -> str:
    """What the kit says of a file this large (``parse_work``'s words), without reading it."""
    return (f"This file is too large to be a plkit work file ({size / 1_000_000:.1f} MB; work files are "
            f"well under 1 MB). {HOW_TO_FIX}")


def serve(folder: HandinFolder, prefix: str, port: int, address: str, facilitators: str = FACILITATORS,
          auth=None, limits: Limits = Limits()):
    """Listen on ``address``:``port`` within ``limits``; returns the tornado server."""
    from tornado import httpserver

    app = make_app(folder, prefix, facilitators, auth, limits)
    server = httpserver.HTTPServer(app, max_body_size=MAX_BODY, body_timeout=limits.body_seconds,
                                   idle_connection_timeout=limits.idle_seconds)
    server.listen(port, address)
    return server


def total_bytes(env=os.environ) -> int:
    """The hand-in folder's limit: PLKIT_HANDIN_MAX_MB megabytes, or ``TOTAL_BYTES``."""
    try:
        return max(1, int(env.get("PLKIT_HANDIN_MAX_MB", ""))) * 1_000_000
    except ValueError:
        return TOTAL_BYTES


def main() -> None:
    """Run as the hub's managed service: everything it needs comes from the hub's environment."""
    from urllib.parse import urlsplit

    from tornado import ioloop

    logging.basicConfig(level=logging.INFO, format="[%(levelname).1s %(asctime)s plkit.handin] %(message)s")
    logging.getLogger("tornado.access").setLevel(logging.CRITICAL)  # our own request line replaces it
    folder = HandinFolder(os.environ.get("PLKIT_HANDIN_DIR") or "handins", load_framework(), total_bytes())
    folder.clean_all_temp_files()  # what a service stopped half-way through a hand-in left behind
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/handin/")
    where = urlsplit(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101"))
    # Its own address by default; on Kubernetes every address of the hub's pod (PLKIT_HANDIN_LISTEN=0.0.0.0).
    serve(folder, prefix, where.port or 80, os.environ.get("PLKIT_HANDIN_LISTEN") or where.hostname or "127.0.0.1",
          os.environ.get("PLKIT_FACILITATORS_GROUP") or FACILITATORS)
    with contextlib.suppress(KeyboardInterrupt):  # the hub stops its services with SIGINT: a normal end
        ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
