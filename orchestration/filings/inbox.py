"""The inbox: which files are filings, and how each maps to a filing and a version.

Identity rules (shared by the sensor and the raw store so both decide the same way):

- the same bytes are the same filing version, whatever the file is called: a copy or a
  rename is recorded as another name of that version, never as a new filing;
- a known file name with bytes other than its latest is a new version of the filing that name
  belongs to, even when those bytes are an earlier version of it (a file put back to earlier
  content makes that content current again);
- a file whose bytes are its name's latest changes nothing;
- anything else is a new filing, keyed by a slug of its file name.

A sidecar beside a filing (``NAME.meta.json`` or ``.yaml``, see ``ingest.sidecar``) is not a
filing: it travels with its filing. Writing, changing or removing one re-reads the filing's
current version with it (a ``sidecar`` change) and is itself stored, so nothing a user
wrote is lost.

Only regular files that live in the inbox are read. A symbolic link (to anything, even a
file in the inbox), a device, a named pipe, a socket or a folder under a filing's name is
refused: nothing is read from it, and the scan names it with the reason.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.readers import suffixes as reader_suffixes
from ingest.sidecar import SUFFIXES as SIDECAR_SUFFIXES
from ingest.sidecar import is_sidecar


def filing_suffixes() -> tuple[str, ...]:
    """What the inbox takes as a filing: every suffix the parser has a reader for."""
    return reader_suffixes()


@dataclass(frozen=True)
class Sidecar:
    """The metadata file a user wrote beside a filing."""

    name: str
    path: Path
    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True)
class InboxFile:
    """One candidate filing in the inbox."""

    name: str
    path: Path
    size: int
    mtime_ns: int
    sha256: str
    sidecar: Sidecar | None = None

    @property
    def sidecar_sha256(self) -> str | None:
        return self.sidecar.sha256 if self.sidecar else None


@dataclass(frozen=True)
class Refused:
    """An entry under a filing's (or a sidecar's) name that is not read: why, for the user."""

    name: str
    reason: str  # "a symbolic link", "a named pipe (FIFO)", ...

    @property
    def message(self) -> str:
        return f"refused: {self.name} is {self.reason}; only regular files in the inbox are read"


@dataclass(frozen=True)
class InboxScan:
    """What one look at the inbox found: the filings to read and the entries refused."""

    files: list[InboxFile]
    refused: list[Refused] = field(default_factory=list)
    # Filings (or their sidecars) modified within the settle time: maybe still being copied.
    waiting: list[str] = field(default_factory=list)


class NotRegularFile(OSError):
    """A path that is not a regular file when it is opened (it was swapped since the scan)."""

    def __init__(self, refused: Refused) -> None:
        super().__init__(refused.message)
        self.refused = refused


def still_being_written(name: str) -> str:
    """What the user is told about a file left in the inbox because it is still changing."""
    return f"waiting: {name} is still being written; it will be read by the next run"


def disappeared(what: str) -> str:
    """What the user is told about a file that was gone by the time it was to be read."""
    return f"skipped: {what} disappeared before it could be read"


@dataclass(frozen=True)
class Change:
    """What a file means for the warehouse: a new filing, a new version, another name, or
    the same bytes with a sidecar written, changed or removed."""

    kind: str  # "new_filing" | "new_version" | "alias" | "sidecar"
    file: InboxFile
    filing_key: str
    version: int


@dataclass
class KnownFilings:
    """What has been seen, replayed from the raw store's rows in the order they were seen.

    ``contents``: sha256 -> (filing, version it first arrived as); ``names``: file name ->
    filing; ``versions``: filing -> highest version; ``latest``: file name -> sha256 of the
    bytes last seen under it; ``current``: filing -> sha256 of its highest version;
    ``sidecars``: file name -> sha256 of the sidecar last seen beside it (absent: none).
    """

    contents: dict[str, tuple[str, int]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    latest: dict[str, str] = field(default_factory=dict)
    current: dict[str, str] = field(default_factory=dict)
    sidecars: dict[str, str] = field(default_factory=dict)

    def record_sidecar(self, name: str, sha256: str | None) -> None:
        """Take in what sidecar (None: none) was last seen beside the file ``name``."""
        if sha256 is None:
            self.sidecars.pop(name, None)
        else:
            self.sidecars[name] = sha256

    def record(self, sha256: str, name: str, filing_key: str, version: int) -> None:
        """Take in one raw-store row (or one planned change): ``name`` held ``sha256``."""
        self.contents.setdefault(sha256, (filing_key, version))
        self.names[name] = filing_key
        self.latest[name] = sha256
        if version >= self.versions.get(filing_key, 0):
            self.versions[filing_key] = version
            self.current[filing_key] = sha256

    def copy(self) -> KnownFilings:
        return KnownFilings(
            contents=dict(self.contents),
            names=dict(self.names),
            versions=dict(self.versions),
            latest=dict(self.latest),
            current=dict(self.current),
            sidecars=dict(self.sidecars),
        )

    def to_json(self) -> dict:
        return {
            "contents": {sha: list(kv) for sha, kv in self.contents.items()},
            "names": self.names,
            "versions": self.versions,
            "latest": self.latest,
            "current": self.current,
            "sidecars": self.sidecars,
        }

    @classmethod
    def from_json(cls, data: dict) -> KnownFilings | None:
        """The state a sensor cursor holds; None for a cursor written before ``latest``."""
        if "latest" not in data or "current" not in data:
            return None
        return cls(
            contents={sha: (kv[0], int(kv[1])) for sha, kv in data.get("contents", {}).items()},
            names=dict(data.get("names", {})),
            versions={k: int(v) for k, v in data.get("versions", {}).items()},
            latest=dict(data["latest"]),
            current=dict(data["current"]),
            sidecars=dict(data.get("sidecars", {})),
        )


# The names a folder's own documentation conventionally goes by. A download folder or a
# data set often carries one (where the files came from, their licence); it describes the
# filings and is not one, so it is left in the inbox unread rather than quarantined.
FOLDER_DOCUMENTATION = frozenset(
    {
        "readme",
        "sources",
        "license",
        "licence",
        "notice",
        "copying",
        "changelog",
        "changes",
        "authors",
        "contributing",
        "manifest",
    }
)


def is_folder_documentation(name: str) -> bool:
    """``README.md``, ``SOURCES.md``, ``LICENSE.txt``: a folder's notes, not a filing."""
    return name.split(".", 1)[0].lower() in FOLDER_DOCUMENTATION


def is_filing_name(name: str) -> bool:
    """Whether a file in the inbox is a filing: a format the parser reads, not hidden, not a
    sidecar, and not the folder's own documentation (``is_folder_documentation``)."""
    if name.startswith(".") or is_sidecar(name) or is_folder_documentation(name):
        return False
    return name.lower().endswith(filing_suffixes())


def filing_key_for_name(name: str) -> str:
    """A partition-safe key from a file name: ``Acme Gold 2012.pdf`` -> ``acme-gold-2012``."""
    stem = name
    for suffix in filing_suffixes():
        if name.lower().endswith(suffix):
            stem = name[: -len(suffix)]
            break
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug[:120] or "filing"


_NOT_REGULAR = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> str | None:
    """What a file of ``mode`` is, when it is not a regular file; None for a regular file."""
    for test, reason in _NOT_REGULAR:
        if test(mode):
            return reason
    return None if stat.S_ISREG(mode) else "not a regular file"


def _open_regular(path: Path):
    """``path`` opened for reading, only if it is itself a regular file.

    O_NOFOLLOW: a file swapped for a link since the scan is not followed. O_NONBLOCK: a file
    swapped for a named pipe is not waited on (a regular file reads the same either way).
    fstat on the open descriptor: what is read is what was checked.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link
            raise NotRegularFile(Refused(path.name, "a symbolic link")) from exc
        raise
    reason = _not_regular(os.fstat(fd).st_mode)
    if reason is not None:
        os.close(fd)
        raise NotRegularFile(Refused(path.name, reason))
    return os.fdopen(fd, "rb")


def read_regular(path: Path) -> bytes:
    """The bytes of ``path`` if it is a regular file (not a link, device or pipe).

    Raises ``NotRegularFile`` otherwise, and ``FileNotFoundError`` when it is gone.
    """
    with _open_regular(path) as fh:
        return fh.read()


def sha256_file(path: Path) -> str:
    """The sha256 of a regular file's bytes (``NotRegularFile`` for anything else)."""
    digest = hashlib.sha256()
    with _open_regular(path) as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def scan(
    inbox: Path,
    settle_seconds: float = 0.0,
    cache: dict[str, tuple[int, int, str]] | None = None,
) -> InboxScan:
    """The filings directly in ``inbox`` (``is_filing_name``), each with its sidecar if any,
    and the entries under a filing's or a sidecar's name that are refused (not regular files).

    Files modified less than ``settle_seconds`` ago are skipped: they may still be copying
    (a filing whose sidecar is still being written waits for it). ``cache`` maps name ->
    (size, mtime_ns, sha256) to avoid re-hashing untouched files. A refused sidecar is left
    out and its filing read without it.
    """
    if not inbox.is_dir():
        raise FileNotFoundError(f"filings inbox {inbox} does not exist or is not a folder")
    now_ns = time.time_ns()
    home = inbox.resolve()
    entries = {e.name: e for e in os.scandir(inbox)}

    def settled(entry: os.DirEntry) -> tuple[int, int, str] | Refused | str | None:
        """(size, mtime_ns, sha256) of a regular file that has settled, why it is refused,
        its name when it has not settled yet, or None (gone, unreadable)."""
        try:
            # follow_symlinks=False: a link is judged as a link, never as what it points to.
            st = entry.stat(follow_symlinks=False)
        except OSError:
            return None  # gone since the listing: nothing to read, nothing to say
        reason = _not_regular(st.st_mode)
        if reason is None and Path(entry.path).resolve().parent != home:
            reason = "outside the inbox"
        if reason is not None:
            return Refused(entry.name, reason)
        if settle_seconds and now_ns - st.st_mtime_ns < settle_seconds * 1e9:
            return entry.name
        cached = (cache or {}).get(entry.name)
        if cached and cached[0] == st.st_size and cached[1] == st.st_mtime_ns:
            return st.st_size, st.st_mtime_ns, cached[2]
        try:
            return st.st_size, st.st_mtime_ns, sha256_file(Path(entry.path))
        except NotRegularFile as exc:  # swapped since the stat above
            return exc.refused
        except OSError:
            return None  # vanished or unreadable between listing and reading: next tick

    found: list[InboxFile] = []
    refused: list[Refused] = []
    waiting: list[str] = []
    for name in sorted(entries):
        if not is_filing_name(name):
            continue
        seen = settled(entries[name])
        if isinstance(seen, Refused):
            refused.append(seen)
        elif isinstance(seen, str):
            waiting.append(seen)
        if not isinstance(seen, tuple):
            continue
        sidecar = None
        side_entry = _sidecar_entry(name, entries)
        if side_entry is not None:
            side_seen = settled(side_entry)
            if isinstance(side_seen, str):
                waiting.append(side_seen)
            if side_seen is None or isinstance(side_seen, str):
                continue  # its sidecar is still being written: read the two together
            if isinstance(side_seen, Refused):
                refused.append(side_seen)  # and the filing is read without it
            else:
                sidecar = Sidecar(side_entry.name, Path(side_entry.path), *side_seen)
        found.append(InboxFile(name, Path(entries[name].path), *seen, sidecar=sidecar))
    return InboxScan(found, refused, waiting)


def settle_wait(inbox: Path, settle_seconds: float) -> float:
    """Seconds to wait before a scan with ``settle_seconds`` takes every file in ``inbox``
    that is not being written any more: until the most recently modified filing or sidecar
    has been untouched for ``settle_seconds``. 0 when none was modified that recently, so a
    run on an inbox at rest starts at once; never more than ``settle_seconds``.

    A file modified again during the wait is recent again, and the scan leaves it for the
    next run: only the files nobody wrote to during the wait are taken.
    """
    if settle_seconds <= 0 or not inbox.is_dir():
        return 0.0
    newest = 0
    for entry in os.scandir(inbox):
        if is_filing_name(entry.name) or is_sidecar(entry.name):
            try:
                newest = max(newest, entry.stat(follow_symlinks=False).st_mtime_ns)
            except OSError:
                continue  # gone since the listing
    left = (newest - time.time_ns()) / 1e9 + settle_seconds
    # A time in the future (a clock out of step) is waited for no longer than the settle.
    return min(max(left, 0.0), settle_seconds)


def _sidecar_entry(name: str, entries: dict[str, os.DirEntry]) -> os.DirEntry | None:
    """The sidecar of the filing ``name``, as ``ingest.sidecar.find_sidecar`` looks for it:
    ``NAME.ext.meta.*`` first, then ``NAME.meta.*``."""
    stem = name.rsplit(".", 1)[0]
    for base in (name, stem):
        for suffix in SIDECAR_SUFFIXES:
            entry = entries.get(base + suffix)
            if entry is not None:
                return entry
    return None


def sidecar_stat(files: Iterable[InboxFile]) -> dict[str, tuple[int, int, str]]:
    """The ``cache`` entries of the sidecars of ``files``, to keep beside the filings' own."""
    return {
        f.sidecar.name: (f.sidecar.size, f.sidecar.mtime_ns, f.sidecar.sha256)
        for f in files
        if f.sidecar is not None
    }


def plan(files: Iterable[InboxFile], known: KnownFilings) -> tuple[list[Change], KnownFilings]:
    """The changes ``files`` bring relative to ``known``, and the state after them.

    Deterministic: the same files and state give the same keys and versions, whatever order
    the files come in, so the sensor (working from its cursor) and the raw store (working
    from its table) agree. Two new names that slug alike, or two names holding the same new
    bytes, are taken by name then content: the first gets the plain key, or is the filing
    the other is another name of.
    """
    state = known.copy()
    changes: list[Change] = []
    for f in sorted(files, key=lambda f: (f.name, f.sha256)):
        if state.latest.get(f.name) == f.sha256:
            if state.sidecars.get(f.name) != f.sidecar_sha256 and f.name in state.names:
                # The same bytes with a sidecar written, changed or removed: read again.
                key = state.names[f.name]
                state.record_sidecar(f.name, f.sidecar_sha256)
                changes.append(Change("sidecar", f, key, state.versions[key]))
            continue  # unchanged
        key = state.names.get(f.name)
        if f.sha256 in state.contents:
            content_key, version = state.contents[f.sha256]
            if key == content_key and state.current.get(key) != f.sha256:
                # The file went back to an earlier version of its filing: current again.
                version = state.versions[key] + 1
                kind = "new_version"
            else:
                key = content_key
                kind = "alias"
        elif key is not None:
            version = state.versions.get(key, 0) + 1
            kind = "new_version"
        else:
            key = _unused_key(filing_key_for_name(f.name), state)
            version = 1
            kind = "new_filing"
        state.record(f.sha256, f.name, key, version)
        state.record_sidecar(f.name, f.sidecar_sha256)
        changes.append(Change(kind, f, key, version))
    return changes, state


def _unused_key(base: str, state: KnownFilings) -> str:
    taken = set(state.versions)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
