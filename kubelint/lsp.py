"""``kubelint lsp``: a language server (pygls 2) over stdio.

What an editor gets:

- diagnostics when a document is opened or saved, and 300 ms after the
  last change (typing must not lint every keystroke);
- quick fixes: a rule's text edits as they are, a YAML fix as a
  whole-document replacement rendered by ``kubelint.fix`` (when that module
  can render one), and "Disable CODE for this line";
- hover on a KubeletConfiguration (or kubeconfig) key: description, type,
  allowed values and the kubelet's default, from the same schema kubelint
  ships for editors.

Settings come from ``initializationOptions`` and
``workspace/didChangeConfiguration`` (either flat or under a ``kubelint``
key): ``kubernetesVersion``, ``select``, ``ignore``, ``configPath``. The
settings file (``.kubelint.yaml``) is found as the CLI finds it.

The buffer is linted, never the file on disk: what the user sees is what
is checked. Kinds are detected by content and path, as ``kubelint check``
does; a document that is none of kubelint's kinds gets no diagnostics.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from lsprotocol import types
from lsprotocol.converters import get_converter
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument

from kubelint import __version__
from kubelint.diagnostics import Diagnostic, Span, TextEdit, YamlEdit
from kubelint.discover import FileKind, classify
from kubelint.formatters.lsp import diagnostic_to_lsp, span_to_range
from kubelint.source import SourceFile

log = logging.getLogger("kubelint.lsp")

DEBOUNCE_SECONDS = 0.3
SOURCE = "kubelint"
_DISABLE_MARKER = re.compile(r"(kubelint:\s*disable\s*=\s*)([A-Za-z0-9_,\- ]+)")
# where '#' starts a comment at the end of a line; systemd units and env files
# take comments only on their own line, JSON has none
_TRAILING_COMMENT_KINDS = {FileKind.KUBELET_CONFIG, FileKind.KUBECONFIG, FileKind.CONTAINERD, FileKind.CRIO}
_OWN_LINE_COMMENT_KINDS = {FileKind.SYSTEMD_UNIT, FileKind.ENV_FILE}


@dataclass
class ServerSettings:
    kubernetes_version: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    config_path: str | None = None

    @classmethod
    def parse(cls, raw: Any) -> ServerSettings:
        if not isinstance(raw, dict):
            return cls()
        nested = raw.get("kubelint")
        data: dict[str, Any] = nested if isinstance(nested, dict) else raw

        def strings(value: Any) -> tuple[str, ...]:
            if isinstance(value, str):
                return tuple(part.strip() for part in value.split(",") if part.strip())
            if isinstance(value, list):
                return tuple(str(item) for item in value if str(item).strip())
            return ()

        version = data.get("kubernetesVersion")
        config = data.get("configPath")
        return cls(
            kubernetes_version=str(version) if version else None,
            select=strings(data.get("select")),
            ignore=strings(data.get("ignore")),
            config_path=str(config) if config else None,
        )


@dataclass
class State:
    settings: ServerSettings = field(default_factory=ServerSettings)
    pending: dict[str, asyncio.TimerHandle] = field(default_factory=dict)
    reported_errors: set[str] = field(default_factory=set)


class KubelintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("kubelint", __version__)
        self.state = State()


@dataclass(frozen=True)
class LintOutcome:
    kind: FileKind | None
    display: str
    diagnostics: list[Diagnostic]
    version: tuple[int, int]


# --- linting --------------------------------------------------------------------


def _document_path(document: TextDocument) -> Path | None:
    path = to_fs_path(document.uri) if document.uri.startswith("file:") else None
    return Path(path) if path else None


def _display(server: LanguageServer, path: Path | None, uri: str) -> str:
    if path is None:
        return uri
    root = server.workspace.root_path
    if root:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return str(path)


def _uri_of(server: LanguageServer, document: TextDocument, display: str) -> Callable[[str], str]:
    root = server.workspace.root_path

    def uri_of(path: str) -> str:
        if path == display:
            return document.uri
        candidate = Path(path)
        if not candidate.is_absolute() and root:
            candidate = Path(root) / candidate
        return from_fs_path(str(candidate)) or path

    return uri_of


def _options(server: KubelintServer, path: Path | None) -> tuple[Any, Any, Any]:
    """(settings file, analysis Options, rules) resolved the way ``kubelint check`` does."""
    from kubelint.cli import LintRequest, resolve_options
    from kubelint.engine import all_rules

    settings = server.state.settings
    anchor = path if path is not None else Path(server.workspace.root_path or Path.cwd())
    config_path = None
    if settings.config_path:
        config_path = Path(settings.config_path).expanduser()
        if not config_path.is_absolute() and server.workspace.root_path:
            config_path = Path(server.workspace.root_path) / config_path
    request = LintRequest(
        paths=(anchor,), output_format=None, output_file=None, select=settings.select, extend_select=(),
        ignore=settings.ignore, kubernetes_version=settings.kubernetes_version, fail_on=None,
        config_path=config_path, statistics=False, fix=False, unsafe_fixes=False, diff=False,
        show_fixes=False, exclude=(), color=False, jobs=1, verbose=False, quiet=True,
    )
    try:
        file_settings, options, _fail_on = resolve_options(request)
    except ValueError as error:  # ConfigError is a ValueError: bad version, selector or file
        message = f"kubelint: {error}; using the defaults"
        if message not in server.state.reported_errors:
            server.state.reported_errors.add(message)
            server.window_show_message(types.ShowMessageParams(types.MessageType.Error, message))
        request.select, request.ignore, request.kubernetes_version, request.config_path = (), (), None, None
        file_settings, options, _fail_on = resolve_options(request)
    rules = [rule for rule in all_rules() if options.selection.enabled(rule)]
    return file_settings, options, rules


def lint_document(server: KubelintServer, document: TextDocument) -> LintOutcome:
    from kubelint.analysis import lint_source
    from kubelint.engine import find_rule, matches_any

    path = _document_path(document)
    display = _display(server, path, document.uri)
    settings, options, rules = _options(server, path)
    text = document.source
    source = SourceFile(path, display, text)
    # explicit=False: a YAML file that is none of our kinds is not a finding
    result = lint_source(source, options, rules, explicit=False)
    if result is None:
        return LintOutcome(None, display, [], options.version)
    diagnostics = result.diagnostics
    ignored = settings.ignored_for(display)
    if ignored:
        diagnostics = [d for d in diagnostics if not ((rule := find_rule(d.code)) and matches_any(rule, ignored))]
    return LintOutcome(result.kind, display, diagnostics, options.version)


def _encoding(server: LanguageServer) -> str:
    encoding = server.workspace.position_encoding
    return str(encoding.value if isinstance(encoding, types.PositionEncodingKind) else encoding or "utf-16")


def lsp_diagnostics(server: KubelintServer, document: TextDocument, outcome: LintOutcome) -> list[types.Diagnostic]:
    lines = document.source.splitlines()
    own = [d for d in outcome.diagnostics if d.path == outcome.display]
    converter = get_converter()
    encoding = _encoding(server)
    uri_of = _uri_of(server, document, outcome.display)

    def lines_of(path: str) -> list[str] | None:
        return lines if path == outcome.display else None

    return [
        converter.structure(diagnostic_to_lsp(d, lines_of, encoding, uri_of), types.Diagnostic) for d in own
    ]


def publish(server: KubelintServer, uri: str) -> None:
    server.state.pending.pop(uri, None)
    try:
        document = server.workspace.get_text_document(uri)
        outcome = lint_document(server, document)
        diagnostics = lsp_diagnostics(server, document, outcome)
    except Exception:  # the server must outlive a bug in one rule
        log.exception("linting %s failed", uri)
        return
    server.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=document.version)
    )


def schedule(server: KubelintServer, uri: str) -> None:
    pending = server.state.pending.pop(uri, None)
    if pending is not None:
        pending.cancel()
    loop = asyncio.get_running_loop()
    server.state.pending[uri] = loop.call_later(DEBOUNCE_SECONDS, publish, server, uri)


# --- code actions ---------------------------------------------------------------


def _to_code_points(line_text: str, character: int, encoding: str) -> int:
    """0-based code-point index of an LSP character offset on ``line_text``."""
    if encoding == "utf-32":
        return character
    units = 0
    for index, char in enumerate(line_text):
        if units >= character:
            return index
        units += len(char.encode("utf-8")) if encoding == "utf-8" else (2 if ord(char) > 0xFFFF else 1)
    return len(line_text)


def _span_overlaps(span: Span, start: tuple[int, int], end: tuple[int, int]) -> bool:
    """Does ``span`` (1-based, exclusive end) touch the 1-based range [start, end]?"""
    return (span.line, span.column) <= end and start <= (span.end_line, max(span.end_column, span.column))


def _range_in_code_points(document: TextDocument, rng: types.Range, encoding: str) -> tuple[tuple[int, int], tuple[int, int]]:
    lines = document.source.splitlines() or [""]

    def convert(position: types.Position) -> tuple[int, int]:
        text = lines[position.line] if position.line < len(lines) else ""
        return position.line + 1, _to_code_points(text, position.character, encoding) + 1

    return convert(rng.start), convert(rng.end)


def _units(text: str, encoding: str) -> int:
    if encoding == "utf-32":
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    return len(text.encode("utf-16-le")) // 2


def _whole_document_range(text: str, encoding: str) -> types.Range:
    lines = text.split("\n")
    return types.Range(types.Position(0, 0), types.Position(len(lines) - 1, _units(lines[-1], encoding)))


def render_yaml_fix(text: str, edits: list[YamlEdit]) -> str | None:
    """``text`` with ``edits`` applied by the fixer, if the fixer offers ``apply_edits_to_text``."""
    try:
        fixer = importlib.import_module("kubelint.fix")
    except ImportError:
        return None
    apply = getattr(fixer, "apply_edits_to_text", None)
    if apply is None:
        return None
    try:
        result = apply(text, edits)
    except Exception:  # an edit the fixer refuses is no quick fix
        log.exception("the fixer could not render %s", edits)
        return None
    return result if isinstance(result, str) else None


def fix_action(server: KubelintServer, document: TextDocument, outcome: LintOutcome, diagnostic: Diagnostic,
               lsp_diagnostic: types.Diagnostic | None) -> types.CodeAction | None:
    fix = diagnostic.fix
    if fix is None:
        return None
    encoding = _encoding(server)
    uri_of = _uri_of(server, document, outcome.display)
    lines = document.source.splitlines()
    changes: dict[str, list[types.TextEdit]] = {}
    if all(isinstance(edit, TextEdit) for edit in fix.edits):
        for edit in fix.edits:
            assert isinstance(edit, TextEdit)
            own = edit.path == outcome.display
            rng = span_to_range(edit.span, lines if own else None, encoding)
            changes.setdefault(uri_of(edit.path), []).append(
                types.TextEdit(get_converter().structure(rng, types.Range), edit.new_text)
            )
    else:
        yaml_edits = [edit for edit in fix.edits if isinstance(edit, YamlEdit)]
        if len(yaml_edits) != len(fix.edits) or any(edit.path != outcome.display for edit in yaml_edits):
            return None  # mixed or cross-file structural fixes are for `kubelint check --fix`
        new_text = render_yaml_fix(document.source, yaml_edits)
        if new_text is None or new_text == document.source:
            return None
        changes[document.uri] = [types.TextEdit(_whole_document_range(document.source, encoding), new_text)]
    unsafe = fix.applicability.value == "unsafe"
    return types.CodeAction(
        title=f"{diagnostic.code}: {fix.description[:1].upper()}{fix.description[1:]}" + (" (unsafe)" if unsafe else ""),
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[lsp_diagnostic] if lsp_diagnostic else None,
        is_preferred=not unsafe,
        edit=types.WorkspaceEdit(changes=changes),
    )


def disable_action(document: TextDocument, kind: FileKind | None, diagnostic: Diagnostic,
                   lsp_diagnostic: types.Diagnostic | None, encoding: str) -> types.CodeAction | None:
    lines = document.source.splitlines()
    number = diagnostic.span.line
    if kind is None or not 1 <= number <= len(lines):
        return None
    line = lines[number - 1]
    index = number - 1
    end_character = _units(line, encoding)
    existing = _DISABLE_MARKER.search(line)
    if existing is not None and line[:existing.start()].rstrip().endswith("#"):
        codes = [c.strip() for c in existing.group(2).split(",") if c.strip()]
        if diagnostic.code in codes or diagnostic.name in codes:
            return None
        start = _units(line[:existing.end(2)].rstrip(), encoding)
        edit = types.TextEdit(types.Range(types.Position(index, start), types.Position(index, start)),
                              f",{diagnostic.code}")
    elif kind in _TRAILING_COMMENT_KINDS:
        edit = types.TextEdit(types.Range(types.Position(index, end_character), types.Position(index, end_character)),
                              f"  # kubelint: disable={diagnostic.code}")
    elif kind in _OWN_LINE_COMMENT_KINDS:
        # a '#' after a value is part of the value here; a comment line of its
        # own suppresses the line below it
        indent = line[: len(line) - len(line.lstrip())]
        edit = types.TextEdit(types.Range(types.Position(index, 0), types.Position(index, 0)),
                              f"{indent}# kubelint: disable={diagnostic.code}\n")
    else:
        return None
    return types.CodeAction(
        title=f"Disable {diagnostic.code} for this line",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[lsp_diagnostic] if lsp_diagnostic else None,
        edit=types.WorkspaceEdit(changes={document.uri: [edit]}),
    )


def code_actions(server: KubelintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    document = server.workspace.get_text_document(params.text_document.uri)
    outcome = lint_document(server, document)
    encoding = _encoding(server)
    start, end = _range_in_code_points(document, params.range, encoding)
    requested = [d for d in params.context.diagnostics if d.source == SOURCE]
    actions: list[types.CodeAction] = []
    fixes: list[types.CodeAction] = []
    for diagnostic in outcome.diagnostics:
        if diagnostic.path != outcome.display or not _span_overlaps(diagnostic.span, start, end):
            continue
        match = next((d for d in requested if d.code == diagnostic.code), None)
        action = fix_action(server, document, outcome, diagnostic, match)
        if action is not None:
            fixes.append(action)
        disable = disable_action(document, outcome.kind, diagnostic, match, encoding)
        if disable is not None and all(a.title != disable.title for a in actions):
            actions.append(disable)
    return fixes + actions


# --- hover ----------------------------------------------------------------------


@cache
def _schema(kind: FileKind, version: tuple[int, int]) -> dict[str, Any]:
    from kubelint import schemas

    if kind is FileKind.KUBECONFIG:
        return schemas.kubeconfig_schema()
    return schemas.kubelet_config_schema(version)


def _schema_node(schema: dict[str, Any], path: tuple[str | int, ...]) -> dict[str, Any] | None:
    node: dict[str, Any] = schema
    for part in path:
        ref = node.get("$ref")
        if isinstance(ref, str):
            node = schema["$defs"][ref.rsplit("/", 1)[-1]]
        if isinstance(part, int):
            items = node.get("items")
            if not isinstance(items, dict):
                return None
            node = items
            continue
        properties = node.get("properties")
        if isinstance(properties, dict) and part in properties:
            node = properties[part]
        elif isinstance(node.get("additionalProperties"), dict):
            node = node["additionalProperties"]
        else:
            return None
    ref = node.get("$ref")
    if isinstance(ref, str):
        resolved = dict(schema["$defs"][ref.rsplit("/", 1)[-1]])
        resolved.update({k: v for k, v in node.items() if k != "$ref"})
        return resolved
    return node


def _type_text(node: dict[str, Any]) -> str:
    if "const" in node:
        return f"`{node['const']}`"
    if "anyOf" in node:
        return " or ".join(_type_text(option) for option in node["anyOf"])
    kind = node.get("type", "any")
    if kind == "string" and "pattern" in node:
        examples = node.get("examples")
        return "duration" if examples and "s" in str(examples[0]) else "quantity" if "Ki" in node["pattern"] else "string"
    if kind == "array":
        items = node.get("items", {})
        return f"list of {_type_text(items) if isinstance(items, dict) and 'type' in items else 'objects'}"
    if kind == "object" and isinstance(node.get("additionalProperties"), dict):
        return f"map of {_type_text(node['additionalProperties'])}"
    if kind == "integer" and node.get("maximum") == 2**31 - 1:
        return "integer (int32)"
    if kind == "integer" and node.get("maximum") == 2**63 - 1:
        return "integer (int64)"
    if kind == "integer" and node.get("maximum") == 2**32 - 1:
        return "integer (uint32)"
    return str(kind)


def hover_text(path: tuple[str | int, ...], node: dict[str, Any], kind: FileKind, version: tuple[int, int]) -> str:
    import json

    name = ".".join(str(part) if isinstance(part, str) else f"[{part}]" for part in path).replace(".[", "[")
    parts = [f"**{name}**: {_type_text(node)}"]
    if node.get("description"):
        parts.append(str(node["description"]))
    if "enum" in node:
        parts.append("Allowed: " + ", ".join(f"`{value}`" if value != "" else '`""`' for value in node["enum"]))
    if "default" in node:
        where = f"the kubelet's default for Kubernetes {version[0]}.{version[1]}" if kind is not FileKind.KUBECONFIG \
            else "default"
        parts.append(f"Default ({where}): `{json.dumps(node['default'])}`")
    return "\n\n".join(parts)


def _key_at(document_positions: Any, line: int, column: int) -> tuple[str | int, ...] | None:
    """The deepest key path whose key (or scalar value) covers (line, column), 1-based."""
    best: tuple[str | int, ...] | None = None
    for path, position in document_positions.items():
        for span in (position.key_span, position.value_span):
            if span is None or span.line != line or span.end_line != line:
                continue
            if span.column <= column < max(span.end_column, span.column + 1) and (best is None or len(path) > len(best)):
                best = path
    return best


def hover(server: KubelintServer, params: types.HoverParams) -> types.Hover | None:
    from kubelint.loaders.yaml import load_yaml

    document = server.workspace.get_text_document(params.text_document.uri)
    path = _document_path(document)
    kind = classify(document.source, str(path) if path else document.uri)
    if kind not in (FileKind.KUBELET_CONFIG, FileKind.KUBECONFIG):
        return None
    lines = document.source.splitlines()
    line_text = lines[params.position.line] if params.position.line < len(lines) else ""
    line = params.position.line + 1
    column = _to_code_points(line_text, params.position.character, _encoding(server)) + 1
    stream = load_yaml(document.source, document.uri)
    _settings, options, _rules = _options(server, path)
    for yaml_document in stream.documents:
        if not (yaml_document.span.line <= line <= yaml_document.span.end_line):
            continue
        key_path = _key_at(yaml_document.positions, line, column)
        if not key_path:
            continue
        node = _schema_node(_schema(kind, options.version), key_path)
        if node is None:
            return None
        span = yaml_document.key_span(key_path) or yaml_document.nearest_span(key_path)
        rng = get_converter().structure(span_to_range(span, lines, _encoding(server)), types.Range)
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                         value=hover_text(key_path, node, kind, options.version)),
            range=rng,
        )
    return None


# --- wiring ---------------------------------------------------------------------


def create_server() -> KubelintServer:
    server = KubelintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: KubelintServer, params: types.InitializeParams) -> None:
        ls.state.settings = ServerSettings.parse(params.initialization_options)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: KubelintServer, params: types.DidOpenTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: KubelintServer, params: types.DidChangeTextDocumentParams) -> None:
        schedule(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: KubelintServer, params: types.DidSaveTextDocumentParams) -> None:
        pending = ls.state.pending.pop(params.text_document.uri, None)
        if pending is not None:
            pending.cancel()
        publish(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: KubelintServer, params: types.DidCloseTextDocumentParams) -> None:
        pending = ls.state.pending.pop(params.text_document.uri, None)
        if pending is not None:
            pending.cancel()
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(ls: KubelintServer, params: types.DidChangeConfigurationParams) -> None:
        if isinstance(params.settings, dict) and params.settings:
            ls.state.settings = ServerSettings.parse(params.settings)
            ls.state.reported_errors.clear()
        for uri in list(_open_uris(ls)):
            publish(ls, uri)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: KubelintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        try:
            return code_actions(ls, params)
        except Exception:
            log.exception("code actions failed")
            return []

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: KubelintServer, params: types.HoverParams) -> types.Hover | None:
        try:
            return hover(ls, params)
        except Exception:
            log.exception("hover failed")
            return None

    return server


def _open_uris(server: LanguageServer) -> Iterator[str]:
    yield from server.workspace.text_documents.keys()


def serve() -> None:
    logging.basicConfig(level=logging.WARNING, format="kubelint-lsp %(levelname)s %(message)s")
    create_server().start_io()
