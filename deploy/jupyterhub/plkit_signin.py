"""Sign-in on the workshop hub of this machine (``make hub``): each person's own password, plain names.

JupyterHub's FirstUseAuthenticator (the one The Littlest JupyterHub offers) keeps, for each name,
the password typed at its first sign-in: nobody else can sign in with that name after that. On
top of it, this hub:

- accepts only plain names (lowercase letters, digits, ".", "-", "_"; at most 32 characters),
  as typed: "Facilitator", a full-width "ａｌｉｃｅ" or a Cyrillic "аlice" is refused with a plain
  message, never turned into, or listed beside, "facilitator" or "alice";
- says in the kit's words why a sign-in did not work (a name taken, a password too short);
- gives the facilitators' names a password before anyone can sign in with them: one that only
  the person running the hub knows (``reserve``).
"""

from __future__ import annotations

import dbm
import re
import secrets
from pathlib import Path

import bcrypt
from firstuseauthenticator import FirstUseAuthenticator

PLAIN_NAME = re.compile(r"[a-z0-9._-]{1,32}")
NAME_PATTERN = r"^[a-z0-9._-]{1,32}$"  # for JupyterHub's own check (Authenticator.username_pattern)
MIN_PASSWORD = 8

NOT_PLAIN = ("Use a plain name: lowercase letters (a to z), digits, and . - or _ only, at most 32 characters, "
             "for example ana.lee or room4-ben.")
TAKEN = ("This name already has a password on this hub, and that was not it. If the name is yours, type "
         "your password again; if not, choose another name.")
SHORT = (f"Choose a password of at least {MIN_PASSWORD} characters. The first time you sign in, the "
         "password you type becomes yours: keep it for the next meetings.")


def plain(name: str) -> bool:
    """Whether ``name`` is a name this hub accepts, exactly as typed."""
    return bool(PLAIN_NAME.fullmatch(name)) and name not in (".", "..")


class WorkshopAuthenticator(FirstUseAuthenticator):
    """FirstUseAuthenticator that takes plain names only, as typed, and explains every refusal."""

    async def authenticate(self, handler, data):
        name, password = data.get("username", ""), data.get("password", "")
        if not plain(name):
            return self._refuse(handler, NOT_PLAIN)
        with dbm.open(self.dbm_path, "c", 0o600) as db:
            known = name.encode() in db
        if not known and len(password) < self.min_password_length:
            return self._refuse(handler, SHORT)
        user = await super().authenticate(handler, data)
        if user is None and known:
            return self._refuse(handler, TAKEN)
        return user

    @staticmethod
    def _refuse(handler, message: str) -> None:
        handler.custom_login_error = message
        return None


def facilitator_password(state: Path, given: str = "") -> str:
    """The facilitators' password: ``given`` (PLKIT_FACILITATOR_PASSWORD), else one made at the
    hub's first start and kept in ``state/facilitator-password.txt`` (readable by its owner only)."""
    if given:
        return given
    kept = state / "facilitator-password.txt"
    if not kept.exists():
        kept.touch(mode=0o600)
        kept.write_text(f"{secrets.token_urlsafe(9)}\n")
    return kept.read_text().strip()


def reserve(dbm_path: str, names: list[str], password: str) -> None:
    """Give each of ``names`` the password ``password`` (kept as a bcrypt hash), unless it has it already."""
    with dbm.open(dbm_path, "c", 0o600) as db:
        for name in names:
            stored = db.get(name.encode())
            if stored is None or bcrypt.hashpw(password.encode(), stored) != stored:
                db[name.encode()] = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
