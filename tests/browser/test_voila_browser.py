"""Every workbook as a Voilà app: it renders without code or errors, its main interaction works,
a reload brings the work back, and the save bar's Download / Load my work do what they say.

Each page load starts a kernel that runs every cell, so one test walks a workbook through all of
it in two page loads. The facilitator's dashboard has no work file: only the first part applies.
"""

from __future__ import annotations

import re

import drivers
import lab
import pytest
from playwright.sync_api import expect

from plkit import load_framework, read_work

pytestmark = pytest.mark.browser

TIMEOUT = drivers.TIMEOUT
NOT_LOADED = "was not loaded, and your work is unchanged."

def assert_renders(page) -> None:
    """No error output, no widget that failed to show, and no code on show."""
    problems = lab.error_outputs(page)
    assert not problems, "the app shows errors:\n" + "\n---\n".join(problems)
    code = lab.visible_code(page)
    assert not code, "the app shows code:\n" + "\n---\n".join(code)


def message(screen):
    return screen.locator(f"{lab.SAVE_BAR} [role=status]")


def click_button(screen, name: str) -> None:
    button = screen.get_by_role("button", name=name, exact=True)
    button.click()
    expect(button).to_have_count(0, timeout=TIMEOUT)  # the save bar takes its choices away


def download_work(page, screen, marker: str, folder) -> tuple[str, bytes]:
    """Click *Download my work* once its link holds ``marker``; return the file's name and bytes."""
    lab.wait_download_link_holds(page, marker, TIMEOUT)
    link = screen.locator(lab.DOWNLOAD_LINK, has_text="Download my work")
    path = lab.save_download(page, link, folder)
    assert re.fullmatch(r"plkit-work-[a-z0-9-]*\d{4}-\d\d-\d\d\.json", path.name)
    return path.name, path.read_bytes()


def load_work(page, screen, name: str, content: bytes, mime: str) -> None:
    """Click *Load my work* and choose a file, as the participant would."""
    with page.expect_file_chooser() as info:
        screen.get_by_role("button", name=re.compile(r"Load my work")).click()
    info.value.set_files(files=[{"name": name, "mimeType": mime, "buffer": content}])


@pytest.mark.parametrize("notebook", lab.workbook_names())
def test_workbook_in_voila(voila_page, voila_server, voila_work_dir, notebook, tmp_path):
    page = voila_page
    driver = drivers.driver_for(notebook)

    # It renders as an app, and its main interaction works.
    screen = lab.open_voila(page, voila_server, notebook, ready=driver.ready)
    assert_renders(page)
    driver.wait_ready(screen)
    driver.interact(screen)
    assert_renders(page)
    if not driver.saves_work:  # the facilitator's dashboard: no work file, no save bar
        return
    check_work_file_round_trip(page, screen, driver, voila_server.work_file, notebook, tmp_path)


def check_work_file_round_trip(page, screen, driver, work_file, notebook, folder) -> None:
    """Saved, downloaded, wrong files refused, reloaded, started over, loaded back."""
    framework = load_framework()
    lab.wait_file_contains(work_file, driver.saved_marker)
    expect(screen.locator(lab.SAVE_BAR)).to_contain_text(re.compile(r"Saved at \d\d:\d\d"))
    driver.assert_work(read_work(work_file, framework))

    # Download my work gives a valid work file holding the answers.
    name, downloaded = download_work(page, screen, driver.saved_marker, folder)
    driver.assert_work(read_work(downloaded, framework))

    # Load my work with wrong files: a message, and the work unchanged on disk and on screen.
    saved = work_file.read_bytes()
    wrong_files = [
        ("answers.csv", b"practice,rating\nstandards,now\n", "text/csv"),
        (notebook, (lab.WORKBOOKS / notebook).read_bytes(), "application/x-ipynb+json"),
    ]
    for wrong_name, content, mime in wrong_files:
        load_work(page, screen, wrong_name, content, mime)
        expect(message(screen)).to_contain_text(f"{wrong_name} {NOT_LOADED}", timeout=TIMEOUT)
        expect(screen.get_by_role("button", name="Use this file")).to_have_count(0)
        assert work_file.read_bytes() == saved
    driver.assert_shown(screen)

    # A reload (a new kernel) brings the work back from the work file.
    screen = lab.reload_voila(page, ready=driver.ready)
    assert_renders(page)
    driver.assert_shown(screen)

    # A fresh start, then Load my work with the downloaded file: everything is back.
    screen.get_by_role("button", name="Start over").click()
    click_button(screen, "Yes, clear my answers")
    expect(message(screen)).to_contain_text("You are starting over", timeout=TIMEOUT)
    driver.assert_blank(screen)
    load_work(page, screen, name, downloaded, "application/json")
    expect(message(screen)).to_contain_text(f"{name} holds:", timeout=TIMEOUT)
    click_button(screen, "Use this file")
    expect(message(screen)).to_contain_text("Loaded.", timeout=TIMEOUT)
    driver.assert_shown(screen)
    lab.wait_file_contains(work_file, driver.saved_marker)
    driver.assert_work(read_work(work_file, framework))
    assert_renders(page)
