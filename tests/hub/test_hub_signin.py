"""Who is who on the local hub (``make hub``): each person's first password becomes theirs, the
facilitator's is one only the person running the hub knows, and only plain names sign in. Tried
through the hub's own sign-in form, as a browser sends it."""

from __future__ import annotations

import html
import http.cookiejar
import re
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import hubtools
import pytest

sys.path.insert(0, str(hubtools.REPO / "deploy" / "jupyterhub"))
import plkit_signin  # noqa: E402


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(hub, name: str, password: str) -> tuple[bool, str]:
    """A fresh browser signs in: (signed in?, what the page said)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar),
                                         NoRedirect())
    with opener.open(f"{hub.url}/hub/login", timeout=60) as response:
        form = response.read().decode()
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form).group(1)
    body = urlencode({"_xsrf": xsrf, "username": name, "password": password}).encode()
    try:
        with opener.open(urllib.request.Request(f"{hub.url}/hub/login", data=body), timeout=60) as response:
            return False, html.unescape(response.read().decode())
    except urllib.error.HTTPError as exc:
        if exc.code == 302:
            return any(cookie.name.startswith("jupyterhub-hub-login") for cookie in jar), ""
        return False, html.unescape(exc.read().decode())


def hub_users(hub) -> set[str]:
    return {user["name"] for user in hub.api("GET", "users")}


def error_of(page: str) -> str:
    found = re.search(r'<p class="login_error">(.*?)</p>', page, re.S)
    return found.group(1).strip() if found else ""


def test_the_sign_in_page_says_which_name_and_password_to_use(hub):
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(f"{hub.url}/hub/login") as response:
        page = " ".join(re.sub(r"<[^>]+>", "", html.unescape(response.read().decode())).split())
    assert "lowercase letters, digits, and . - or _, at most 32 characters" in page
    assert "the password you type (at least 8 characters) becomes yours" in page
    assert f"The facilitator signs in as {hubtools.FACILITATOR}" in page


def test_a_second_person_cannot_sign_in_with_a_name_already_taken(hub):
    assert sign_in(hub, "alice", "alice-own-password")[0]
    signed_in, page = sign_in(hub, "alice", "workshop-room")  # someone else tries her name
    assert not signed_in and error_of(page) == plkit_signin.TAKEN
    assert sign_in(hub, "alice", "alice-own-password")[0]  # Alice herself, next meeting


def test_nobody_signs_in_as_the_facilitator_without_the_hub_runners_password(hub):
    for password in ("workshop-room", "facilitator", hubtools.PASSWORD):
        signed_in, page = sign_in(hub, hubtools.FACILITATOR, password)
        assert not signed_in and error_of(page) == plkit_signin.TAKEN
    assert sign_in(hub, hubtools.FACILITATOR, hubtools.FACILITATOR_PASSWORD)[0]


@pytest.mark.parametrize("name", ["Facilitator", "FACILITATOR", "ａｌｉｃｅ", "аlice", "ana lee",
                                  "a" * 33, "ana/lee", "..", "ana@school.org", ""])
def test_look_alike_and_long_names_are_refused_plainly(hub, name):
    # Even with the facilitator's own password: "Facilitator" is no second way in.
    for password in (hubtools.FACILITATOR_PASSWORD, "a-long-enough-password"):
        signed_in, page = sign_in(hub, name, password)
        assert not signed_in and error_of(page) == plkit_signin.NOT_PLAIN
    assert not {name, name.lower(), name.strip()} & (hub_users(hub) - {hubtools.FACILITATOR})


def test_a_first_password_too_short_is_refused_in_plain_words(hub):
    signed_in, page = sign_in(hub, "bo", "short")
    assert not signed_in and error_of(page) == plkit_signin.SHORT
    assert sign_in(hub, "bo", "long-enough")[0]


def test_the_facilitators_password_is_made_once_and_kept_for_the_hub_runner(tmp_path):
    made = plkit_signin.facilitator_password(tmp_path)
    assert len(made) >= 12 and plkit_signin.facilitator_password(tmp_path) == made
    assert (Path(tmp_path) / "facilitator-password.txt").stat().st_mode & 0o077 == 0
    assert plkit_signin.facilitator_password(tmp_path, "given") == "given"
