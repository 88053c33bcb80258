"""Launch links for a workshop hub: nbgitpuller pulls the kit into each person's home, then opens a workbook.

A link works for everyone: each person who follows it signs in to the hub, gets their own server,
and the kit is pulled into ``~/<folder>`` (the first time) or updated (later: nbgitpuller merges
the newer kit and never touches ``my_work/``, which the kit's .gitignore keeps out of git).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlencode

from plkit.errors import PlkitError

VIEWS = {"JupyterLab": "lab/tree", "app view": "voila/render"}


def pull_link(hub: str, repo: str, urlpath: str, *, branch: str = "main", target: str = "plkit") -> str:
    """The nbgitpuller link that pulls ``repo``'s ``branch`` into ``~/target``, then opens ``urlpath``."""
    query = urlencode({"repo": repo, "branch": branch, "targetpath": target, "urlpath": urlpath})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def workbook_names(folder: str | os.PathLike) -> list[str]:
    """The workbooks in ``folder`` (the kit's ``workbooks/``), in order."""
    names = sorted(path.name for path in Path(folder).glob("*.ipynb") if not path.name.startswith("."))
    if not names:
        raise PlkitError("links-no-workbooks", f"There are no workbooks in {folder}: run this from the kit's folder, "
                         "or give the workbooks' folder with --workbooks.")
    return names


def workbook_links(hub: str, repo: str, names: list[str], *, branch: str = "main",
                   target: str = "plkit") -> list[tuple[str, str, str]]:
    """For every workbook: (name, link into JupyterLab, link into the app view)."""
    if not hub.startswith(("http://", "https://")):
        raise PlkitError("links-hub", f"The hub's address should start with https:// (it was {hub!r}).")
    return [(name, *(pull_link(hub, repo, f"{view}/{target}/workbooks/{name}", branch=branch, target=target)
                     for view in VIEWS.values())) for name in names]


def links_text(links: list[tuple[str, str, str]]) -> str:
    """The links as a participant hand-out: each workbook, then its two links."""
    lines = []
    for name, lab, app in links:
        lines += [name, f"  app view (no code):  {app}", f"  JupyterLab:          {lab}", ""]
    return "\n".join(lines).rstrip() + "\n"
