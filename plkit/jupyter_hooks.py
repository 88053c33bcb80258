"""Keep the kit's workbooks unchanged when JupyterLab saves them.

A workbook's answers live in the work file, never in the notebook. JupyterLab still marks an open
workbook as changed (its outputs, the kernel's language details) and saves it now and then, or
asks *Save your work?* on closing. This hook, set as the server's ``pre_save_hook``
(``binder/jupyter_server_config.json``), writes the workbook back as it was shipped: text as it
is, no outputs, no run counts, no kernel details. So saving is always safe, the file stays as the
kit's git history has it (a newer kit pulls in cleanly), and a workbook never carries one
person's screen to the next.

Only notebooks that say they are the kit's (``metadata.plkit``) are touched.
"""

from __future__ import annotations

KEPT_NOTEBOOK_METADATA = ("kernelspec", "title", "plkit")
KEPT_CELL_METADATA = ("jupyter", "tags")


def is_workbook(notebook: dict) -> bool:
    metadata = notebook.get("metadata")
    return isinstance(metadata, dict) and isinstance(metadata.get("plkit"), dict)


def as_shipped(notebook: dict) -> dict:
    """The workbook with nothing of a session in it: outputs, run counts and extra metadata go."""
    metadata = notebook.get("metadata", {})
    notebook["metadata"] = {key: metadata[key] for key in KEPT_NOTEBOOK_METADATA if key in metadata}
    notebook["metadata"]["language_info"] = {"name": "python"}
    for cell in notebook.get("cells", []):
        if not isinstance(cell, dict):
            continue
        cell_metadata = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        cell["metadata"] = {key: cell_metadata[key] for key in KEPT_CELL_METADATA if key in cell_metadata}
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return notebook


def keep_workbook_as_shipped(model: dict, **kwargs) -> None:
    """Jupyter server ``pre_save_hook``: a kit workbook is saved as shipped (other files as they are)."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict) and is_workbook(model["content"]):
        as_shipped(model["content"])
