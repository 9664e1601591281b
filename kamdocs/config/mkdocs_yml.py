"""mkdocs.yml, read in this one place as MkDocs reads it: ``INHERIT`` merged, ``!ENV`` followed,
nesting screened before it is built, nothing else run.

The CLI finds the file (:func:`find_config`) and reads it once (:func:`load_config`): the
``kamdocs`` plugin entry's options (:func:`plugin_options`) become a
:class:`~kamdocs.config.model.Config`, and the whole merged file its
:class:`~kamdocs.config.model.SiteSettings`, which ``render``, ``build`` and ``serve``
follow, the render path's copy of ``mkdocs.yml`` included (:func:`site_yaml`).
Reading it twice, two ways, once had ``kamdocs build`` build into ``./site`` while
the inherited file said otherwise.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from kamdocs.config.model import Config, SiteSettings, config_from_options
from kamdocs.config.options import ConfigError
from kamdocs.system.filekinds import kind_of

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


@dataclass(frozen=True)
class Tagged:
    """A value under a tag kamdocs does not run (``!!python/name:``, ``!relative``, ``!ENV``), kept with its
    tag so that the render path's copy of ``mkdocs.yml`` gives it back to the engine as it was written."""

    tag: str
    value: Any


class _KeepTags(yaml.SafeLoader):
    """Reads mkdocs.yml safely, keeping every tag MkDocs and Material use as a :class:`Tagged` value:
    nothing is imported or run. :func:`_plain` then follows ``!ENV`` for what kamdocs itself reads."""


def _keep(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.SequenceNode):
        return Tagged(node.tag, loader.construct_sequence(node, deep=True))
    if isinstance(node, yaml.MappingNode):
        return Tagged(node.tag, loader.construct_mapping(node, deep=True))
    return Tagged(node.tag, str(getattr(node, "value", "")))


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """A date as PyYAML builds it, or its text when it is no real date (2026-02-30), for the option to judge."""
    try:
        return loader.construct_yaml_timestamp(node)  # type: ignore[arg-type]  # PyYAML refuses a list or mapping: invalid YAML
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]  # a scalar, whose text was read above


_KeepTags.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_KeepTags.add_multi_constructor("!", _keep)
_KeepTags.add_multi_constructor("tag:yaml.org,2002:python/", _keep)


def _plain(value: Any) -> Any:
    """A document as kamdocs reads it: ``!ENV`` followed, as MkDocs follows it, because options may come
    from the environment; any other tag's value as plain data (text stays text, a list or mapping stays
    one), so that an option's message shows the value."""
    if isinstance(value, Tagged):
        return _env(value.value) if value.tag == "!ENV" else _plain(value.value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _env(names: Any) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``: the first variable set, read as YAML, else the default."""
    names = names if isinstance(names, list) else [names]
    default = names[-1] if len(names) > 1 else None
    for name in names[:-1] if len(names) > 1 else names:
        if isinstance(name, str) and name in os.environ:
            return yaml.safe_load(os.environ[name])
    return default


class _WriteTags(yaml.SafeDumper):
    """Writes a :class:`Tagged` value back under its tag."""


def _write(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_WriteTags.add_representer(Tagged, _write)


def site_yaml(written: Mapping[str, Any]) -> str:
    """Settings with their tags kept (:attr:`SiteSettings.written`), as the text of a ``mkdocs.yml``."""
    return yaml.dump(dict(written), Dumper=_WriteTags, sort_keys=False, allow_unicode=True)


def find_config(start: Path) -> Path | None:
    """The nearest mkdocs.yml at or above ``start``, stopping at a git root."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            if os.path.lexists(folder / name):  # a FIFO or folder here is refused by load_config, not skipped
                return folder / name
        if (folder / ".git").exists():
            return None
    return None


def load_config(path: Path | None = None, cwd: Path | None = None) -> Config:
    """Load the configuration from ``path``, or find mkdocs.yml from ``cwd``: the ``kamdocs`` entry's
    options, and the site's own settings (:attr:`Config.site`), read once from the same merged file.

    With no mkdocs.yml, the defaults apply and the root is the current folder.
    """
    cwd = cwd or Path.cwd()
    shown = path
    if path is None:
        path = find_config(cwd)
        if path is None:
            return Config(root=cwd)
        shown = Path(os.path.relpath(path, cwd)) if path.parent == cwd else path
    _require_regular_file(path, shown or path)
    settings, written = _with_parents(_read_yaml(path), path, frozenset({path.resolve()}))
    options = plugin_options(settings, path.name)
    site = SiteSettings(
        MappingProxyType(settings or {}), MappingProxyType(written or {}), plugin_entry=options is not None
    )
    if options is None:
        return Config(
            root=path.parent.resolve(),
            source=path.name,
            notice=f"{path.name} has no kamdocs entry under plugins; the default settings are in use",
            site=site,
        )
    return replace(config_from_options(options, path.parent.resolve(), path.name), site=site)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    try:
        _screen_depth(text, path.name)
        return yaml.load(text, Loader=_KeepTags)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    except (RecursionError, ValueError, TypeError) as exc:  # a value PyYAML itself cannot build
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None


def _with_parents(document: Any, path: Path, seen: frozenset[Path]) -> tuple[Any, Any]:
    """``document`` merged over the file its ``INHERIT:`` names, as MkDocs merges them: the settings
    as kamdocs reads them (:func:`_plain`), and as written, tags kept.

    MkDocs builds with the inherited settings, so ``kamdocs check`` must read
    them too or the two disagree on the configuration. Mappings are merged key
    by key, anything else (a ``plugins`` list too) is replaced by the child's.
    A file that inherits from itself, directly or not, is refused.
    """
    plain = _plain(document)
    if isinstance(document, Tagged):  # a tag on the whole file (``--- !x``): its settings as plain data
        document = plain
    if not isinstance(plain, dict) or "INHERIT" not in plain:
        return plain, document
    child = {k: v for k, v in plain.items() if k != "INHERIT"}
    child_written = {k: v for k, v in document.items() if k != "INHERIT"}
    name = plain["INHERIT"]
    if not isinstance(name, str) or not name:
        raise ConfigError(f"{path.name}: INHERIT: expected the name of a YAML file, found {name!r}")
    parent_path = Path(os.path.normpath(path.parent / name))
    if parent_path.resolve() in seen:
        raise ConfigError(
            f"{path.name}: INHERIT: expected a file that does not inherit from itself, found a loop through {name}"
        )
    if not parent_path.exists():
        raise ConfigError(f"{path.name}: INHERIT: {name} not found at {parent_path}")
    _require_regular_file(parent_path, parent_path)
    parent, parent_written = _with_parents(_read_yaml(parent_path), parent_path, seen | {parent_path.resolve()})
    if parent is not None and not isinstance(parent, dict):
        raise ConfigError(
            f"{path.name}: INHERIT: expected a mapping at the top level of {name}, found {type(parent).__name__}"
        )
    return _merge(parent or {}, child), _merge(parent_written or {}, child_written)


def _merge(parent: Any, child: Any) -> Any:
    if not (isinstance(parent, dict) and isinstance(child, dict)):
        return child
    merged = dict(parent)
    for key, value in child.items():
        merged[key] = _merge(merged[key], value) if key in merged else value
    return merged


def _require_regular_file(path: Path, shown: Path) -> None:
    """Refuse a mkdocs.yml that is not a regular file: reading a FIFO would block, and a
    folder or device skipped in silence would put the defaults in force without a word."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise ConfigError(f"{shown}: configuration file not found") from None
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        raise ConfigError(f"{shown}: expected a regular file, found {kind_of(mode)}")


MAX_CONFIG_DEPTH = 100
"""A mkdocs.yml nests a handful of levels; PyYAML's composer recurses on each."""


def _screen_depth(text: str, source: str) -> None:
    """Refuse nesting deeper than :data:`MAX_CONFIG_DEPTH` from the event stream, before anything is built.

    PyYAML composes recursively, so thousands of ``[`` would end in a
    RecursionError; the events come from a loop and cost nothing to count.
    """
    if text.count("[") + text.count("{") + max(map(len, text.split("\n")), default=0) < MAX_CONFIG_DEPTH:
        return
    depth = 0
    top_key: Any = None
    top_is_mapping = False
    index = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if depth == 0:
                top_is_mapping = isinstance(event, yaml.MappingStartEvent)
            elif depth == 1:
                index += 1
            depth += 1
            if depth > MAX_CONFIG_DEPTH:
                mark = event.start_mark
                at = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
                where = f" under '{top_key}'" if top_key is not None else ""
                raise ConfigError(
                    f"{source}{at}: expected at most {MAX_CONFIG_DEPTH} levels of nesting{where}, found more"
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent) and depth == 1:
            if top_is_mapping and index % 2 == 0:
                top_key = event.value
            index += 1


def plugin_options(document: Any, source: str) -> Mapping[str, Any] | None:
    """The options of the ``kamdocs`` plugin entry in a parsed mkdocs.yml; None when there is none.

    Entries are read the way MkDocs reads them, so an entry MkDocs refuses is
    refused here too, rather than quietly giving the defaults: most often
    options indented no deeper than ``- kamdocs:``, which YAML reads as keys
    beside it in the same list item.
    """
    if document is None:
        return None
    if not isinstance(document, Mapping):
        raise ConfigError(f"{source}: expected a mapping at the top level, found {type(document).__name__}")
    plugins = document.get("plugins")
    if plugins is None:
        return None
    if isinstance(plugins, dict):
        entries = list(plugins.items())
    elif isinstance(plugins, list):
        entries = [_plugin_entry(item, source) for item in plugins]
    else:
        raise ConfigError(f"{source}: plugins: expected a list of plugin entries, found {plugins!r}")
    ours = [options for name, options in entries if name == "kamdocs"]
    if len(ours) > 1:
        # MkDocs runs every entry, each with its own options; check cannot pick one and agree with the build.
        raise ConfigError(f"{source}: plugins: expected one kamdocs entry, found {len(ours)}; delete all but one")
    if not ours:
        return None
    options = ours[0]
    if options is None:
        return {}
    if not isinstance(options, dict):
        raise ConfigError(
            f"{source}: plugins.kamdocs: expected a mapping of options indented under 'kamdocs:', found {options!r}"
        )
    # MkDocs gives an option left empty (``!ENV`` of an unset variable, a bare ``key:``) its default.
    return {key: value for key, value in options.items() if value is not None}


def _plugin_entry(item: Any, source: str) -> tuple[Any, Any]:
    if isinstance(item, str):
        return item, None
    if isinstance(item, dict) and len(item) == 1:
        return next(iter(item.items()))
    if isinstance(item, dict) and "kamdocs" in item:
        others = ", ".join(str(k) for k in item if k != "kamdocs")
        raise ConfigError(
            f"{source}: plugins.kamdocs: expected the options indented under 'kamdocs:', found {others} "
            "beside it in the same list item; indent them two more spaces than 'kamdocs:'"
        )
    raise ConfigError(f"{source}: plugins: expected a plugin name or 'name: {{options}}', found {item!r}")
