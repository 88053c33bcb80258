"""Group analysis with hand-computed expectations, anonymity, hostile text, and bad files."""

import json
import os
import re

import pytest
from folder_cases import MINIMAL, ascii_failures, no_hang

from plkit.cli import main
from plkit.content import data_dir
from plkit.group import (
    approach_notes,
    completion,
    disagreement,
    disagreement_queue,
    priority_tally,
    rating_table,
    read_group,
    theme_summary,
)
from plkit.model import Priority, Work
from plkit.report import group_html, group_markdown
from plkit.work import write_work

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>\"quoted\" 'single'"


def member(name="", **ratings) -> Work:
    work = Work()
    work.participant.name = name
    work.self_assessment.ratings.update({k.replace("__", "."): v for k, v in ratings.items()})
    return work


@pytest.fixture
def three(tmp_path):
    """Three participants: they agree on one practice and split on two."""
    a = member("Anastasia Quill", what__goals__materials="now", how__voice__choices="now", how__voice__facilitators="now")
    b = member("Boris Vantongeren", what__goals__materials="now", how__voice__choices="different", how__voice__facilitators="now")
    c = member(HOSTILE, what__goals__materials="now", how__voice__choices="not-sure",
               how__voice__facilitators="different")
    a.action_plan.priorities = [Priority(title="x", practice="how.voice.choices"), Priority(title="Parent nights")]
    b.action_plan.priorities = [Priority(title="y", practice="how.voice.choices")]
    c.self_assessment.notes["how.voice"] = HOSTILE
    a.self_assessment.evidence["how.voice"] = "Council minutes"
    folder = tmp_path / "group"
    for name, work in (("a", a), ("b", b), ("c", c)):
        write_work(work, folder / f"{name}.json")
    (folder / "broken.json").write_text("{nope")
    (folder / "notes.txt").write_text("not read: not .json")
    return folder


def test_disagreement_score_by_hand():
    assert disagreement({"now": 3, "different": 0, "not-sure": 0, "unrated": 5}) == 0
    assert disagreement({"now": 1, "different": 1, "not-sure": 1, "unrated": 0}) == pytest.approx(1.0)
    # 2 of 3 agree: (1 - 2/3) / (1 - 1/3) = 0.5
    assert disagreement({"now": 2, "different": 1, "not-sure": 0, "unrated": 0}) == pytest.approx(0.5)
    assert disagreement({"now": 1, "different": 0, "not-sure": 0, "unrated": 9}) == 0
    # a two-way split on a three-choice scale: (1 - 1/2) / (1 - 1/3) = 0.75
    assert disagreement({"now": 15, "different": 0, "not-sure": 15, "unrated": 0}) == pytest.approx(0.75)
    # 29 to 1: (1 - 29/30) / (2/3) = 0.05
    assert disagreement({"now": 29, "different": 1, "not-sure": 0, "unrated": 0}) == pytest.approx(0.05)


def test_read_group_skips_bad_files_with_the_reason(three, framework):
    group = read_group([three], framework)
    assert len(group) == 3
    assert [m.label for m in group.members] == ["Participant 1", "Participant 2", "Participant 3"]
    assert group.skipped == [("broken.json", group.skipped[0][1])]
    assert "cut short or damaged" in group.skipped[0][1]


def test_uploaded_bytes_and_paths_mix(three, framework):
    uploads = [("up.json", (three / "a.json").read_bytes()), ("bad.json", b"")]
    group = read_group([*uploads, three / "b.json"], framework)
    assert len(group) == 2 and group.skipped[0][0] == "bad.json"


def test_aggregation_by_hand(three, framework):
    group = read_group([three], framework)
    table = rating_table(group, framework)
    assert table["what.goals.materials"] == {"now": 3, "different": 0, "not-sure": 0, "unrated": 0}
    assert table["how.voice.choices"] == {"now": 1, "different": 1, "not-sure": 1, "unrated": 0}
    assert table["how.voice.facilitators"] == {"now": 2, "different": 1, "not-sure": 0, "unrated": 0}
    assert table["what.goals.profiles"]["unrated"] == 3
    queue = disagreement_queue(table)
    assert [(q.practice_id, round(q.score, 2)) for q in queue] == [
        ("how.voice.choices", 1.0), ("how.voice.facilitators", 0.5)]
    themes = theme_summary(table, framework)
    assert themes["what"] == {"now": 3, "different": 0, "not-sure": 0, "unrated": 15}
    assert themes["how"] == {"now": 3, "different": 2, "not-sure": 1, "unrated": 30}
    assert priority_tally(group, framework) == [
        (framework.practices["how.voice.choices"].text, 2), ("Parent nights", 1)]
    done = completion(group, framework)
    assert done["participants"] == 3 and done["wrote an action plan"] == 2 and done["rated every practice"] == 0


def test_names_only_when_asked(three, framework):
    anonymous = read_group([three], framework)
    named = read_group([three], framework, names=True)
    assert [m.label for m in named.members][:2] == ["Anastasia Quill", "Boris Vantongeren"]
    notes = approach_notes(anonymous)["how.voice"]
    assert notes == [("Participant 1", "Evidence: Council minutes"), ("Participant 3", f"Notes: {HOSTILE}")]
    for page in (group_html(anonymous, framework), group_markdown(anonymous, framework)):
        assert "Anastasia" not in page and "Vantongeren" not in page and "broken.json" not in page
    page = group_html(named, framework, names=True)
    assert "Anastasia Quill" in page and "broken.json" in page


@pytest.mark.parametrize("names", [False, True])
def test_hostile_text_is_escaped_in_reports(three, framework, names):
    group = read_group([three], framework, names=names)
    page = group_html(group, framework, names=names)
    text = group_markdown(group, framework, names=names)
    for output in (page, text):
        assert "<script>" not in output and "<img src=x" not in output
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in output
    assert "&#34;quoted&#34;" in page  # Jinja2 (markupsafe) escapes quotes as numeric references
    assert re.findall(r"<script", page) == []


def test_group_command(three, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["group", str(three), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "3 participants, anonymous" in printed and "skipped broken.json" in printed
    assert "Discuss first" in out.read_text(encoding="utf-8")
    assert main(["group", str(three / "broken.json"), "--out", str(tmp_path / "r.md")]) == 1
    assert "No work file could be read" in capsys.readouterr().err


def test_demo_group_is_synthetic_and_readable(framework):
    group = read_group([data_dir() / "demo"], framework, names=True)
    assert len(group) == 30
    assert all(m.label.startswith("Synthetic participant") for m in group.members)
    assert all("(synthetic)" in m.work.participant.team for m in group.members)
    assert len(group.skipped) == 1 and group.skipped[0][0] == "synthetic-broken-example.json"
    assert disagreement_queue(rating_table(group, framework), limit=5)
    for path in (data_dir() / "demo").glob("synthetic-0*.json"):
        assert json.loads(path.read_text())["participant"]["name"].startswith("Synthetic")


# --- issue 10: folders: only ordinary files are read, every file is listed, names shown safely --

def test_a_named_pipe_in_a_folder_is_listed_not_waited_on(tmp_path, framework):
    """Issue 10: a named pipe `pipe.json` hung `plkit group`, `plkit validate` and the dashboard."""
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "a.json").write_bytes(MINIMAL)
    with no_hang():
        group = read_group([tmp_path], framework)
        assert read_group([tmp_path / "pipe.json"], framework).skipped[0][0] == "pipe.json"
    assert len(group) == 1
    assert group.skipped == [("pipe.json", "Not read: it is not an ordinary file (it is a named pipe or a device).")]


def test_a_link_to_dev_zero_is_listed_not_read(tmp_path, framework):
    """Issue 10: a symlink to /dev/zero exhausted memory."""
    (tmp_path / "zero.json").symlink_to("/dev/zero")
    with no_hang():
        group = read_group([tmp_path], framework)
    assert group.skipped[0][0] == "zero.json" and "not an ordinary file" in group.skipped[0][1]


def test_a_file_over_the_work_file_limit_is_refused_before_it_is_read(tmp_path, framework, monkeypatch):
    """Issue 10: a 3 GB file was read whole before being refused."""
    from plkit import files
    from plkit.work import MAX_BYTES

    with (tmp_path / "big.json").open("wb") as handle:
        handle.truncate(3_000_000_000)  # sparse: no disk used
    with (tmp_path / "just-over.json").open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    (tmp_path / "just-right.json").write_bytes(MINIMAL + b" " * (MAX_BYTES - len(MINIMAL)))
    reads, real_read = [], files.os.read

    def spy(fd, size):
        data = real_read(fd, size)
        reads.append(len(data))
        return data

    monkeypatch.setattr(files.os, "read", spy)
    group = read_group([tmp_path], framework)
    assert [m.source for m in group.members] == ["just-right.json"]
    assert [name for name, _ in group.skipped] == ["big.json", "just-over.json"]
    assert all("too large" in reason for _, reason in group.skipped)
    assert sum(reads) == MAX_BYTES, "only the file within the limit was read"


def test_folders_and_broken_links_named_like_work_files_are_listed(tmp_path, framework):
    (tmp_path / "sub.json").mkdir()
    (tmp_path / "gone.json").symlink_to(tmp_path / "nowhere.json")
    (tmp_path / "notes.txt").write_text("not a work file's name: not listed")
    (tmp_path / "UPPER.JSON").write_bytes(MINIMAL)
    group = read_group([tmp_path], framework)
    assert [m.source for m in group.members] == ["UPPER.JSON"]
    assert group.skipped == [("gone.json", "Not read: the file was not found."),
                             ("sub.json", "Not read: it is a folder, not a file.")]


def test_past_the_most_files_a_group_holds_the_rest_are_listed(tmp_path, framework):
    from plkit.group import MAX_GROUP_FILES, TOO_MANY

    for number in range(MAX_GROUP_FILES + 1):
        (tmp_path / f"w-{number:05}.json").write_bytes(MINIMAL)
    group = read_group([tmp_path], framework)
    assert len(group) == MAX_GROUP_FILES
    assert group.skipped == [(f"w-{MAX_GROUP_FILES:05}.json", TOO_MANY)]


ODD_NAME = b"caf\xe9 \x1b[31m<img src=x onerror=alert(1)>\xe2\x80\xae.json"


@ascii_failures()
def test_a_file_name_that_is_not_utf8_is_shown_safely(tmp_path, framework):
    odd = tmp_path.joinpath(os.fsdecode(ODD_NAME))
    odd.write_text("{nope")
    (tmp_path / "a.json").write_bytes(MINIMAL)
    group = read_group([tmp_path], framework)
    assert group.skipped[0][0] == "caf\ufffd [31m<img src=x onerror=alert(1)>.json"
    group = read_group([odd], framework)
    assert group.skipped[0][0] == "caf\ufffd [31m<img src=x onerror=alert(1)>.json"
    uploaded = read_group([("\udce9\x00\u2028x.json", b"{nope")], framework)
    assert uploaded.skipped[0][0] == "\ufffdx.json"


@ascii_failures()
def test_group_names_with_a_file_name_that_is_not_utf8(tmp_path, capsys):
    """Issue 10: a non-UTF-8 file name with `--names` crashed the report."""
    folder = tmp_path / "g"
    folder.mkdir()
    work = Work()
    work.participant.name = "Ana"
    write_work(work, folder / "a.json")
    folder.joinpath(os.fsdecode(ODD_NAME)).write_text("{nope")
    out = tmp_path / "r.html"
    assert main(["group", str(folder), "--names", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "caf\ufffd [31m&lt;img src=x onerror=alert(1)&gt;.json" in page
    assert "<img src=x" not in page and "\x1b" not in page
    printed = capsys.readouterr().out
    assert "skipped caf\ufffd [31m<img" in printed and "\x1b" not in printed
    assert main(["group", str(folder), "--names", "--out", str(tmp_path / "r.md")]) == 0


def test_an_own_priority_is_counted_by_its_title_as_typed_and_a_blank_one_not_at_all(framework):
    """The tally names an own priority as typed (marks and all: every text shows as typed in the
    report), once per title; a blank title names nothing."""
    works = []
    for title in ("Parent nights", " Parent nights ", "- Parent nights", ".", "   "):
        work = Work()
        work.action_plan.priorities = [Priority(title=title)]
        works.append(("x.json", work.to_json().encode()))
    group = read_group(works, framework)
    assert priority_tally(group, framework) == [("Parent nights", 2), ("- Parent nights", 1), (".", 1)]


def test_the_demo_group_report_puts_no_colon_after_a_practice_s_full_stop(framework):
    """Issue 13: the dashboard read "community service.: chosen by 6", and the Markdown report's
    "Every practice" the same (".: We do this now 21"). Neither report has ".:" now."""
    group = read_group([data_dir() / "demo"], framework)
    for report in (group_markdown(group, framework), group_html(group, framework)):
        assert ".:" not in report
    markdown = group_markdown(group, framework)
    standards = framework.practices["what.competencies.standards"].text
    assert re.search(rf"^- {re.escape(standards)} \(We do this now \d+, ", markdown, re.M)
    assert f"{len(group)} participants" in markdown and len(group) == 30
