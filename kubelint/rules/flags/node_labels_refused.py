"""``--node-labels`` carries a label the kubelet refuses to set on its own Node.

Why: a kubelet may set labels in the ``kubernetes.io`` and ``k8s.io``
namespaces only under ``kubelet.kubernetes.io/`` or ``node.kubernetes.io/``
(and their subdomains) or from a short allowed set (``kubernetes.io/hostname``,
``kubernetes.io/os``, ``kubernetes.io/arch``, ``topology.kubernetes.io/zone``,
``topology.kubernetes.io/region``, ``node.kubernetes.io/instance-type`` and
their ``beta``/``failure-domain`` predecessors). Anything else, most often
``node-role.kubernetes.io/worker=``, makes it exit with ``unknown
'kubernetes.io' or 'k8s.io' labels specified with --node-labels`` (the
NodeRestriction admission plugin would refuse it anyway). A key or value
that is not a valid label (spaces, over 63 characters) is refused too.

Fails:
    KUBELET_EXTRA_ARGS="--node-labels=node-role.kubernetes.io/worker=,topology.kubernetes.io/zone=eu-west-1a"
Passes:
    KUBELET_EXTRA_ARGS="--node-labels=node.kubernetes.io/pool=workers,topology.kubernetes.io/zone=eu-west-1a"
    # then, from an admin machine: kubectl label node NAME node-role.kubernetes.io/worker=
Fix: unsafe: removes the refused label (and one comma) from the value, when
the value is written plainly; the node then starts without that label.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kubelint.contexts import CommandLineContext
from kubelint.diagnostics import Applicability, Finding, Fix, Location, Severity
from kubelint.engine import Scope, define
from kubelint.loaders.cmdline import FlagOccurrence
from kubelint.rules.flags._support import occurrence_word, shown, value_location, word_region

ALLOWED_LABELS = frozenset({
    "beta.kubernetes.io/arch", "beta.kubernetes.io/instance-type", "beta.kubernetes.io/os",
    "failure-domain.beta.kubernetes.io/region", "failure-domain.beta.kubernetes.io/zone",
    "kubernetes.io/arch", "kubernetes.io/hostname", "kubernetes.io/os", "node.kubernetes.io/instance-type",
    "topology.kubernetes.io/region", "topology.kubernetes.io/zone",
})
ALLOWED_NAMESPACES = ("kubelet.kubernetes.io", "node.kubernetes.io")
RESTRICTED_NAMESPACES = ("kubernetes.io", "k8s.io")

_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


@dataclass(frozen=True, slots=True)
class Label:
    """One ``key=value`` of the flag's value, with its offsets in that value."""

    key: str
    value: str
    start: int
    end: int


def labels(text: str) -> list[Label]:
    found: list[Label] = []
    offset = 0
    for item in text.split(","):
        stripped = item.strip()
        if stripped:
            start = offset + item.index(stripped)
            key, _, value = stripped.partition("=")
            found.append(Label(key.strip(), value.strip(), start, start + len(stripped)))
        offset += len(item) + 1
    return found


def namespace(key: str) -> str:
    prefix, slash, _ = key.partition("/")
    return prefix if slash else ""


def _within(space: str, parents: tuple[str, ...]) -> bool:
    return any(space == parent or space.endswith("." + parent) for parent in parents)


def is_restricted(key: str) -> bool:
    """A key the kubelet will not set: kubernetes.io/k8s.io, outside what kubelets may set."""
    space = namespace(key)
    if not _within(space, RESTRICTED_NAMESPACES):
        return False
    return key not in ALLOWED_LABELS and not _within(space, ALLOWED_NAMESPACES)


def syntax_error(label: Label) -> str | None:
    prefix, slash, name = label.key.rpartition("/")
    if not label.key or (slash and not prefix):
        return f"label key {label.key!r} is empty or has an empty prefix"
    if len(name) > 63 or not _NAME.fullmatch(name):
        return (f"label key {label.key!r}: the name must be 1-63 letters, digits, '-', '_' or '.', "
                "starting and ending with a letter or digit")
    if slash and (len(prefix) > 253 or not _SUBDOMAIN.fullmatch(prefix)):
        return f"label key {label.key!r}: the prefix must be a lowercase DNS subdomain"
    if label.value and (len(label.value) > 63 or not _NAME.fullmatch(label.value)):
        return (f"label value {label.value!r} of {label.key}: at most 63 letters, digits, '-', '_' or '.', "
                "starting and ending with a letter or digit")
    return None


def check(context: CommandLineContext) -> Iterator[Finding]:
    for occurrence in context.command_line.flags.all("node-labels"):
        for label in labels(occurrence.value or ""):
            message = _message(occurrence, label)
            if message is not None:
                yield Finding(_label_location(context, occurrence, label), message,
                              fix=_removal(context, occurrence, label))


def _message(occurrence: FlagOccurrence, label: Label) -> str | None:
    flag = shown(occurrence)
    if is_restricted(label.key):
        advice = ("set roles after the node joins: `kubectl label node NAME " + label.key + "=" + label.value + "`"
                  if namespace(label.key) == "node-role.kubernetes.io" else
                  "use your own prefix (example.com/...) or node.kubernetes.io/...")
        return (f"`{flag}` sets `{label.key}`: the kubelet exits with `unknown 'kubernetes.io' or 'k8s.io' labels "
                f"specified with --node-labels` (kubelets may only set kubernetes.io labels under "
                f"{' or '.join(n + '/' for n in ALLOWED_NAMESPACES)} or the well-known ones); {advice}")
    problem = syntax_error(label)
    if problem is not None:
        return f"`{flag}`: {problem}; the kubelet refuses to start"
    return None


def _label_location(context: CommandLineContext, occurrence: FlagOccurrence, label: Label) -> Location:
    word = occurrence_word(context.command_line, occurrence.value_index)
    value = occurrence.value or ""
    if word is None or not word.text.endswith(value):
        return value_location(occurrence, context.command_line)
    base = len(word.text) - len(value)
    return word.sub_location(base + label.start, base + label.end) or value_location(occurrence, context.command_line)


def _removal(context: CommandLineContext, occurrence: FlagOccurrence, label: Label) -> Fix | None:
    word = occurrence_word(context.command_line, occurrence.value_index)
    region = word_region(word, context.texts) if word is not None else None
    value = occurrence.value or ""
    if region is None or not word or not word.text.endswith(value):
        return None
    base = region.end - len(value)
    start, end = base + label.start, base + label.end
    if end < region.end and region.text[end] == ",":
        end += 1
    elif start > base and region.text[start - 1] == ",":
        start -= 1
    edit = region.edit(start, end)
    return Fix(f"remove {label.key} from {shown(occurrence)}", Applicability.UNSAFE, (edit,))


RULE = define(__doc__, code="KL207", name="node-labels-refused", severity=Severity.ERROR,
              scope=Scope.COMMAND_LINE, check=check, fixable=True)
