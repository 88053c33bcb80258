"""The hand-in service on a real local hub: who may hand in, list and read; what is refused; and that
pulling a newer kit never touches a participant's answers.

Participants call the service with hub tokens made for them (the same permissions their servers'
tokens hold); the browser test (test_hub_browser.py) hands in from real servers' kernels.
"""

from __future__ import annotations

import subprocess
import time

import hubtools
import pytest

from plkit import handin
from plkit.errors import PlkitError
from plkit.handin_folder import folder_name
from plkit.model import TEAM, Participant, Work
from plkit.work import WORK_FILE_NAME, parse_work, work_bytes

ALICE, BOB = "alice", "bob"


def work_file(name: str, kind: str = "personal") -> bytes:
    return work_bytes(Work(participant=Participant(name=name, team="Team 1" if kind == TEAM else ""), kind=kind,
                           framework="air-whwwpl"))


def kit_message(raw: bytes) -> str:
    """What the kit says of a file it does not open, as a participant reads it after a refused hand-in."""
    with pytest.raises(PlkitError) as refused:
        parse_work(raw)
    return f"Not handed in: {refused.value.message}"


@pytest.fixture(scope="module")
def tokens(hub):
    for name in (ALICE, BOB, hubtools.FACILITATOR):
        hub.add_user(name)
    return {name: hub.user_token(name) for name in (ALICE, BOB, hubtools.FACILITATOR)}


def service(hub, method: str, path: str, token: str | None, body: bytes | None = None) -> tuple[int, bytes]:
    return hubtools.call(method, hub.handin_url + path, token, body)


def stored(hub, name: str) -> dict[str, bytes]:
    """Every file kept for ``name`` on the hub, by its path under their folder."""
    folder = hub.state / "handins" / folder_name(name)
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.json"))
            if p.name != "user.json"}


def env_of(hub, token: str) -> dict[str, str]:
    return {handin.URL_SETTING: hub.handin_url, handin.TOKEN_SETTING: token}


def test_without_a_token_nothing_is_handed_in_listed_or_read(hub, tokens):
    for method, path, body in (("POST", "api/handin", work_file("x")), ("GET", "api/handin", None),
                               ("GET", "api/handins", None), ("GET", f"api/handins/{ALICE}", None)):
        for token in (None, "not-a-hub-token"):
            status, raw = service(hub, method, path, token, body)
            assert status == 401, (method, path, token, raw)
            assert b"did not recognise you" in raw
    assert not (hub.state / "handins").exists() or not any((hub.state / "handins").iterdir())


def test_a_token_without_the_service_permission_is_refused(hub, tokens):
    narrow = hub.user_token(ALICE, scopes=[f"read:users:name!user={ALICE}"])
    status, raw = service(hub, "POST", "api/handin", narrow, work_file("Alice"))
    assert status == 403 and b"may not use the hand-in service" in raw
    assert stored(hub, ALICE) == {}


def test_a_new_hand_in_replaces_the_last_and_the_earlier_one_is_kept(hub, tokens):
    first, second = work_file("Alice, first"), work_file("Alice, second")
    assert handin.hand_in(first, env_of(hub, tokens[ALICE]))
    assert handin.hand_in(second, env_of(hub, tokens[ALICE]))
    kept = stored(hub, ALICE)
    assert kept["current.json"] == second
    assert first in [data for path, data in kept.items() if path.startswith("earlier/")]
    assert handin.read_handin(ALICE, env_of(hub, tokens[hubtools.FACILITATOR])) == second
    assert handin.last_handed_in(env_of(hub, tokens[ALICE]))


def test_a_participant_cannot_list_read_or_replace_anyone_elses(hub, tokens):
    bob = work_file("Bob")
    handin.hand_in(bob, env_of(hub, tokens[BOB]))
    before = stored(hub, BOB)
    alice = env_of(hub, tokens[ALICE])
    with pytest.raises(handin.HandinError) as listing:
        handin.handins(alice)
    assert listing.value.message == "Only facilitators can see handed-in work. Your own hand-in is safe."
    with pytest.raises(handin.HandinError) as reading:
        handin.read_handin(BOB, alice)
    assert "Only facilitators" in reading.value.message
    # Replacing: a file that names Bob is still Alice's hand-in; Bob's own address takes no hand-in.
    handin.hand_in(work_file("Bob"), alice)
    for method in ("POST", "PUT"):
        status, _ = service(hub, method, f"api/handins/{BOB}", tokens[ALICE], work_file("Bob, by Alice"))
        assert status == 405
    assert stored(hub, BOB) == before
    assert stored(hub, ALICE)["current.json"] == work_file("Bob")


@pytest.mark.parametrize("raw", [
    b"x" * 9_000_000,  # larger than any work file may be
    b"not json at all",
    b'{"format": "plkit-work", "version": 6, "participant": "Bob"}',
    b'{"nbformat": 4, "cells": []}',
], ids=["oversized", "not-json", "malformed", "a-notebook"])
def test_a_bad_or_oversized_hand_in_is_refused_with_the_kits_message_and_nothing_changes(hub, tokens, raw):
    handin.hand_in(work_file("Alice"), env_of(hub, tokens[ALICE]))
    before = stored(hub, ALICE)
    with pytest.raises(handin.HandinError) as refused:
        handin.hand_in(raw, env_of(hub, tokens[ALICE]))
    assert refused.value.message == kit_message(raw)
    assert stored(hub, ALICE) == before


def test_a_team_file_is_not_one_persons_hand_in(hub, tokens):
    handin.hand_in(work_file("Alice"), env_of(hub, tokens[ALICE]))
    before = stored(hub, ALICE)
    with pytest.raises(handin.HandinError) as refused:
        handin.hand_in(work_file("", kind=TEAM), env_of(hub, tokens[ALICE]))
    assert "This is a team file" in refused.value.message
    assert stored(hub, ALICE) == before


def test_the_facilitator_lists_and_reads_every_hand_in(hub, tokens):
    for name in (ALICE, BOB):
        handin.hand_in(work_file(name.title()), env_of(hub, tokens[name]))
    found, problems = handin.read_all(env_of(hub, tokens[hubtools.FACILITATOR]))
    assert problems == []
    assert {item.user: data for item, data in found} == {ALICE: work_file("Alice"), BOB: work_file("Bob")}


def test_a_newer_kit_pulled_never_touches_the_answers(hub, tokens, source_repo):
    hub.spawn(ALICE)
    hub.pull(ALICE, tokens[ALICE], str(source_repo))
    kit = hub.home(ALICE) / "plkit"
    saved = kit / "workbooks" / "my_work" / WORK_FILE_NAME
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_bytes(work_file("Alice"))
    (source_repo / "workbooks" / "NEWER.md").write_text("A newer kit.\n")
    subprocess.run(["git", "-C", str(source_repo), "add", "workbooks/NEWER.md"], check=True)
    subprocess.run(["git", "-C", str(source_repo), "commit", "--quiet", "-m", "A newer kit"], check=True)
    hub.pull(ALICE, tokens[ALICE], str(source_repo))
    assert (kit / "workbooks" / "NEWER.md").read_text() == "A newer kit.\n"
    assert saved.read_bytes() == work_file("Alice")
    ignored = subprocess.run(["git", "-C", str(kit), "check-ignore", "-q", str(saved)])
    assert ignored.returncode == 0, "my_work/ must be ignored by git, or a pull could touch it"


def test_a_hub_admin_may_list_and_read_without_being_a_facilitator(hub, tokens):
    handin.hand_in(work_file("Alice"), env_of(hub, tokens[ALICE]))
    hub.add_user(hubtools.ADMIN)
    assert hub.api("GET", f"users/{hubtools.ADMIN}")["admin"]
    admin = env_of(hub, hub.user_token(hubtools.ADMIN))
    assert ALICE in [item.user for item in handin.handins(admin)]
    assert handin.read_handin(ALICE, admin) == work_file("Alice")


def test_a_revoked_facilitator_token_stops_listing_within_seconds(hub, tokens):
    handin.hand_in(work_file("Alice"), env_of(hub, tokens[ALICE]))
    made = hub.api("POST", f"users/{hubtools.FACILITATOR}/tokens", {"note": "revoked soon", "expires_in": 600})
    facilitator = env_of(hub, made["token"])
    assert ALICE in [item.user for item in handin.handins(facilitator)]  # the service now knows this token
    hub.api("DELETE", f"users/{hubtools.FACILITATOR}/tokens/{made['id']}")
    revoked = time.monotonic()
    while True:
        try:
            handin.handins(facilitator)
        except handin.HandinError as exc:
            assert "did not recognise you" in exc.message
            break
        assert time.monotonic() - revoked < 10, "a revoked token still lists hand-ins after 10 s"
    with pytest.raises(handin.HandinError):
        handin.read_handin(ALICE, facilitator)


def test_a_token_in_the_address_is_refused_and_never_written_to_the_hubs_log(hub, tokens):
    secret = tokens[hubtools.FACILITATOR]
    for path in ("api/handins", f"api/handins/{ALICE}", "api/handin"):
        status, raw = service(hub, "GET", f"{path}?token={secret}", None)
        assert status == 400 and b"only in the Authorization header" in raw
    deadline = time.monotonic() + 30
    while "GET /services/handin/api/handin" not in hub.log():  # the service has logged the requests
        assert time.monotonic() < deadline
    assert secret not in hub.log()
