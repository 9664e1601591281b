"""The one base class of every problem kamdocs reports in a line.

The CLI catches :class:`KamdocsError` once (``cli.KamdocsGroup``), prints
``kamdocs: error: MESSAGE`` and exits with the error's ``exit_code``; the
plugin catches it once and stops the build with the same message. Any other
exception is a bug, and the CLI says so (exit 3).
"""

from __future__ import annotations


class KamdocsError(Exception):
    """A problem with the input, the configuration or the file system, told in one line."""

    exit_code = 1
    """1: the command could not do its work on this input; 2: a usage or configuration problem."""


class UsageError(KamdocsError):
    """A value given on the command line or in the configuration that kamdocs cannot use."""

    exit_code = 2
