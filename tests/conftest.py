import pytest

from plkit import load_framework


@pytest.fixture(scope="session")
def framework():
    return load_framework()

