"""Helpers for tests that break a copy of the shipped content on purpose."""


def copy_content(tmp_path, name):
    """A private copy of one ``data/`` folder, to break on purpose."""
    import shutil

    from plkit.content import data_dir

    target = tmp_path / name
    shutil.copytree(data_dir() / name, target)
    return target


def edit_once(path, old, new):
    """Replace the first ``old`` in a text file (which must hold it) by ``new``."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
