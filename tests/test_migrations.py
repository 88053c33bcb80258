"""A full work file of every earlier version loads in the current kit with nothing lost.

Each file below holds every part its version could hold, written as that version wrote it; the
expected ``Work`` is written out by hand. The file then saves as the current version and opens
again unchanged.
"""

from __future__ import annotations

import json

import pytest

from plkit.model import (
    NO_AGREEMENT,
    PERSONAL,
    TEAM,
    VERSION,
    ActionPlan,
    Agreement,
    Claims,
    Participant,
    Priority,
    SelfAssessment,
    Step,
    Team,
    Understanding,
    Work,
)
from plkit.work import parse_work, work_bytes

VOICE, PLANS = "how.voice.choices", "how.guidance.plans"
SAVED = "2026-05-04T10:30:00+00:00"
RATINGS = {VOICE: "now", PLANS: "different"}
NOTES = {"how.voice": "Student council <b>meets</b> weekly"}
EVIDENCE = {"how.voice": "Council minutes"}
UNDERSTANDING = {"vignettes": {"stations": ["agency"]}, "myths": {"only-gifted": "myth"},
                 "reflections": {"attributes": "Agency matters most."}}
CLAIMS = {"judgements": {"rand-2015": {"compared": "yes"}}, "verdict": "Promising, not proven."}
V4_PRIORITY = {"title": "Student goal setting", "practice": PLANS, "goal": "Every student sets goals",
               "first_steps": "Pilot with grade 7\n\n  Share at staff meeting  \n", "people": "Grade 7 team",
               "start": "2026-09-01", "end": "2027-01-31", "evidence": "Goal sheets", "support": "PD time",
               "resources": []}


def expected_priority() -> Priority:
    """The version-4/5 priority after migration: each line of its first steps is a step, not started."""
    return Priority(title="Student goal setting", practice=PLANS, goal="Every student sets goals",
                    steps=[Step("Pilot with grade 7"), Step("Share at staff meeting")], people="Grade 7 team",
                    start="2026-09-01", end="2027-01-31", evidence="Goal sheets", support="PD time")


FILES = {
    1: ({"format": "plkit-work", "version": 1, "name": "Sam", "role": "teacher",
         "self_assessment": {"ratings": RATINGS, "notes": NOTES}, "framework": "air-whwwpl", "saved_at": SAVED},
        Work(participant=Participant(name="Sam", role="teacher"),
             self_assessment=SelfAssessment(ratings=RATINGS, notes=NOTES), framework="air-whwwpl", saved_at=SAVED)),
    2: ({"format": "plkit-work", "version": 2, "participant": {"name": "Ida", "role": "coach", "team": "Lincoln"},
         "self_assessment": {"ratings": RATINGS, "notes": NOTES, "evidence": EVIDENCE, "reflections": {}},
         "framework": "air-whwwpl", "saved_at": SAVED},
        Work(participant=Participant("Ida", "coach", "Lincoln"),
             self_assessment=SelfAssessment(ratings=RATINGS, notes=NOTES, evidence=EVIDENCE),
             framework="air-whwwpl", saved_at=SAVED)),
    3: ({"format": "plkit-work", "version": 3, "participant": {"name": "Ida", "role": "", "team": ""},
         "self_assessment": {"ratings": RATINGS, "notes": NOTES, "evidence": EVIDENCE, "reflections": {}},
         "understanding": UNDERSTANDING, "framework": "air-whwwpl", "saved_at": SAVED},
        Work(participant=Participant("Ida"),
             self_assessment=SelfAssessment(ratings=RATINGS, notes=NOTES, evidence=EVIDENCE),
             understanding=Understanding(**UNDERSTANDING), framework="air-whwwpl", saved_at=SAVED)),
    4: ({"format": "plkit-work", "version": 4, "participant": {"name": "Ida", "role": "", "team": ""},
         "self_assessment": {"ratings": RATINGS, "notes": NOTES, "evidence": EVIDENCE, "reflections": {}},
         "understanding": UNDERSTANDING, "claims": CLAIMS, "action_plan": {"priorities": [V4_PRIORITY]},
         "framework": "air-whwwpl", "saved_at": SAVED},
        Work(participant=Participant("Ida"),
             self_assessment=SelfAssessment(ratings=RATINGS, notes=NOTES, evidence=EVIDENCE),
             understanding=Understanding(**UNDERSTANDING), claims=Claims(**CLAIMS),
             action_plan=ActionPlan([expected_priority()]), framework="air-whwwpl", saved_at=SAVED)),
    5: ({"format": "plkit-work", "version": 5, "participant": {"name": "", "role": "", "team": "Lincoln MS"},
         "self_assessment": {"ratings": {PLANS: "different"}, "notes": {}, "evidence": {}, "reflections": {}},
         "understanding": {}, "claims": {}, "action_plan": {"priorities": [V4_PRIORITY]},
         "framework": "air-whwwpl", "saved_at": SAVED, "kind": "team",
         "team": {"members": 3, "combined": ["file-0a1b2c3d4e", "file-1a1b2c3d4e", "file-2a1b2c3d4e"],
                  "names_shown": False, "started": "2026-05-01",
                  "consensus": {PLANS: {"rating": "different", "reasons": "Only in grade 7.", "evidence_needed": "",
                                        "who_finds": "", "split": {"now": 1, "different": 2}, "agreed_at": SAVED},
                                VOICE: {"rating": NO_AGREEMENT, "reasons": "", "evidence_needed": "Minutes",
                                        "who_finds": "Ana", "split": {"now": 2, "unrated": 1}, "agreed_at": SAVED}}}},
        Work(participant=Participant(team="Lincoln MS"),
             self_assessment=SelfAssessment(ratings={PLANS: "different"}),
             action_plan=ActionPlan([expected_priority()]), framework="air-whwwpl", saved_at=SAVED, kind=TEAM,
             team=Team(members=3, combined=["file-0a1b2c3d4e", "file-1a1b2c3d4e", "file-2a1b2c3d4e"],
                       started="2026-05-01",
                       consensus={PLANS: Agreement("different", "Only in grade 7.", "", "", {"now": 1, "different": 2}, SAVED),
                                  VOICE: Agreement(NO_AGREEMENT, "", "Minutes", "Ana", {"now": 2, "unrated": 1}, SAVED)})),
    ),
}


def test_every_earlier_version_has_a_file_here():
    assert sorted(FILES) == list(range(1, VERSION))


@pytest.mark.parametrize("version", sorted(FILES))
def test_a_file_of_each_version_loads_with_nothing_lost(version, framework):
    document, expected = FILES[version]
    if version == 2:  # version 2 had reflections; this one wrote none (the prompt ids are the framework's)
        assert document["self_assessment"]["reflections"] == {}
    work = parse_work(json.dumps(document).encode(), framework)
    assert work == expected
    assert work.kind == (TEAM if version == 5 else PERSONAL)
    saved = work_bytes(work)  # saved as the current version, it opens again unchanged
    assert json.loads(saved)["version"] == VERSION
    assert parse_work(saved, framework) == expected


def test_twenty_five_lines_of_first_steps_lose_none(framework):
    """A step list holds at most 20: the last step keeps every line after the 19th."""
    lines = [f"Step {n}" for n in range(1, 26)]
    document = {"format": "plkit-work", "version": 5,
                "action_plan": {"priorities": [{"title": "T", "first_steps": "\n".join(lines)}]}}
    steps = parse_work(json.dumps(document).encode(), framework).action_plan.priorities[0].steps
    assert len(steps) == 20 and [s.text for s in steps[:19]] == lines[:19]
    assert steps[19].text == "\n".join(lines[19:])
    assert all(s.status == "not-started" and s.due == "" for s in steps)
