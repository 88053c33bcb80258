"""The hand-in pieces without a hub: the folder the service keeps, the client's plain messages, the
save bar's and dashboard's buttons (shown only on a hub), and the launch links."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from plkit import handin
from plkit.cli import main
from plkit.handin_service import KEEP_EARLIER, HandinFolder
from plkit.hub_links import pull_link, workbook_links
from plkit.model import Participant, Work
from plkit.ui import dashboard, self_assessment
from plkit.ui.hand_in import handin_name
from plkit.work import work_bytes

ON_HUB = {handin.URL_SETTING: "http://127.0.0.1:9/services/handin/", handin.TOKEN_SETTING: "a-token"}


def work_file(name: str) -> bytes:
    return work_bytes(Work(participant=Participant(name=name), framework="air-whwwpl"))


def test_the_service_and_client_import_no_widgets():
    code = ("import sys, plkit.handin, plkit.handin_service, plkit.hub_links\n"
            "print(','.join(m for m in ('ipywidgets', 'IPython', 'matplotlib.pyplot') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("name", ["..", ".", "a/b", "../../etc", "~root", "%2E%2E", "ünïcode name"])
def test_any_hub_name_stays_inside_the_hand_in_folder(tmp_path, framework, name):
    folder = HandinFolder(tmp_path / "handins", framework)
    folder.hand_in(name, work_file("X"))
    kept = [p for p in tmp_path.rglob("current.json")]
    assert len(kept) == 1 and kept[0].parent.parent == tmp_path / "handins"
    assert not kept[0].parent.name.startswith(".")
    assert [item["user"] for item in folder.listing()] == [name]
    assert folder.read(name) == work_file("X")


def test_earlier_hand_ins_are_kept_up_to_a_limit(tmp_path, framework):
    folder = HandinFolder(tmp_path, framework)
    for number in range(KEEP_EARLIER + 3):
        folder.hand_in("ana", work_file(f"Ana {number}"))
    assert folder.read("ana") == work_file(f"Ana {KEEP_EARLIER + 2}")
    assert len(list((folder.person_folder("ana") / "earlier").glob("*.json"))) == KEEP_EARLIER


def test_the_client_is_off_without_both_settings():
    assert handin.available(ON_HUB)
    assert not handin.available({handin.URL_SETTING: ON_HUB[handin.URL_SETTING]})
    assert not handin.available({handin.TOKEN_SETTING: "a-token"})
    assert not handin.available({})
    with pytest.raises(handin.HandinError) as refused:
        handin.hand_in(b"{}", {})
    assert "only on a workshop hub" in refused.value.message


def test_a_hub_that_does_not_answer_gets_a_plain_message():
    with pytest.raises(handin.HandinError) as refused:
        handin.hand_in(work_file("Ana"), ON_HUB)  # port 9 on this machine: nothing listens
    assert refused.value.message == f"The hub's hand-in service did not answer. {handin.KEEP_A_COPY}"


def test_off_the_hub_no_button_is_shown(tmp_path, monkeypatch):
    for key in ON_HUB:
        monkeypatch.delenv(key, raising=False)
    screen = self_assessment(work_dir=tmp_path)
    assert screen.save_bar.hand_in is None
    assert "Hand in" not in repr(screen.save_bar.children)
    assert dashboard(work_dir=tmp_path / "f").handins is None


def test_on_the_hub_the_save_bar_hands_in_the_saved_work(tmp_path, monkeypatch):
    for key, value in ON_HUB.items():
        monkeypatch.setenv(key, value)
    sent = []
    monkeypatch.setattr(handin, "hand_in", lambda data: sent.append(data) or "2026-03-12T14:02:00+00:00")
    screen = self_assessment(work_dir=tmp_path)
    button = screen.save_bar.hand_in
    assert button.description == "Hand in to my facilitator" and button.layout.display != "none"
    button.click()
    assert sent == [] and "nothing to hand in yet" in screen.save_bar.message.value
    screen.details.name.value = "Ana <b>"
    button.click()
    assert len(sent) == 1 and b"Ana <b>" in sent[0]
    assert "Handed in at" in screen.save_bar.message.value and "<b>" not in screen.save_bar.message.value


def test_a_refused_hand_in_says_why(tmp_path, monkeypatch):
    for key, value in ON_HUB.items():
        monkeypatch.setenv(key, value)

    def refuse(data):
        raise handin.HandinError("handin-400", "Not handed in: <script>x</script>")

    monkeypatch.setattr(handin, "hand_in", refuse)
    screen = self_assessment(work_dir=tmp_path)
    screen.details.name.value = "Ana"
    screen.save_bar.hand_in.click()
    assert "Not handed in: &lt;script&gt;" in screen.save_bar.message.value


def test_the_dashboard_reads_hand_ins_and_a_newer_one_replaces_the_older(tmp_path, monkeypatch):
    for key, value in ON_HUB.items():
        monkeypatch.setenv(key, value)
    hub = {"ana": work_file("Ana"), "bo": work_file("Bo")}
    listed = lambda: [handin.HandedIn(user, "2026-03-12T14:02:00+00:00", len(data)) for user, data in hub.items()]  # noqa: E731
    monkeypatch.setattr(handin, "handins", lambda: listed())
    monkeypatch.setattr(handin, "read_all", lambda: ([(item, hub[item.user]) for item in listed()], []))
    board = dashboard(work_dir=tmp_path)
    assert board.handins.description == "Read handed-in work (2)"
    board.handins.click()
    assert "<strong>2 participants</strong> read" in board.status.value
    hub["ana"] = work_file("Ana, later")
    board.handins.click()
    assert "<strong>2 participants</strong> read" in board.status.value
    assert board.sources[handin_name("ana")] == work_file("Ana, later")
    again = dashboard(work_dir=tmp_path)  # after a reload: each person's newest hand-in, once
    assert again.sources[handin_name("ana")] == work_file("Ana, later") and len(again.sources) == 2


def test_a_participant_opening_the_dashboard_is_told_plainly(tmp_path, monkeypatch):
    for key, value in ON_HUB.items():
        monkeypatch.setenv(key, value)

    def refuse():
        raise handin.HandinError("handin-403", "Only facilitators can see handed-in work. Your own hand-in is safe.")

    monkeypatch.setattr(handin, "handins", refuse)
    monkeypatch.setattr(handin, "read_all", refuse)
    board = dashboard(work_dir=tmp_path)
    assert board.handins.description == "Read handed-in work"
    board.handins.click()
    assert "Only facilitators can see handed-in work" in board.status.value


def test_launch_links_pull_the_kit_then_open_the_workbook():
    link = pull_link("https://hub.example.org/", "https://github.com/plkit-org/plkit", "voila/render/plkit/workbooks/02.ipynb")
    parts = urlsplit(link)
    assert parts.path == "/hub/user-redirect/git-pull"
    assert parse_qs(parts.query) == {"repo": ["https://github.com/plkit-org/plkit"], "branch": ["main"],
                                     "targetpath": ["plkit"], "urlpath": ["voila/render/plkit/workbooks/02.ipynb"]}
    [(name, lab, app)] = workbook_links("https://hub.example.org", "https://x/y", ["02.ipynb"], branch="v2", target="kit")
    assert "urlpath=lab%2Ftree%2Fkit%2Fworkbooks%2F02.ipynb" in lab and "branch=v2" in lab
    assert "urlpath=voila%2Frender%2Fkit%2Fworkbooks%2F02.ipynb" in app


def test_plkit_link_prints_both_links_for_every_workbook(capsys):
    workbooks = Path(__file__).resolve().parents[2] / "workbooks"
    assert main(["link", "--hub", "https://hub.example.org", "--repo", "https://github.com/plkit-org/plkit",
                 "--workbooks", str(workbooks)]) == 0
    out = capsys.readouterr().out
    names = [line for line in out.splitlines() if line.endswith(".ipynb") and not line.startswith(" ")]
    assert "02_self_assessment.ipynb" in names and len(names) >= 5
    assert out.count("hub.example.org/hub/user-redirect/git-pull?") == 2 * len(names)
    assert main(["link", "--hub", "hub.example.org", "--repo", "x"]) == 1
    assert "should start with https://" in capsys.readouterr().err


def test_the_workshop_settings_add_to_a_hubs_own_config(monkeypatch):
    """As TLJH's jupyterhub_config.d and Z2JH's extraConfig run it: after the hub's own settings."""
    from traitlets.config import Config, LazyConfigValue

    def value(setting, empty):  # what the hub will see: a setting the hub had not set stays "lazy"
        return setting.get_value(empty) if isinstance(setting, LazyConfigValue) else setting

    config = Path(__file__).resolve().parents[2] / "deploy" / "jupyterhub" / "workshop_config.py"
    monkeypatch.setenv("PLKIT_FACILITATORS", "ms-rivera, mr-chen")
    c = Config()
    c.JupyterHub.services = [{"name": "cull-idle", "command": ["cull"]}]
    c.Spawner.environment = {"TZ": "America/Chicago"}
    c.Spawner.args = ["--debug"]
    exec(compile(config.read_text(), str(config), "exec"), {"c": c, "__file__": str(config)})
    assert [s["name"] for s in c.JupyterHub.services] == ["cull-idle", "handin"]
    assert c.Spawner.environment["TZ"] == "America/Chicago"
    assert c.Spawner.environment["PLKIT_HANDIN_URL"].endswith("/services/handin/")
    assert c.Spawner.args[0] == "--debug" and "--MappingKernelManager.cull_connected=False" in c.Spawner.args
    assert value(c.JupyterHub.load_groups, {})["facilitators"] == {"users": ["ms-rivera", "mr-chen"]}
    scopes = {role["name"]: role["scopes"] for role in value(c.JupyterHub.load_roles, [])}
    assert "access:services!service=handin" in scopes["server"] and "access:services!service=handin" in scopes["user"]
    assert set(scopes["plkit-handin"]) == {"read:users:name", "read:users:groups"}


def on_hub_page(tmp_path, monkeypatch, last: handin.MyHandin | Exception, name: str = "Ana"):
    """A workbook opened on the hub after earlier work: its save bar's hand-in control, its look-up done."""
    for key, value in ON_HUB.items():
        monkeypatch.setenv(key, value)
    first = self_assessment(work_dir=tmp_path)
    first.details.name.value = name  # the work saved before this page opened
    saved_at = first.save_bar.store.work.saved_at

    def my_handin(timeout):
        assert timeout <= 5  # the page never waits long for it
        if isinstance(last, Exception):
            raise last
        return handin.MyHandin(last.handed_in_at, last.saved_at or saved_at)

    monkeypatch.setattr(handin, "my_handin", my_handin)
    screen = self_assessment(work_dir=tmp_path)  # the page opens again (a reload)
    control = screen.save_bar.hand_in
    control.looking.join(10)
    return screen, control


def today_at(hour: int, minute: int) -> str:
    return datetime.now().astimezone().replace(hour=hour, minute=minute, second=0, microsecond=0).isoformat()


def test_a_reloaded_page_says_when_the_work_was_handed_in(tmp_path, monkeypatch):
    screen, control = on_hub_page(tmp_path, monkeypatch, handin.MyHandin(today_at(17, 58), ""))
    assert control.note.value == "<span>Handed in at 17:58 (your facilitator can read it).</span>"
    assert control.description == "Hand in to my facilitator" and screen.save_bar.message.value == ""


def test_a_reloaded_page_says_when_the_work_changed_since_the_hand_in(tmp_path, monkeypatch):
    _, control = on_hub_page(tmp_path, monkeypatch, handin.MyHandin(today_at(9, 5), "2020-01-01T00:00:00+00:00"))
    assert control.note.value == ("<span>Handed in at 09:05 (your facilitator can read it). Your answers changed "
                                  "since: hand in again to send the newer copy.</span>")


def test_a_hand_in_on_another_day_names_the_day(tmp_path, monkeypatch):
    _, control = on_hub_page(tmp_path, monkeypatch, handin.MyHandin("2026-03-12T14:02:00+00:00", ""))
    assert "Handed in on " in control.note.value and "March at" in control.note.value


@pytest.mark.parametrize("last", [handin.HandinError("handin-unreachable", "no answer"),
                                  handin.MyHandin("", ""), handin.MyHandin("<script>x</script>", "")],
                         ids=["no-answer", "never-handed-in", "nonsense"])
def test_no_word_from_the_hub_shows_nothing_and_says_nothing(tmp_path, monkeypatch, last):
    screen, control = on_hub_page(tmp_path, monkeypatch, last)
    assert control.note.value == "" and screen.save_bar.message.value == ""


def test_handing_in_shows_it_beside_the_button_and_a_change_after_it_is_noticed(tmp_path, monkeypatch):
    screen, control = on_hub_page(tmp_path, monkeypatch, handin.MyHandin("", ""))
    monkeypatch.setattr(handin, "hand_in", lambda data: today_at(18, 10))
    control.click()
    assert control.note.value == "<span>Handed in at 18:10 (your facilitator can read it).</span>"
    screen.details.name.value = "Ana Lee"  # a change after the hand-in
    control.work_changed()  # as the save bar tells it after each save
    assert "Your answers changed since" in control.note.value


def test_off_the_hub_nothing_is_asked(tmp_path, monkeypatch):
    for key in ON_HUB:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setattr(handin, "my_handin", lambda **kwargs: pytest.fail("asked the hub off the hub"))
    assert self_assessment(work_dir=tmp_path).save_bar.hand_in is None
