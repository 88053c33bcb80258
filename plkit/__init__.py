"""plkit: professional-learning workbooks about personalized learning."""

from plkit.content import Framework, load_framework
from plkit.errors import ContentError, PlkitError, WorkFileError
from plkit.work import Work, read_work, write_work

__all__ = [
    "ContentError",
    "Framework",
    "PlkitError",
    "Work",
    "WorkFileError",
    "load_framework",
    "read_work",
    "write_work",
]
__version__ = "0.1.0"
