"""The dashboard's kept copies (``my_work/group``) are read back whatever the index holds."""

import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from strategies import ANY_JSON

from plkit.collected import INDEX, INDEX_FORMAT, CollectedFiles
from plkit.files import display_name

pytestmark = pytest.mark.properties

ENTRY = st.fixed_dictionaries({}, optional={"file": st.one_of(st.sampled_from(["0001-a.json", "0002-b.json", "../x.json"]),
                                                               ANY_JSON),
                                            "name": st.one_of(st.text(max_size=30), ANY_JSON)})
INDEXES = st.one_of(
    st.binary(max_size=200),
    st.builds(lambda files: json.dumps({"format": INDEX_FORMAT, "version": 1, "files": files}).encode(),
              st.lists(st.one_of(ENTRY, ANY_JSON), max_size=4)),
    ANY_JSON.map(lambda value: json.dumps(value).encode()),
)


@given(index=INDEXES)
@example(index=b"[" * 100_000)
@example(index=json.dumps({"format": INDEX_FORMAT, "files": [{"file": "0001-a.json", "name": "\u202eevil\nname"}]}).encode())
def test_any_index_reads_back_as_files_or_nothing(index, tmp_path_factory):
    work_dir = tmp_path_factory.mktemp("work")
    folder = work_dir / "group"
    folder.mkdir()
    (folder / INDEX).write_bytes(index)
    (folder / "0001-a.json").write_bytes(b'{"format": "plkit-work", "version": 5}')
    kept, missing = CollectedFiles(work_dir).load()
    for name, data in kept:
        assert name == display_name(name) and data == b'{"format": "plkit-work", "version": 5}'
    assert all(name == display_name(name) for name in missing)
    assert (folder / INDEX).read_bytes() == index  # reading changes nothing
