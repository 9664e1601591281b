"""What ``kamdocs init --install SPEC`` accepts as the thing the workflows install.

SPEC is written into the ``Install kamdocs`` step of three workflows, where
it is only tried on the first CI run, on Linux, after GitHub has expanded
``${{ }}``. A SPEC pip refuses there fails every job of the new repository,
so ``init`` refuses it here, with what it expected and what the user meant.

Accepted: a PEP 508 requirement for kamdocs (``kamdocs==0.3.0``,
``kamdocs @ git+https://host/kamdocs.git@v0.3.0``, ``kamdocs @ https://.../x.whl``,
``kamdocs @ file:...``), or a POSIX path to a kamdocs wheel
(``tools/kamdocs-0.3.0-py3-none-any.whl``). A requirement that does not pin
one version is accepted with a warning.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename

from kamdocs import __version__
from kamdocs.edit.scaffold import INSTALL_DOCS, default_install
from kamdocs.escaping import hidden_character

ACCEPTED = "a requirement for kamdocs (kamdocs==0.3.0, kamdocs @ git+https://...@v0.3.0) or a wheel file (.whl)"
"""What ``--install`` takes, in the words every refusal starts from."""

UNPINNED = "the workflows will install whatever version is newest on the day"
"""Why a requirement without one exact version is worth a warning."""

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
"""The project name at the start of a requirement (PEP 508), to put ``kamdocs`` in its place in a hint."""


@dataclass(frozen=True)
class SpecProblem:
    """What is wrong with a SPEC: ``refused`` stops ``init`` (exit 2, nothing written); otherwise
    ``init`` writes the SPEC and prints the problem as a warning."""

    refused: bool
    expected: str
    found: str
    hint: str

    def message(self) -> str:
        """One line for the terminal: ``--install: expected ..., found ...; hint``."""
        return f"--install: expected {self.expected}, found {self.found}; {self.hint}"


def install_spec_problem(spec: str) -> SpecProblem | None:
    """Judge ``spec`` as ``init --install`` takes it: None when pip takes it as written and it pins one
    version, else the refusal or the warning, with a hint that proposes what the user meant."""
    fault = _fault(spec)
    if fault is None:
        return None
    if not fault.refused:
        return SpecProblem(False, fault.expected, fault.found, f"{UNPINNED}; did you mean {fault.meant!r}?")
    meant = _accepted(fault.meant)
    return SpecProblem(True, fault.expected, fault.found, f"did you mean {meant!r}?" if meant else fault.otherwise)


@dataclass(frozen=True)
class _Fault:
    """A problem before its hint is worded: ``meant`` is the SPEC the user probably meant, if one can
    be told; ``otherwise`` is the advice when it cannot, or when it is no better."""

    refused: bool
    expected: str
    found: str
    meant: str | None
    otherwise: str = ""


def _accepted(meant: str | None) -> str | None:
    """``meant`` if it is accepted as it stands, the version it lacks pinned if that is all it lacks, else None."""
    if meant is None:
        return None
    fault = _fault(meant)
    if fault is None:
        return meant
    return None if fault.refused else fault.meant


def _fault(spec: str) -> _Fault | None:
    """What is wrong with ``spec``, the first thing found, in the order a person would fix them:
    its text first (``_TEXT_FAULTS``, in order), then what pip reads from it."""
    for text_fault in _TEXT_FAULTS:
        fault = text_fault(spec)
        if fault is not None:
            return fault
    return _requirement_fault(spec)


def _empty_fault(spec: str) -> _Fault | None:
    return _Fault(True, ACCEPTED, "nothing", default_install()) if not spec.strip() else None


def _hidden_fault(spec: str) -> _Fault | None:
    """A control or invisible character: the hint keeps the first line, without them."""
    hidden = hidden_character(spec)
    if not hidden:
        return None
    first_line = _LINE_BREAK.split(spec, maxsplit=1)[0]
    meant = "".join(c for c in first_line if not hidden_character(c)).strip()
    return _Fault(True, "text on one line without control characters", f"{hidden} in {spec!r}", meant,
                  "type the requirement or file name again")  # fmt: skip


def _spaces_fault(spec: str) -> _Fault | None:
    if spec.strip() == spec:
        return None
    return _Fault(True, f"{ACCEPTED} without spaces around it", repr(spec), spec.strip(), "remove the spaces")


def _expression_fault(spec: str) -> _Fault | None:
    if "${{" not in spec:
        return None
    return _Fault(True, f"{ACCEPTED}, which reaches pip as written", f"the GitHub expression in {spec!r}", None,
                  "GitHub replaces ${{ }} before the step runs; to give pip an index from a secret, set "
                  f"PIP_INDEX_URL in the step's env: (see {INSTALL_DOCS})")  # fmt: skip


def _option_fault(spec: str) -> _Fault | None:
    """A pip option (``--index-url ...``): the hint is the words that are not options."""
    words = spec.split()
    options = [word for word in words if word.startswith("-")]
    if not options:
        return None
    rest = " ".join(word for word in words if not word.startswith("-")) or None
    return _Fault(True, ACCEPTED, f"the pip option {options[0]!r} in {spec!r}", rest,
                  f"a company index is set with PIP_INDEX_URL, not an option (see {INSTALL_DOCS})")  # fmt: skip


def _backslash_fault(spec: str) -> _Fault | None:
    """A Windows path: a wheel's file name is kept, under ``tools/``."""
    if "\\" not in spec:
        return None
    wheel = spec.rsplit("\\", 1)[1]
    return _Fault(True, f"{ACCEPTED}, as a path with / (the workflows run on Linux)", f"a backslash in {spec!r}",
                  f"tools/{wheel}" if wheel.endswith(".whl") else None,
                  "commit the wheel in the repository and name it relative to its root")  # fmt: skip


def _comment_or_marker_fault(spec: str) -> _Fault | None:
    """A requirements-file comment or an environment marker: the hint is the text before it."""
    for sign, what in ((" #", "a comment"), (";", "an environment marker (;)")):
        if sign in spec:
            return _Fault(True, f"{ACCEPTED} without {what}", repr(spec), spec.split(sign, 1)[0].strip() or None,
                          "pip takes neither on its command line")  # fmt: skip
    return None


_TEXT_FAULTS: tuple[Callable[[str], _Fault | None], ...] = (
    _empty_fault,
    _hidden_fault,
    _spaces_fault,
    _expression_fault,
    _option_fault,
    _backslash_fault,
    _comment_or_marker_fault,
)
"""What can be wrong with SPEC's text before pip reads it, in the order a person would fix them."""


def _requirement_fault(spec: str) -> _Fault | None:
    """What is wrong with ``spec`` as pip reads it: a wheel file, a requirement, or neither."""
    requirement = _requirement(spec)
    if spec.endswith(".whl") and not (isinstance(requirement, Requirement) and requirement.url):
        return _wheel_fault(spec)  # `kamdocs-0.3.0-py3-none-any.whl` is a name to PEP 508 and a file to pip
    if isinstance(requirement, str):
        return _unreadable_fault(spec, requirement)
    if canonicalize_name(requirement.name) != "kamdocs":
        named = _NAME.match(spec)
        meant = "kamdocs" + spec[named.end() :] if named else None
        return _Fault(True, ACCEPTED, f"the package {requirement.name!r}", meant, "the workflows install kamdocs")
    if requirement.url is not None:
        return _url_fault(spec, requirement.url)
    exact = [s for s in requirement.specifier if s.operator == "===" or (s.operator == "==" and "*" not in s.version)]
    return None if exact else _Fault(False, "one exact version (kamdocs==0.3.0)", repr(spec), default_install())


def _unreadable_fault(spec: str, why: str) -> _Fault:
    """Not a requirement PEP 508 reads (``why``): a folder or file pip would take as a project, or text."""
    running = default_install()
    if "@" not in spec and ("/" in spec or spec.startswith((".", "~"))):
        itself = ", here the plans repository itself" if spec in (".", "./") else ""
        return _Fault(True, ACCEPTED, f"the folder or file {spec!r}", None,
                      f"pip would install it as a project folder or archive{itself}; a wheel file ends "
                      f"in .whl, or name a version: {running!r}")  # fmt: skip
    return _Fault(True, ACCEPTED, f"{spec!r}, which pip does not read ({why})", running)


def _url_fault(spec: str, url: str) -> _Fault | None:
    """``kamdocs @ URL``: a file URL must name this machine's file, a git URL a release tag."""
    if url.startswith("file:"):
        return _file_url_fault(spec, url)
    if url.startswith("git+") and "@" not in urlsplit(url[4:]).path:
        return _Fault(False, "a git URL that ends in @ and a release tag", repr(spec), f"{spec}@v{__version__}")
    return None


_LINE_BREAK = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _requirement(spec: str) -> Requirement | str:
    """``spec`` read as PEP 508 reads it, or why it cannot be (the first line of packaging's message)."""
    try:
        return Requirement(spec)
    except InvalidRequirement as exc:
        return str(exc).splitlines()[0]


def _file_url_fault(spec: str, url: str) -> _Fault | None:
    """A file URL names a file on the machine that runs pip; ``file://tools/x.whl`` names the host
    ``tools``, which pip refuses ("non-local file URIs are not supported")."""
    parts = urlsplit(url)
    if parts.netloc in ("", "localhost"):
        return None
    return _Fault(True, f"{ACCEPTED}; a file URL without a host (file:///opt/x.whl)", repr(spec),
                  parts.netloc + parts.path, "pip reads only files of its own machine")  # fmt: skip


def _wheel_fault(spec: str) -> _Fault | None:
    """A path to a wheel: pip reads the project and version from the file name, and a space would make
    the path two words to anyone who copies the command."""
    if " " in spec:
        return _Fault(True, f"{ACCEPTED} without spaces", repr(spec), spec.replace(" ", "-"), "rename the wheel")
    try:
        name, _version, _build, _tags = parse_wheel_filename(posixpath.basename(spec))
    except InvalidWheelFilename:
        return _Fault(True, "a wheel file named as it was built (kamdocs-0.3.0-py3-none-any.whl)", repr(spec), None,
                      "pip refuses a wheel by any other name")  # fmt: skip
    if name != "kamdocs":
        return _Fault(True, ACCEPTED, f"a wheel of {name!r}", None, "the workflows install kamdocs")
    return None
