"""One writer per data dir: an OS file lock, released by the kernel even when the writer is killed."""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from config import NuriError

__all__ = ["WriterLock", "is_unwritable", "unwritable"]

_UNWRITABLE = (errno.EACCES, errno.EPERM, errno.EROFS)


def is_unwritable(error: BaseException) -> bool:
    """True for "permission denied" and "read-only file system" errors.

    >>> is_unwritable(OSError(errno.EROFS, "Read-only file system")), is_unwritable(OSError(errno.ENOSPC, "full"))
    (True, False)
    """
    if isinstance(error, OSError) and error.errno in _UNWRITABLE:
        return True
    text = str(error).lower()
    return "read-only" in text or "readonly" in text or "permission denied" in text


def unwritable(path: object) -> NuriError:
    """The one Korean message for a data dir we cannot write to."""
    return NuriError(
        f"데이터 폴더({path})에 쓸 수 없습니다.",
        hint="폴더 권한을 확인하거나 NURI_HOME을 쓸 수 있는 곳으로 바꾸세요.",
    )


class WriterLock:
    """A re-entrant writer lock; a second process waits up to `timeout` seconds, then gets a Korean error."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._lock = FileLock(str(path), timeout=timeout)

    def _prepare(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            if is_unwritable(error):
                raise unwritable(self.path.parent) from error
            raise

    @contextlib.contextmanager
    def hold(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the lock for the block; raise NuriError if another writer keeps it past the timeout."""
        self._prepare()
        wait = self.timeout if timeout is None else timeout
        try:
            self._lock.acquire(timeout=wait)
        except Timeout:
            raise NuriError(
                f"다른 nuri 프로세스가 지식 베이스에 쓰고 있어 {wait:g}초 동안 기다렸습니다.",
                hint="그 작업이 끝난 뒤 다시 실행하거나 NURI_KB_LOCK_TIMEOUT을 늘리세요.",
            ) from None
        except OSError as error:
            if is_unwritable(error):
                raise unwritable(self.path.parent) from error
            raise
        try:
            yield
        finally:
            self._lock.release()

    def try_hold(self) -> contextlib.AbstractContextManager[bool]:
        """Take the lock only if it is free now: readers use it to refresh caches without waiting."""

        @contextlib.contextmanager
        def attempt() -> Iterator[bool]:
            try:
                self._prepare()
                self._lock.acquire(timeout=0)
            except (Timeout, NuriError, PermissionError, OSError):
                yield False
                return
            try:
                yield True
            finally:
                self._lock.release()

        return attempt()
