"""Keep every test run (notebooks included) away from the checkout's my_work/ folder."""

import os
import tempfile


def pytest_configure(config):
    if not os.environ.get("PLKIT_WORK_DIR"):
        os.environ["PLKIT_WORK_DIR"] = tempfile.mkdtemp(prefix="plkit-nbval-")
