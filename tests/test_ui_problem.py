"""Issue 10: a workbook that cannot start shows a plain message, never a traceback."""

import pytest

import plkit.ui
from plkit.errors import ContentError, PlkitError
from plkit.ui.problem import plain_problems

SCREENS = ["understanding", "self_assessment", "research_claims", "action_plan", "dashboard"]


@pytest.mark.parametrize("screen", SCREENS)
def test_a_malformed_framework_setting_shows_a_plain_message_on_every_screen(
    tmp_path, monkeypatch, screen
):
    """Issue 10: PLKIT_FRAMEWORK pointing at a malformed file showed a 7-frame traceback."""
    bad = tmp_path / "district.csv"
    bad.write_text("type,id,parent,text,detail,source\ntheme,a,,,,src\n", encoding="utf-8")
    monkeypatch.setenv("PLKIT_FRAMEWORK", str(bad))
    build = getattr(plkit.ui, screen)
    kwargs = {} if screen == "dashboard" else {"work_dir": tmp_path / "work"}
    shown = build(**kwargs)
    assert "plkit-cannot-start" in shown._dom_classes
    html = shown.children[-1].value
    assert "This workbook cannot start." in html and 'role="alert"' in html
    assert "district.csv, row 2, column D (text): the text is empty." in html
    assert "PLKIT_FRAMEWORK" in html
    assert not (tmp_path / "work").exists(), "nothing was written"


def test_the_message_is_escaped():
    shown = plain_problems(lambda: (_ for _ in ()).throw(ContentError("x", "<img src=x> bad")))()
    assert "&lt;img src=x&gt; bad" in shown.children[-1].value


def test_only_plkit_errors_are_caught():
    def broken():
        raise KeyError("a bug, to be seen")

    with pytest.raises(KeyError):
        plain_problems(broken)()
    assert isinstance(PlkitError("a", "b"), ValueError)


def test_a_screen_that_can_start_is_returned_as_it_is(tmp_path):
    screen = plkit.ui.self_assessment(work_dir=tmp_path)
    assert type(screen).__name__ == "SelfAssessmentScreen"
    assert plkit.ui.self_assessment.__doc__.startswith("Build the self-assessment screen")
