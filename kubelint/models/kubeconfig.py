"""kubeconfig ``v1`` (client-go ``clientcmd``): typed model, decoding and resolution.

The kubelet reads its ``--kubeconfig`` and ``--bootstrap-kubeconfig`` through
client-go: YAML is turned into JSON and decoded case-sensitively into the v1
structs, unknown keys are ignored, a value of the wrong type fails the whole
file, and ``*-data`` fields are base64 (Go's ``encoding/json`` ``[]byte``).
The lists of named clusters, users and contexts then become maps, and a
duplicate name fails that conversion.

Attribute names are snake_case; the aliases are the exact keys of the file
(kebab-case, except ``tokenFile`` and the exec plugin's camelCase keys).
Validation is by alias only, so ``insecure_skip_tls_verify`` in a file is an
unknown key, as it is for client-go.

Besides the model: ``decode_kubeconfig`` (type problems with key paths),
``Kubeconfig.current()`` (current context → cluster and user), base64 and
PEM sniffing without any crypto library, and the role a file plays for the
kubelet (``guess_role``/``effective_role``).
"""

from __future__ import annotations

import base64
import binascii
import copy
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from kubelint.models.fields import Bool, Str

KeyPath = tuple[str | int, ...]
Role = Literal["kubeconfig", "bootstrap"]

API_VERSION = "v1"
KIND = "Config"
INTERACTIVE_MODES = ("Never", "IfAvailable", "Always")
# exec apiVersions for which client-go defaults interactiveMode to IfAvailable
EXEC_VERSIONS_DEFAULTING_INTERACTIVE = (
    "client.authentication.k8s.io/v1alpha1",
    "client.authentication.k8s.io/v1beta1",
)
KUBELET_CLIENT_CERT = "/var/lib/kubelet/pki/kubelet-client-current.pem"


# --- base64 ([]byte fields) -------------------------------------------------

_BASE64_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")


class Base64Error(ValueError):
    """Go's ``illegal base64 data at input byte N``."""

    def __init__(self, offset: int) -> None:
        super().__init__(f"illegal base64 data at input byte {offset}")
        self.offset = offset


def decode_base64(text: str) -> bytes:
    """Decode like Go's ``base64.StdEncoding`` (padding required; CR and LF skipped)."""
    for offset, char in enumerate(text):
        if char not in _BASE64_ALPHABET and char not in "\r\n":
            raise Base64Error(offset)
    compact = text.replace("\r", "").replace("\n", "")
    try:
        return base64.b64decode(compact, validate=True)
    except binascii.Error:
        raise Base64Error(_padding_error_offset(text)) from None


def _padding_error_offset(text: str) -> int:
    """Where Go reports a padding problem: at a '=' too early in its quantum or
    alone where '==' was needed, at data after the padding, or at the end for a
    short final quantum."""
    first = text.find("=")
    if first < 0:
        return len(text)
    position = sum(1 for char in text[:first] if char not in "\r\n") % 4
    if position < 2:
        return first
    after = first + 1
    if position == 2:
        while after < len(text) and text[after] in "\r\n":
            after += 1
        if after >= len(text):
            return len(text)
        if text[after] != "=":
            return first
        after += 1
    while after < len(text) and text[after] in "\r\n":
        after += 1
    return after if after < len(text) else len(text)


def _to_bytes(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return decode_base64(value)
        except Base64Error as error:
            raise ValueError(str(error)) from None
    if isinstance(value, bytes):
        return value
    raise ValueError(f"expected base64 text, found {yaml_type_name(value)}")


Base64Data = Annotated[bytes, BeforeValidator(_to_bytes)]


def _null_as_empty(value: Any) -> Any:
    # Go decodes a JSON null into a struct as its zero value
    return {} if value is None else value


# --- the v1 structs -----------------------------------------------------------

class _Struct(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class NamedExtension(_Struct):
    name: Str | None = None
    extension: Any = None  # runtime.RawExtension: any object


Extensions = list[Annotated[NamedExtension, BeforeValidator(_null_as_empty)]]


class Preferences(_Struct):
    colors: Bool | None = None
    extensions: Extensions | None = None


class Cluster(_Struct):
    server: Str | None = None
    tls_server_name: Str | None = Field(None, alias="tls-server-name")
    insecure_skip_tls_verify: Bool | None = Field(None, alias="insecure-skip-tls-verify")
    certificate_authority: Str | None = Field(None, alias="certificate-authority")
    certificate_authority_data: Base64Data | None = Field(None, alias="certificate-authority-data")
    proxy_url: Str | None = Field(None, alias="proxy-url")
    disable_compression: Bool | None = Field(None, alias="disable-compression")
    extensions: Extensions | None = None

    def is_empty(self) -> bool:
        """Nothing set at all: client-go's ``cluster has no server defined``."""
        return not any(self.model_dump(exclude_none=True).values())


class AuthProviderConfig(_Struct):
    name: Str | None = None
    config: dict[str, Str] | None = None


class ExecEnvVar(_Struct):
    name: Str | None = None
    value: Str | None = None


class ExecConfig(_Struct):
    command: Str | None = None
    args: list[Str] | None = None
    env: list[Annotated[ExecEnvVar, BeforeValidator(_null_as_empty)]] | None = None
    api_version: Str | None = Field(None, alias="apiVersion")
    install_hint: Str | None = Field(None, alias="installHint")
    provide_cluster_info: Bool | None = Field(None, alias="provideClusterInfo")
    interactive_mode: Str | None = Field(None, alias="interactiveMode")

    def effective_interactive_mode(self) -> str:
        """After client-go's defaulting (only the pre-v1 apiVersions get one)."""
        if self.interactive_mode:
            return self.interactive_mode
        if self.api_version in EXEC_VERSIONS_DEFAULTING_INTERACTIVE:
            return "IfAvailable"
        return ""


class AuthInfo(_Struct):
    client_certificate: Str | None = Field(None, alias="client-certificate")
    client_certificate_data: Base64Data | None = Field(None, alias="client-certificate-data")
    client_key: Str | None = Field(None, alias="client-key")
    client_key_data: Base64Data | None = Field(None, alias="client-key-data")
    token: Str | None = None
    token_file: Str | None = Field(None, alias="tokenFile")
    impersonate: Str | None = Field(None, alias="as")
    impersonate_uid: Str | None = Field(None, alias="as-uid")
    impersonate_groups: list[Str] | None = Field(None, alias="as-groups")
    impersonate_user_extra: dict[str, list[Str]] | None = Field(None, alias="as-user-extra")
    username: Str | None = None
    password: Str | None = None
    auth_provider: AuthProviderConfig | None = Field(None, alias="auth-provider")
    exec: ExecConfig | None = None
    extensions: Extensions | None = None

    def has_client_certificate(self) -> bool:
        return bool(self.client_certificate or self.client_certificate_data)

    def has_client_key(self) -> bool:
        return bool(self.client_key or self.client_key_data)


class Context(_Struct):
    cluster: Str | None = None
    user: Str | None = None
    namespace: Str | None = None
    extensions: Extensions | None = None


class NamedCluster(_Struct):
    name: Str | None = None
    cluster: Cluster | None = None


class NamedAuthInfo(_Struct):
    name: Str | None = None
    user: AuthInfo | None = None


class NamedContext(_Struct):
    name: Str | None = None
    context: Context | None = None


Section = Literal["clusters", "users", "contexts"]
T = TypeVar("T", Cluster, AuthInfo, Context)


@dataclass(frozen=True, slots=True)
class Named(Generic[T]):
    """One entry of ``clusters``, ``users`` or ``contexts``, with where it sits."""

    section: Section
    index: int
    name: str
    value: T

    INNER: ClassVar[dict[str, str]] = {"clusters": "cluster", "users": "user", "contexts": "context"}

    def path(self, *rest: str | int) -> KeyPath:
        """Key path of a field inside the entry: ``("users", 0, "user", "token")``."""
        return (self.section, self.index, self.INNER[self.section], *rest)

    @property
    def name_path(self) -> KeyPath:
        return (self.section, self.index, "name")

    @property
    def entry_path(self) -> KeyPath:
        return (self.section, self.index)


@dataclass(frozen=True, slots=True)
class Selection:
    """What client-go picks from ``current-context``: the context, its cluster and user.

    A name that matches nothing resolves to None; client-go then uses an empty
    cluster (no server) or an empty user (no credentials).
    """

    context_name: str
    context: Named[Context] | None
    cluster: Named[Cluster] | None
    user: Named[AuthInfo] | None

    def uses(self, entry: Named[Any]) -> bool:
        chosen = {"contexts": self.context, "clusters": self.cluster, "users": self.user}[entry.section]
        return chosen is not None and chosen.index == entry.index


class Kubeconfig(_Struct):
    api_version: Str | None = Field(None, alias="apiVersion")
    kind: Str | None = None
    preferences: Preferences | None = None
    clusters: list[Annotated[NamedCluster, BeforeValidator(_null_as_empty)]] | None = None
    users: list[Annotated[NamedAuthInfo, BeforeValidator(_null_as_empty)]] | None = None
    contexts: list[Annotated[NamedContext, BeforeValidator(_null_as_empty)]] | None = None
    current_context: Str | None = Field(None, alias="current-context")
    extensions: Extensions | None = None

    def named_clusters(self) -> list[Named[Cluster]]:
        return [Named("clusters", index, item.name or "", item.cluster or Cluster())
                for index, item in enumerate(self.clusters or [])]

    def named_users(self) -> list[Named[AuthInfo]]:
        return [Named("users", index, item.name or "", item.user or AuthInfo())
                for index, item in enumerate(self.users or [])]

    def named_contexts(self) -> list[Named[Context]]:
        return [Named("contexts", index, item.name or "", item.context or Context())
                for index, item in enumerate(self.contexts or [])]

    def find_cluster(self, name: str) -> Named[Cluster] | None:
        return next((entry for entry in self.named_clusters() if entry.name == name), None)

    def find_user(self, name: str) -> Named[AuthInfo] | None:
        return next((entry for entry in self.named_users() if entry.name == name), None)

    def find_context(self, name: str) -> Named[Context] | None:
        return next((entry for entry in self.named_contexts() if entry.name == name), None)

    def current(self) -> Selection:
        """Resolve ``current-context`` the way the kubelet's client config does."""
        name = self.current_context or ""
        context = self.find_context(name) if name else None
        cluster = user = None
        if context is not None:
            cluster = self.find_cluster(context.value.cluster or "")
            user = self.find_user(context.value.user or "")
        return Selection(name, context, cluster, user)

    def is_empty(self) -> bool:
        """client-go's ``IsConfigEmpty``: no clusters, users, contexts, current context or extensions."""
        return not (self.clusters or self.users or self.contexts or self.current_context
                    or self.extensions)


# --- decoding -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DecodeProblem:
    """A value client-go cannot decode; ``path`` points at it in the document."""

    path: KeyPath
    message: str


@dataclass(frozen=True, slots=True)
class Decoded:
    config: Kubeconfig
    problems: tuple[DecodeProblem, ...]


_TYPE_WORDS = {
    "string_type": "a string",
    "bool_type": "a boolean (true or false)",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "bytes_type": "base64 text",
}
_MAX_ATTEMPTS = 100


def yaml_type_name(value: Any) -> str:
    """How a YAML reader would call the value's type (never the value itself)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def format_path(path: KeyPath) -> str:
    """``("users", 0, "user", "token")`` → ``users[0].user.token``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def decode_kubeconfig(data: Any) -> Decoded:
    """Decode ``data`` as client-go would; every value it would refuse becomes a
    problem (with its key path) and is dropped, so the rest can still be checked."""
    if not isinstance(data, dict):
        return Decoded(Kubeconfig(), (DecodeProblem((), f"a kubeconfig must be a mapping, found {yaml_type_name(data)}"),))
    working = copy.deepcopy(data)
    problems: list[DecodeProblem] = list(_header_problems(working))
    for _attempt in range(_MAX_ATTEMPTS):
        try:
            return Decoded(Kubeconfig.model_validate(working), tuple(problems))
        except ValidationError as error:
            found: dict[KeyPath, str] = {}
            for item in error.errors():
                path = _data_path(working, item["loc"])
                if path and path not in found:
                    found[path] = _problem_message(path, item)
            if not found:
                break
            problems.extend(DecodeProblem(path, message) for path, message in found.items())
            # deepest and last first, so that removing a list item keeps the other paths valid
            for path in sorted(found, key=_removal_order, reverse=True):
                _drop(working, path)
    return Decoded(Kubeconfig(), tuple(problems))


def _header_problems(data: dict[str, Any]) -> Iterator[DecodeProblem]:
    api_version, kind = data.get("apiVersion"), data.get("kind")
    # An empty apiVersion/kind is defaulted to v1 Config by client-go's loader.
    if isinstance(api_version, str) and api_version not in ("", API_VERSION):
        yield DecodeProblem(("apiVersion",), f"apiVersion {api_version!r} is not {API_VERSION!r}: "
                            f"client-go knows kind {KIND} only in version {API_VERSION} and refuses the file")
    if isinstance(kind, str) and kind not in ("", KIND):
        yield DecodeProblem(("kind",), f"kind {kind!r} is not {KIND!r}: client-go refuses the file")


def _data_path(data: Any, loc: tuple[int | str, ...]) -> KeyPath:
    """Trim pydantic's loc (which may name validators or union branches) to a data path."""
    path: list[str | int] = []
    node = data
    for part in loc:
        in_mapping = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_mapping or in_list:
            path.append(part)
            node = node[part]
    return tuple(path)


def _removal_order(path: KeyPath) -> tuple[tuple[int, str | int], ...]:
    return tuple((0, part) if isinstance(part, int) else (1, part) for part in path)


def _drop(data: Any, path: KeyPath) -> None:
    """Remove the value at ``path``; a struct in a list becomes empty (Go's zero
    value) so the indexes of the entries after it stay as written."""
    node = data
    for part in path[:-1]:
        node = node[part]  # the path was built from this very data
    last = path[-1]
    if isinstance(node, dict) and isinstance(last, str):
        node.pop(last, None)
    elif isinstance(node, list) and isinstance(last, int) and 0 <= last < len(node):
        if path[0] in ("clusters", "users", "contexts", "extensions") and len(path) == 2:
            node[last] = {}
        else:
            del node[last]


def _problem_message(path: KeyPath, item: Any) -> str:
    name = format_path(path)
    error_type = str(item.get("type", ""))
    found = yaml_type_name(item.get("input"))
    if error_type in _TYPE_WORDS:
        return f"{name} must be {_TYPE_WORDS[error_type]}, found {found}; client-go cannot decode the kubeconfig"
    message = str(item.get("msg", "invalid value")).removeprefix("Value error, ")
    return f"{name}: {message}; client-go cannot decode the kubeconfig"


# --- unknown keys ---------------------------------------------------------------

def known_keys(model: type[BaseModel]) -> dict[str, type[BaseModel] | None]:
    """The file keys of ``model``, each with the struct below it (None for leaves and maps)."""
    return {field.alias or name: _struct_of(field.annotation) for name, field in model.model_fields.items()}


def _struct_of(annotation: Any) -> type[BaseModel] | None:
    """The struct type inside ``X | None``, ``list[X]`` or ``Annotated[X, ...]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is dict:
        return None  # a map: its keys are data, not fields
    if origin in (list, typing.Union, types.UnionType, Annotated):
        for argument in typing.get_args(annotation):
            found = _struct_of(argument)
            if found is not None:
                return found
    return None


def unknown_keys(data: Any) -> Iterator[tuple[KeyPath, list[str]]]:
    """Every key client-go silently ignores, with the keys that were possible there."""
    yield from _unknown_in(data, Kubeconfig, ())


def _unknown_in(data: Any, model: type[BaseModel], path: KeyPath) -> Iterator[tuple[KeyPath, list[str]]]:
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield from _unknown_in(item, model, (*path, index))
        return
    if not isinstance(data, dict):
        return
    fields = known_keys(model)
    for key, value in data.items():
        if key not in fields:
            yield (*path, key), list(fields)
            continue
        below = fields[key]
        if below is not None:
            yield from _unknown_in(value, below, (*path, key))


# --- PEM sniffing -------------------------------------------------------------------

_PEM_BLOCK = re.compile(
    rb"^-----BEGIN (?P<type>[^\r\n-]*)-----[ \t]*\r?\n(?P<body>.*?)^-----END (?P=type)-----",
    re.MULTILINE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class PemBlock:
    type: str
    has_headers: bool
    der: bytes | None  # None when the body is not valid base64


def pem_blocks(data: bytes) -> list[PemBlock]:
    """The PEM blocks in ``data`` (as Go's ``pem.Decode`` would find them)."""
    blocks = []
    for match in _PEM_BLOCK.finditer(data):
        has_headers, body = _split_headers(match.group("body"))
        try:
            der: bytes | None = base64.b64decode(b"".join(body.split()), validate=True)
        except binascii.Error:
            der = None
        blocks.append(PemBlock(match.group("type").decode("ascii", "replace"), has_headers, der))
    return blocks


def _split_headers(body: bytes) -> tuple[bool, bytes]:
    """PEM headers (``Proc-Type: ...``) run up to the first blank line."""
    lines = body.split(b"\n")
    if not lines or b":" not in lines[0]:
        return False, body
    blank = next((index for index, line in enumerate(lines) if not line.strip()), len(lines))
    return True, b"\n".join(lines[blank + 1 :])


def is_der_sequence(der: bytes) -> bool:
    """A DER SEQUENCE whose length covers exactly ``der``: the outer shape of a
    certificate or key (x509 rejects trailing data)."""
    if len(der) < 2 or der[0] != 0x30:
        return False
    first = der[1]
    if first < 0x80:
        return 2 + first == len(der)
    count = first & 0x7F
    if count == 0 or count > 4 or len(der) < 2 + count:
        return False
    length = int.from_bytes(der[2 : 2 + count], "big")
    return 2 + count + length == len(der)


def has_certificate(data: bytes) -> bool:
    """At least one ``CERTIFICATE`` block that looks like a DER certificate."""
    return any(block.type == "CERTIFICATE" and not block.has_headers and block.der is not None
               and is_der_sequence(block.der) for block in pem_blocks(data))


def has_private_key(data: bytes) -> bool:
    """A ``PRIVATE KEY``, ``RSA PRIVATE KEY`` or ``EC PRIVATE KEY`` block with a DER body."""
    return any(block.type == "PRIVATE KEY" or block.type.endswith(" PRIVATE KEY")
               for block in pem_blocks(data) if block.der is not None and is_der_sequence(block.der))


def describe_pem_content(data: bytes) -> str:
    """A short, secret-free description of what ``data`` holds."""
    blocks = pem_blocks(data)
    if not blocks:
        if _looks_like_base64(data):
            return "base64 text again (the value was base64-encoded twice)"
        return "no PEM block"
    kinds = sorted({block.type for block in blocks})
    return "PEM blocks of type " + ", ".join(kinds)


def _looks_like_base64(data: bytes) -> bool:
    stripped = b"".join(data.split())
    if len(stripped) < 8:
        return False
    try:
        return pem_blocks(base64.b64decode(stripped, validate=True)) != []
    except binascii.Error:
        return False


# --- roles ---------------------------------------------------------------------------

_KUBELET_PATH_SUFFIX = ("var", "lib", "kubelet", "kubeconfig")


def guess_role(path: str) -> Role | None:
    """The role a kubeconfig plays for the kubelet, judged by its file name.

    kubeadm writes ``/etc/kubernetes/bootstrap-kubelet.conf`` and
    ``/etc/kubernetes/kubelet.conf``; binary installs use
    ``bootstrap.kubeconfig`` and ``kubelet.kubeconfig``; some distributions
    keep the kubelet's kubeconfig at ``/var/lib/kubelet/kubeconfig``. Any
    name with ``bootstrap`` in it is taken for a bootstrap kubeconfig, any
    other with ``kubelet`` in it for the kubelet's own (only files whose
    content is a kubeconfig get here, so an env file called kubelet.conf
    does not).
    """
    posix = PurePosixPath(path.replace("\\", "/"))
    name = posix.name.lower()
    if "bootstrap" in name:
        return "bootstrap"
    if "kubelet" in name or posix.parts[-4:] == _KUBELET_PATH_SUFFIX:
        return "kubeconfig"
    return None


def effective_role(role: str | None, path: str) -> Role | None:
    """The role given by the node view (``--kubeconfig``/``--bootstrap-kubeconfig``),
    else the one guessed from the file name."""
    if role == "kubeconfig":
        return "kubeconfig"
    if role == "bootstrap":
        return "bootstrap"
    return guess_role(path)


# --- referenced files ------------------------------------------------------------------

def resolve_reference(reference: str, kubeconfig_path: str) -> str:
    """Where client-go looks for a file the kubeconfig names: relative paths are
    resolved against the kubeconfig's own directory."""
    if reference.startswith("/"):
        return reference
    return str(PurePosixPath(kubeconfig_path.replace("\\", "/")).parent / reference)
