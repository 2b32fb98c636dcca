"""The inbox rules: which files are filings, and how content maps to filings and versions."""

from __future__ import annotations

import hashlib
import os
import stat
import time
from pathlib import Path

import pytest

from orchestration.filings.inbox import (
    InboxFile,
    KnownFilings,
    NotRegularFile,
    filing_key_for_name,
    plan,
    read_regular,
    scan,
    settle_wait,
    still_being_written,
)

pytestmark = pytest.mark.unit


def write(inbox: Path, name: str, content: bytes) -> Path:
    path = inbox / name
    path.write_bytes(content)
    return path


def test_scan_takes_the_formats_the_parser_reads_and_hashes_them(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", b"alpha")
    for name in ("b.pdf", "c.HTM", "d.html", "e.md"):
        write(tmp_path, name, b"x")
    write(tmp_path, "README.md", b"not a filing")
    # A download folder's own notes: where its files came from, their licence.
    for name in ("SOURCES.md", "LICENSE.txt", "notice.txt"):
        write(tmp_path, name, b"# about these files")
    write(tmp_path, "sources-of-funds-2024.txt", b"a filing whose name only starts alike")
    write(tmp_path, ".hidden.txt", b"editor swap")
    write(tmp_path, "notes.docx", b"not a format we read")
    write(tmp_path, "a.meta.json", b"{}")  # a sidecar, never a filing
    (tmp_path / "folder.txt").mkdir()
    files = scan(tmp_path).files
    assert [f.name for f in files] == [
        "a.txt",
        "b.pdf",
        "c.HTM",
        "d.html",
        "e.md",
        "sources-of-funds-2024.txt",
    ]
    assert files[0].sha256 == hashlib.sha256(b"alpha").hexdigest()
    assert files[0].size == 5


def test_scan_attaches_each_sidecar_to_its_filing(tmp_path: Path) -> None:
    write(tmp_path, "acme 2023.pdf", b"%PDF-")
    write(tmp_path, "acme 2023.meta.yaml", b"company: Acme Gold Corp.\n")
    write(tmp_path, "beta.txt", b"beta")
    write(tmp_path, "beta.txt.meta.json", b'{"company": "Beta"}')
    write(tmp_path, "beta.meta.json", b'{"company": "not this one"}')
    write(tmp_path, "gamma.txt", b"gamma")
    sides = {f.name: f.sidecar for f in scan(tmp_path).files}
    assert sides["acme 2023.pdf"].name == "acme 2023.meta.yaml"
    assert (
        sides["acme 2023.pdf"].sha256 == hashlib.sha256(b"company: Acme Gold Corp.\n").hexdigest()
    )
    assert sides["beta.txt"].name == "beta.txt.meta.json"  # NAME.ext.meta.* comes first
    assert sides["gamma.txt"] is None


def test_a_filing_waits_for_its_sidecar_to_settle(tmp_path: Path) -> None:
    old = write(tmp_path, "a.txt", b"settled")
    past = time.time() - 60
    os.utime(old, (past, past))
    write(tmp_path, "a.meta.json", b"{}")  # still being written
    assert scan(tmp_path, settle_seconds=30).files == []


def test_plan_a_sidecar_written_changed_or_removed_reads_the_filing_again(
    tmp_path: Path,
) -> None:
    write(tmp_path, "a.txt", b"v1")
    changes, state = plan(scan(tmp_path).files, KnownFilings())
    assert [c.kind for c in changes] == ["new_filing"]
    side = write(tmp_path, "a.meta.json", b'{"company": "Acme"}')
    changes, state = plan(scan(tmp_path).files, state)
    assert [(c.kind, c.filing_key, c.version) for c in changes] == [("sidecar", "a", 1)]
    assert plan(scan(tmp_path).files, state)[0] == []  # nothing new the second time
    side.write_bytes(b'{"company": "Acme Gold Corp."}')
    changes, state = plan(scan(tmp_path).files, state)
    assert [c.kind for c in changes] == ["sidecar"]
    side.unlink()
    changes, state = plan(scan(tmp_path).files, state)
    assert [(c.kind, c.file.sidecar) for c in changes] == [("sidecar", None)]
    # The state survives a sensor cursor.
    assert KnownFilings.from_json(state.to_json()) == state


def test_scan_waits_for_files_still_being_written(tmp_path: Path) -> None:
    old = write(tmp_path, "old.txt", b"settled")
    past = time.time() - 60
    os.utime(old, (past, past))
    write(tmp_path, "new.txt", b"just copied")
    assert [f.name for f in scan(tmp_path, settle_seconds=30).files] == ["old.txt"]
    assert len(scan(tmp_path, settle_seconds=0).files) == 2


def test_scan_missing_inbox_names_the_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nope"):
        scan(tmp_path / "nope")


def test_filing_keys_are_slugs_of_the_file_name() -> None:
    assert filing_key_for_name("Acme Gold 2012 Annual MD&A.txt") == "acme-gold-2012-annual-md-a"
    assert (
        filing_key_for_name("kestrel-ridge-2023-annual-mda.txt") == "kestrel-ridge-2023-annual-mda"
    )
    assert filing_key_for_name("___.txt") == "filing"
    assert filing_key_for_name("Acme 2023 MD&A.PDF") == "acme-2023-md-a"
    assert filing_key_for_name("acme-20f.htm") == filing_key_for_name("acme-20f.txt")


def test_plan_new_unchanged_changed_and_renamed(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", b"v1")
    changes, state = plan(scan(tmp_path).files, KnownFilings())
    assert [(c.kind, c.filing_key, c.version) for c in changes] == [("new_filing", "a", 1)]

    again, state = plan(scan(tmp_path).files, state)
    assert again == []

    write(tmp_path, "a.txt", b"v2")
    changed, state = plan(scan(tmp_path).files, state)
    assert [(c.kind, c.filing_key, c.version) for c in changed] == [("new_version", "a", 2)]

    write(tmp_path, "copy of a.txt", b"v2")
    renamed, state = plan(scan(tmp_path).files, state)
    assert [(c.kind, c.filing_key, c.version) for c in renamed] == [("alias", "a", 2)]
    assert state.versions == {"a": 2}


def test_plan_keeps_colliding_names_apart(tmp_path: Path) -> None:
    write(tmp_path, "Acme.txt", b"one")
    write(tmp_path, "acme.txt", b"two")
    changes, _ = plan(scan(tmp_path).files, KnownFilings())
    assert sorted(c.filing_key for c in changes) == ["acme", "acme-2"]


def test_known_filings_round_trip_through_json(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", b"v1")
    _, state = plan(scan(tmp_path).files, KnownFilings())
    restored = KnownFilings.from_json(state.to_json())
    assert restored == state


def test_plan_content_put_back_is_the_next_version(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", b"v1")
    _, state = plan(scan(tmp_path).files, KnownFilings())
    write(tmp_path, "a.txt", b"v2")
    _, state = plan(scan(tmp_path).files, state)
    write(tmp_path, "a.txt", b"v1")  # the edit is undone
    reverted, state = plan(scan(tmp_path).files, state)
    assert [(c.kind, c.filing_key, c.version) for c in reverted] == [("new_version", "a", 3)]
    assert state.current == {"a": hashlib.sha256(b"v1").hexdigest()}
    assert state.versions == {"a": 3}
    # Unchanged after the revert: nothing; a copy of an older version: another name only.
    again, state = plan(scan(tmp_path).files, state)
    assert again == []
    write(tmp_path, "old copy.txt", b"v2")
    copied, state = plan(scan(tmp_path).files, state)
    assert [(c.kind, c.file.name, c.filing_key, c.version) for c in copied] == [
        ("alias", "old copy.txt", "a", 2)
    ]
    assert state.current == {"a": hashlib.sha256(b"v1").hexdigest()}


def test_same_content_under_another_filings_name_stays_that_filing(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", b"alpha")
    write(tmp_path, "b.txt", b"beta")
    _, state = plan(scan(tmp_path).files, KnownFilings())
    write(tmp_path, "b.txt", b"alpha")  # b now holds a's bytes: the same filing as a
    changes, state = plan(scan(tmp_path).files, state)
    assert [(c.kind, c.file.name, c.filing_key, c.version) for c in changes] == [
        ("alias", "b.txt", "a", 1)
    ]
    assert state.versions == {"a": 1, "b": 1}


def test_cursor_without_latest_names_is_not_trusted() -> None:
    old_cursor = {"contents": {}, "names": {}, "versions": {}, "pairs": []}
    assert KnownFilings.from_json(old_cursor) is None


def test_scan_reads_only_regular_files_and_names_each_one_it_refuses(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_bytes(b"not yours")
    write(inbox, "a.txt", b"alpha")
    (inbox / "b.txt").symlink_to(outside)  # a way out of the inbox
    (inbox / "c.txt").symlink_to(inbox / "a.txt")  # even a link to a filing in the inbox
    (inbox / "d.txt").symlink_to("/etc/passwd")
    os.mkfifo(inbox / "e.txt")  # opening it would block the scan for good
    write(inbox, "f.txt", b"filing")
    (inbox / "f.meta.json").symlink_to(outside)  # a sidecar is read too: same rule
    (inbox / "README.md").symlink_to(outside)  # not a filing by name: not looked at
    found = scan(inbox)
    assert [(f.name, f.sidecar) for f in found.files] == [("a.txt", None), ("f.txt", None)]
    assert [r.message for r in found.refused] == [
        "refused: b.txt is a symbolic link; only regular files in the inbox are read",
        "refused: c.txt is a symbolic link; only regular files in the inbox are read",
        "refused: d.txt is a symbolic link; only regular files in the inbox are read",
        "refused: e.txt is a named pipe (FIFO); only regular files in the inbox are read",
        "refused: f.meta.json is a symbolic link; only regular files in the inbox are read",
    ]


def test_scan_refuses_a_device(tmp_path: Path) -> None:
    try:
        os.mknod(tmp_path / "null.txt", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device needs CAP_MKNOD")
    found = scan(tmp_path)
    assert found.files == []
    assert [r.message for r in found.refused] == [
        "refused: null.txt is a character device; only regular files in the inbox are read"
    ]


def test_read_regular_does_not_follow_a_file_swapped_for_a_link(tmp_path: Path) -> None:
    """Between the scan and the read a filing can be replaced by a link: not followed."""
    outside = tmp_path / "secret.txt"
    outside.write_bytes(b"not yours")
    path = write(tmp_path, "a.txt", b"alpha")
    assert read_regular(path) == b"alpha"
    path.unlink()
    path.symlink_to(outside)
    with pytest.raises(NotRegularFile, match="a.txt is a symbolic link"):
        read_regular(path)
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(NotRegularFile, match="named pipe"):
        read_regular(tmp_path / "pipe.txt")  # refused at once, not a read that never ends


def test_plan_keys_do_not_depend_on_the_order_files_arrive_in() -> None:
    """Two new files whose names slug alike get the same keys whichever comes first."""

    def file(name: str, content: bytes) -> InboxFile:
        return InboxFile(name, Path(name), len(content), 0, hashlib.sha256(content).hexdigest())

    spaced = file("Acme Gold 2012.txt", b"one")
    dashed = file("acme-gold-2012.txt", b"two")
    # The same bytes under two names: which is the filing and which the alias is fixed too.
    copy_a, copy_b = file("b copy.txt", b"same"), file("a copy.txt", b"same")

    def keys(files: list[InboxFile]) -> dict[str, tuple[str, str]]:
        changes, _ = plan(files, KnownFilings())
        return {c.file.name: (c.kind, c.filing_key) for c in changes}

    forward = keys([spaced, dashed, copy_a, copy_b])
    assert forward == keys([copy_b, dashed, copy_a, spaced])
    assert forward == {
        "Acme Gold 2012.txt": ("new_filing", "acme-gold-2012"),
        "acme-gold-2012.txt": ("new_filing", "acme-gold-2012-2"),
        "a copy.txt": ("new_filing", "a-copy"),
        "b copy.txt": ("alias", "a-copy"),
    }


def test_a_recent_file_is_waited_for_and_taken_only_if_it_stopped_changing(
    tmp_path: Path,
) -> None:
    settle = 0.5
    old = write(tmp_path, "old.txt", b"copied long ago")
    past = time.time() - 60
    os.utime(old, (past, past))
    # Nothing recent: `make run` takes the inbox at once, without waiting.
    assert settle_wait(tmp_path, settle) == 0

    write(tmp_path, "done.txt", b"copied just now, complete")
    growing = write(tmp_path, "growing.txt", b"line 1 of 421\n")
    wait = settle_wait(tmp_path, settle)
    assert 0 < wait <= settle
    before = scan(tmp_path, settle_seconds=settle)
    assert [f.name for f in before.files] == ["old.txt"]
    assert before.waiting == ["done.txt", "growing.txt"]

    time.sleep(wait / 2)
    with growing.open("ab") as f:  # the copy goes on during the wait
        f.write(b"line 2 of 421\n")
    time.sleep(wait / 2 + 0.01)
    after = scan(tmp_path, settle_seconds=settle)
    assert [f.name for f in after.files] == ["done.txt", "old.txt"]
    assert after.waiting == ["growing.txt"]
    assert still_being_written("growing.txt") == (
        "waiting: growing.txt is still being written; it will be read by the next run"
    )
    # The wait is bounded: a file written all the time never holds the run longer.
    assert settle_wait(tmp_path, settle) <= settle
