"""mkdocs.yml, read as MkDocs reads it: ``INHERIT`` merged, ``!ENV`` followed, nothing else run.

The CLI finds the file (:func:`find_config`), reads it safely and takes the
``kamdocs`` plugin entry's options (:func:`plugin_options`) into a
:class:`~kamdocs.config.model.Config`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from kamdocs.config.model import Config, config_from_options
from kamdocs.config.options import ConfigError
from kamdocs.system.filekinds import kind_of

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


class _MkDocsYamlLoader(yaml.SafeLoader):
    """Reads mkdocs.yml safely, tolerating the tags MkDocs and Material use.

    ``!ENV`` is honoured because options may come from the environment;
    ``!!python/name:`` and ``!relative`` are only kept as text, never imported.
    """


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
    default = names[-1] if len(names) > 1 else None
    for name in names[:-1] if len(names) > 1 else names:
        if name in os.environ:
            return yaml.safe_load(os.environ[name])
    return default


def _opaque(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    """A tagged value as plain data: text stays text, and a list or mapping stays one, so that an
    option's message shows the value rather than PyYAML's node objects. Nothing is imported or run."""
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    return str(getattr(node, "value", ""))


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """A date as PyYAML builds it, or its text when it is no real date (2026-02-30), for the option to judge."""
    try:
        return loader.construct_yaml_timestamp(node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_MkDocsYamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_MkDocsYamlLoader.add_constructor("!ENV", _env)
_MkDocsYamlLoader.add_multi_constructor("tag:yaml.org,2002:python/", _opaque)
_MkDocsYamlLoader.add_multi_constructor("!", _opaque)


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
    """Load the configuration from ``path``, or find mkdocs.yml from ``cwd``.

    With no mkdocs.yml, the defaults apply and the root is the current folder.
    """
    cwd = cwd or Path.cwd()
    shown = path
    if path is None:
        path = find_config(cwd)
        if path is None:
            return Config(root=cwd)
        shown = Path(os.path.relpath(path, cwd)) if path.parent == cwd else path
    _require_regular_file(path, shown)
    document = _with_parents(_read_yaml(path), path, frozenset({path.resolve()}))
    options = plugin_options(document, path.name)
    if options is None:
        return Config(
            root=path.parent.resolve(),
            source=path.name,
            notice=f"{path.name} has no kamdocs entry under plugins; the default settings are in use",
        )
    return config_from_options(options, path.parent.resolve(), path.name)


def site_document(config: Config) -> Mapping[str, Any]:
    """The whole ``mkdocs.yml`` the configuration came from (with ``INHERIT`` merged), for the
    settings of the site itself that ``kamdocs render`` and ``kamdocs build`` follow; empty without one."""
    path = config.root / config.source
    if config.source == "defaults" or not path.is_file():
        return {}
    document = _with_parents(_read_yaml(path), path, frozenset({path.resolve()}))
    return document if isinstance(document, dict) else {}


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    try:
        _screen_depth(text, path.name)
        return yaml.load(text, Loader=_MkDocsYamlLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    except (RecursionError, ValueError, TypeError) as exc:  # a value PyYAML itself cannot build
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None


def _with_parents(document: Any, path: Path, seen: frozenset[Path]) -> Any:
    """``document`` merged over the file its ``INHERIT:`` names, as MkDocs merges them.

    MkDocs builds with the inherited settings, so ``kamdocs check`` must read
    them too or the two disagree on the configuration. Mappings are merged key
    by key, anything else (a ``plugins`` list too) is replaced by the child's.
    A file that inherits from itself, directly or not, is refused.
    """
    if not isinstance(document, dict) or "INHERIT" not in document:
        return document
    child = {k: v for k, v in document.items() if k != "INHERIT"}
    name = document["INHERIT"]
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
    parent = _with_parents(_read_yaml(parent_path), parent_path, seen | {parent_path.resolve()})
    if parent is not None and not isinstance(parent, dict):
        raise ConfigError(
            f"{path.name}: INHERIT: expected a mapping at the top level of {name}, found {type(parent).__name__}"
        )
    return _merge(parent or {}, child)


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
                where = f" under '{top_key}'" if top_key is not None else ""
                raise ConfigError(
                    f"{source}:{mark.line + 1}:{mark.column + 1}: expected at most {MAX_CONFIG_DEPTH} levels of "
                    f"nesting{where}, found more"
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
    if not isinstance(document, dict):
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
