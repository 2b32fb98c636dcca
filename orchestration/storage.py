"""A full disk, told in one line: which step, which filesystem, and how much it needed."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

NO_SPACE = "No space left on device"  # strerror(ENOSPC), which DuckDB and dbt repeat
# A path in DuckDB's `Could not write file "PATH": ...` or Python's `[Errno 28] ...: 'PATH'`.
_PATH_IN = re.compile(r"""file "([^"]+)"|No space left on device: '([^']+)'""")


class NoSpaceLeft(OSError):
    """A step that ran out of disk space; its message is the one line the user sees."""

    def __init__(self, message: str) -> None:
        super().__init__(errno.ENOSPC, message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def is_no_space(exc: BaseException | None) -> bool:
    """Whether ``exc``, or an exception it was raised from, is a full disk.

    DuckDB reports one as an ``IOException`` whose text ends in the OS's message, not as an
    ``OSError``, so the text counts too.
    """
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return True
        if NO_SPACE in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def mount_point(path: Path) -> Path:
    """The mount point of the filesystem ``path`` is on (or would be, if it does not exist)."""
    path = Path(os.path.abspath(path))
    while not os.path.ismount(path) and path != path.parent:
        path = path.parent
    return path


def path_in(text: str) -> Path | None:
    """The file an error message says could not be written, if it names one."""
    found = _PATH_IN.search(text)
    return Path(found.group(1) or found.group(2)) if found else None


def no_space_message(step: str, where: Path, need_bytes: int | None = None) -> str:
    """``STEP failed: no space left on MOUNT (need about N MB)``, for a file under ``where``."""
    message = f"{step} failed: no space left on {mount_point(where)}"
    if need_bytes:
        message += f" (need about {max(1, round(need_bytes / 1e6))} MB)"
    return message
