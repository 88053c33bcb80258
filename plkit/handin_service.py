"""The hand-in service: a small JupyterHub service that keeps each participant's handed-in work file.

The hub starts it (``python -m plkit.handin_service``, a managed service in
``deploy/jupyterhub/workshop_config.py``) and gives it its name, prefix, port and API token in the
environment. Every request carries a hub token (``Authorization: token …``); the hub says whose it
is, so the service never trusts a name sent by the caller:

- ``POST  <prefix>api/handin``          your work file (the body) becomes your hand-in;
- ``GET   <prefix>api/handin``          when you last handed in;
- ``GET   <prefix>api/handins``         every hand-in (facilitators and admins only);
- ``GET   <prefix>api/handins/<name>``  one person's hand-in (facilitators and admins only).

Each person's hand-in is ``<folder>/<name>/current.json``; the one it replaces is kept in
``<folder>/<name>/earlier/``. A file the kit would not open is refused with the kit's own message,
and nothing stored changes. It imports nothing from ``plkit.ui``.
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote, unquote

from plkit.content import Framework, load_framework
from plkit.errors import PlkitError, WorkFileError
from plkit.files import FileProblem, read_regular_file, write_atomic
from plkit.model import PERSONAL
from plkit.store import wrong_kind
from plkit.work import MAX_BYTES, parse_work

CURRENT = "current.json"
EARLIER = "earlier"
KEEP_EARLIER = 20  # earlier hand-ins kept per person; older ones are removed
MAX_BODY = 4 * MAX_BYTES  # larger bodies are cut off by the web server before the kit reads them
FACILITATORS = "facilitators"


class HandinFolder:
    """The hand-ins on disk: one folder per person, named from the hub's name for them."""

    def __init__(self, folder: str | os.PathLike, framework: Framework) -> None:
        self.folder = Path(folder)
        self.framework = framework

    def _person(self, name: str) -> Path:
        # Every character but letters, digits, "-" and "_" is %-escaped ("." too): a hub name
        # can never become "..", a slash or a hidden file.
        return self.folder / quote(name, safe="").replace(".", "%2E").replace("~", "%7E")

    def check(self, raw: bytes) -> None:
        """Refuse what the kit would not open as one person's work, with the kit's own message."""
        work = parse_work(raw, self.framework)
        problem = wrong_kind(work, PERSONAL)
        if problem:
            raise WorkFileError("work-kind", problem)

    def hand_in(self, name: str, raw: bytes) -> datetime:
        """Keep ``raw`` as ``name``'s hand-in, the one before it among the earlier ones."""
        self.check(raw)
        person = self._person(name)
        current = person / CURRENT
        (person / EARLIER).mkdir(parents=True, exist_ok=True)
        if current.exists():
            stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-%f")
            write_atomic(person / EARLIER / f"{stamp}.json", current.read_bytes())
            self._forget_oldest(person / EARLIER)
        write_atomic(current, raw)
        return _modified(current)

    def _forget_oldest(self, earlier: Path) -> None:
        for old in sorted(earlier.glob("*.json"))[:-KEEP_EARLIER]:
            old.unlink(missing_ok=True)

    def handed_in_at(self, name: str) -> datetime | None:
        current = self._person(name) / CURRENT
        return _modified(current) if current.is_file() else None

    def listing(self) -> list[dict[str, object]]:
        """Everyone who handed in: name, when (UTC, ISO) and size, by name."""
        found = []
        if self.folder.is_dir():
            for person in sorted(self.folder.iterdir()):
                current = person / CURRENT
                if current.is_file():
                    found.append({"user": unquote(person.name), "handed_in_at": _modified(current).isoformat(),
                                  "bytes": current.stat().st_size})
        return found

    def read(self, name: str) -> bytes | None:
        try:
            return read_regular_file(self._person(name) / CURRENT, MAX_BYTES)
        except FileProblem:
            return None


def _modified(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).replace(microsecond=0)


# --- the web service (tornado, with the hub's own authentication) ----------------------------------


def make_app(folder: HandinFolder, prefix: str, facilitators: str = FACILITATORS):
    """The tornado application serving the hand-in API under ``prefix``."""
    from jupyterhub.services.auth import HubAuth
    from tornado import web

    auth = HubAuth(cache_max_age=60)
    settings = {"folder": folder, "auth": auth, "facilitators": facilitators}
    handlers = _handlers()
    return web.Application([(prefix + path, handler, settings) for path, handler in handlers])


def _handlers():
    """The request handlers. tornado and jupyterhub are imported only when the service runs: the
    kit's tests import this module for ``HandinFolder`` alone."""
    from tornado import web
    from tornado.httpclient import AsyncHTTPClient, HTTPClientError

    class Base(web.RequestHandler):
        def initialize(self, folder: HandinFolder, auth, facilitators: str) -> None:
            self.folder, self.auth, self.facilitators = folder, auth, facilitators

        def check_xsrf_cookie(self) -> None:
            """Token-authenticated calls from a kernel, never cookies: no cross-site form can post."""

        def refuse(self, status: int, message: str) -> None:
            self.set_status(status)
            self.finish({"message": message})

        async def caller(self) -> dict | None:
            """The hub's user for the request's token, if it may use this service; else refused."""
            user = await self.auth.get_user(self, sync=False)
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
            except HTTPClientError:
                return False
            model = json.loads(response.body)
            return bool(model.get("admin")) or self.facilitators in (model.get("groups") or [])

        async def facilitator(self) -> dict | None:
            user = await self.caller()
            if user is None:
                return None
            if not await self.may_read_all(user["name"]):
                self.refuse(403, "Only facilitators can see handed-in work. Your own hand-in is safe.")
                return None
            return user

    class Mine(Base):
        async def get(self) -> None:
            user = await self.caller()
            if user is not None:
                when = self.folder.handed_in_at(user["name"])
                self.finish({"handed_in_at": when.isoformat() if when else None})

        async def post(self) -> None:
            user = await self.caller()
            if user is None:
                return
            try:
                when = self.folder.hand_in(user["name"], self.request.body)
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
            if await self.facilitator() is not None:
                self.finish({"handins": self.folder.listing()})

    class One(Base):
        async def get(self, name: str) -> None:
            if await self.facilitator() is None:
                return
            raw = self.folder.read(name)  # tornado has decoded the path
            if raw is None:
                self.refuse(404, "This person has not handed in any work.")
                return
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(raw)

    return [("api/handin", Mine), ("api/handins", Everyone), (r"api/handins/([^/]+)", One)]


def main() -> None:
    """Run as the hub's managed service: everything it needs comes from the hub's environment."""
    from urllib.parse import urlsplit

    from tornado import httpserver, ioloop

    folder = HandinFolder(os.environ.get("PLKIT_HANDIN_DIR") or "handins", load_framework())
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/handin/")
    where = urlsplit(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101"))
    app = make_app(folder, prefix, os.environ.get("PLKIT_FACILITATORS_GROUP") or FACILITATORS)
    server = httpserver.HTTPServer(app, max_body_size=MAX_BODY)
    # Its own address by default; on Kubernetes every address of the hub's pod (PLKIT_HANDIN_LISTEN=0.0.0.0).
    server.listen(where.port or 80, os.environ.get("PLKIT_HANDIN_LISTEN") or where.hostname or "127.0.0.1")
    with contextlib.suppress(KeyboardInterrupt):  # the hub stops its services with SIGINT: a normal end
        ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
