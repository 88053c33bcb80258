"""Hand in to my facilitator: the one network call the kit makes, to the person's own hub, on their click.

On a JupyterHub set up with ``deploy/jupyterhub/``, every single-user server has
``PLKIT_HANDIN_URL`` (the hand-in service) and ``JUPYTERHUB_API_TOKEN`` (the hub's token for this
person) in its environment; the kernel inherits both. The token says who is calling: the request
never names anyone. Anywhere else (Binder, ``make lab``) ``available()`` is False and nothing here
is ever called.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from plkit.errors import PlkitError
from plkit.work import MAX_BYTES, parse_work

if TYPE_CHECKING:
    import urllib.error

URL_SETTING = "PLKIT_HANDIN_URL"
TOKEN_SETTING = "JUPYTERHUB_API_TOKEN"
TIMEOUT_SECONDS = 30
KEEP_A_COPY = "Use Download my work and give your facilitator the file instead."


class HandinError(PlkitError):
    """A hand-in (or a reading of hand-ins) that did not happen; the message says why, plainly."""


@dataclass(frozen=True)
class MyHandin:
    """This person's own last hand-in: when (ISO time, "" if never) and when that work was last saved."""

    handed_in_at: str
    saved_at: str


@dataclass(frozen=True)
class HandedIn:
    """One person's hand-in, as the facilitator sees it listed."""

    user: str
    handed_in_at: str
    size: int


def available(env: Mapping[str, str] | None = None) -> bool:
    """Whether this server runs on a hub with the hand-in service (both settings present)."""
    env = os.environ if env is None else env
    return bool(env.get(URL_SETTING, "").strip() and env.get(TOKEN_SETTING, "").strip())


def _request(path: str, env: Mapping[str, str] | None, data: bytes | None = None,
             timeout: float = TIMEOUT_SECONDS) -> bytes:
    """Call the hand-in service with this person's hub token; ``HandinError`` with a plain message if it fails."""
    import urllib.error  # only on a hub, on a click: not loaded with every workbook
    import urllib.request

    env = os.environ if env is None else env
    if not available(env):
        raise HandinError("handin-missing", f"Handing in works only on a workshop hub. {KEEP_A_COPY}")
    url = env[URL_SETTING].strip().rstrip("/") + "/" + path
    headers = {"Authorization": f"token {env[TOKEN_SETTING].strip()}"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data is not None else "GET")
    # Straight to the hub: never through a proxy set for the internet.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        raise HandinError(f"handin-{exc.code}", _said(exc)) from None
    except (urllib.error.URLError, OSError, ValueError):
        raise HandinError("handin-unreachable", f"The hub's hand-in service did not answer. {KEEP_A_COPY}") from None


def _said(exc: urllib.error.HTTPError) -> str:
    """The service's own message (it speaks the kit's words), or a plain one if it gave none."""
    try:
        message = json.loads(exc.read(100_000)).get("message")
    except (ValueError, AttributeError, OSError, RecursionError):
        message = None
    return message if isinstance(message, str) and message else f"The hub refused the hand-in. {KEEP_A_COPY}"


def _json(raw: bytes) -> dict:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than any answer
        data = None
    if not isinstance(data, dict):
        raise HandinError("handin-answer", f"The hub's hand-in service gave an answer the kit cannot read. {KEEP_A_COPY}")
    return data


def hand_in(work_file: bytes, env: Mapping[str, str] | None = None) -> str:
    """Send this person's work file to their facilitator; returns when it was handed in (ISO time)."""
    if len(work_file) > MAX_BYTES:  # the service would refuse it unread: the kit's own words, here
        try:
            parse_work(work_file)
        except PlkitError as exc:
            raise HandinError("handin-too-large", f"Not handed in: {exc.message}") from None
    answer = _json(_request("api/handin", env, data=work_file))
    return str(answer.get("handed_in_at") or "")


def last_handed_in(env: Mapping[str, str] | None = None) -> str:
    """When this person last handed in (ISO time), or "" if never."""
    return str(_json(_request("api/handin", env)).get("handed_in_at") or "")


def my_handin(env: Mapping[str, str] | None = None, timeout: float = TIMEOUT_SECONDS) -> MyHandin:
    """When this person last handed in, and when the work handed in had been saved (each "" if not known)."""
    answer = _json(_request("api/handin", env, timeout=timeout))
    when, saved = answer.get("handed_in_at"), answer.get("saved_at")
    return MyHandin(when if isinstance(when, str) else "", saved if isinstance(saved, str) and when else "")


def handins(env: Mapping[str, str] | None = None) -> list[HandedIn]:
    """Every hand-in (a facilitator's or admin's call; anyone else gets ``HandinError``)."""
    listed = _json(_request("api/handins", env)).get("handins")
    if not isinstance(listed, list):
        raise HandinError("handin-answer", "The hub's hand-in service gave an answer the kit cannot read.")
    return [HandedIn(str(item["user"]), str(item.get("handed_in_at", "")), _size(item.get("bytes")))
            for item in listed if isinstance(item, dict) and item.get("user")]


def _size(value: object) -> int:
    """A listed file's size in bytes, as the service said it (0 when it said nothing usable)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def read_handin(user: str, env: Mapping[str, str] | None = None) -> bytes:
    """One person's handed-in work file, as handed in."""
    return _request(f"api/handins/{quote(user, safe='')}", env)


def read_all(env: Mapping[str, str] | None = None) -> tuple[list[tuple[HandedIn, bytes]], list[str]]:
    """Every hand-in with its bytes; and the people whose hand-in could not be read (with why)."""
    found, problems = [], []
    for item in handins(env):
        try:
            found.append((item, read_handin(item.user, env)))
        except HandinError as exc:
            problems.append(f"{item.user}: {exc.message}")
    return found, problems


def local_time(iso: str) -> str:
    """An ISO time from the hub as the clock on this computer shows it ("14:02"), "" if it is not one."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%H:%M")
    except (ValueError, OverflowError, OSError):
        return ""
