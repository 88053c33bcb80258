"""Every workbook's save bar: news of a start over goes at the next change saved (issue 13).

"You are starting over with a blank workbook" stayed on screen after every answer was given
again; each workbook shares the save bar, and the team file has one too.
"""

import pytest

from plkit.ui import action_plan, research_claims, self_assessment, understanding
from plkit.ui.dashboard import dashboard


def _start_over(bar) -> None:
    bar.start_over.click()
    bar.confirm_reset.click()


@pytest.mark.parametrize("build", [understanding, self_assessment, research_claims, action_plan])
def test_the_start_over_message_goes_at_the_next_change_in_every_workbook(tmp_path, build):
    screen = build(work_dir=tmp_path)
    screen.details.name.value = "Ana"
    _start_over(screen.save_bar)
    assert "You are starting over with a blank workbook" in screen.save_bar.message.value
    screen.details.name.value = "Ana again"  # the first change after starting over
    assert screen.save_bar.message.value == ""
    assert "Saved at" in screen.save_bar.status.value


def test_the_team_s_start_over_message_goes_at_the_next_change(tmp_path):
    team = dashboard(work_dir=tmp_path).consensus
    team.team_name.value = "Room 5"
    _start_over(team.save_bar)
    assert "The team starts over with a blank team file" in team.save_bar.message.value
    team.team_name.value = "Room 5 leadership"
    assert team.save_bar.message.value == ""
