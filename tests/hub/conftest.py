"""The hub layer (marker ``hub``): a local workshop hub per test module, always torn down.

Each module that needs a hub gets its own (``--dist loadscope`` keeps a module on one worker), in a
temporary state folder, from deploy/jupyterhub's configuration, with a clone of this checkout as
the kit nbgitpuller pulls (nothing is written into the checkout).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for folder in (HERE, HERE.parent / "browser"):  # hubtools, and the browser helpers (lab.py)
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import hubtools  # noqa: E402


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.hub)


@pytest.fixture(scope="module")
def source_repo(tmp_path_factory) -> Path:
    """A clone of this checkout's history: the kit as a district would publish it."""
    return hubtools.source_repository(tmp_path_factory.mktemp("kit") / "plkit")


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    why = hubtools.missing()
    if why:
        pytest.skip(f"no hub here: {why}")
    with hubtools.Hub(tmp_path_factory.mktemp("hub-state")) as running:
        yield running
