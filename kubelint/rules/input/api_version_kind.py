"""A KubeletConfiguration needs ``apiVersion: kubelet.config.k8s.io/v1beta1`` and ``kind: KubeletConfiguration``.

Why: the kubelet decodes its config file by group, version and kind. A
missing ``apiVersion``/``kind``, an unknown version (``v1`` of this group
holds only CredentialProviderConfig) or a misspelled kind makes it exit at
start. Drop-ins in ``--config-dir`` need both fields too.

Fails:
    apiVersion: kubelet.config.k8s.io/v1
    kind: KubeletConfiguration
Passes:
    apiVersion: kubelet.config.k8s.io/v1beta1
    kind: KubeletConfiguration
Fix: safe when only the version or the kind's spelling is wrong: it is set
to ``kubelet.config.k8s.io/v1beta1`` / ``KubeletConfiguration``.
"""

from collections.abc import Iterator

from kubelint.contexts import KubeletDocumentContext
from kubelint.diagnostics import Applicability, Finding, Fix, Severity, YamlEdit
from kubelint.engine import Scope, define
from kubelint.models.kubelet_fields import API_VERSION, KIND


def _set(context: KubeletDocumentContext, key: str, value: str, description: str) -> Fix:
    edit = YamlEdit(context.document.path, context.document.index, (*context.root, key), "set", value)
    return Fix(description, Applicability.SAFE, (edit,))


def check(context: KubeletDocumentContext) -> Iterator[Finding]:
    if context.role == "configz":
        return
    data = context.data
    api_version, kind = data.get("apiVersion"), data.get("kind")
    if api_version is None:
        yield Finding(context.location(()), "missing apiVersion: the kubelet cannot decode a config without it",
                      hint=f"add 'apiVersion: {API_VERSION}'")
    elif api_version != API_VERSION:
        fixable = isinstance(api_version, str) and api_version.startswith("kubelet.config.k8s.io/")
        yield Finding(
            context.location(("apiVersion",)),
            f"apiVersion {api_version!r} is not {API_VERSION!r}, the only version of KubeletConfiguration; "
            "the kubelet refuses the file",
            fix=_set(context, "apiVersion", API_VERSION, f"set apiVersion to {API_VERSION}") if fixable else None,
            hint=None if fixable else f"set 'apiVersion: {API_VERSION}'",
        )
    if kind is None:
        yield Finding(context.location(()), "missing kind: the kubelet cannot decode a config without it",
                      hint=f"add 'kind: {KIND}'")
    elif kind != KIND:
        near = isinstance(kind, str) and kind.lower().replace("-", "") == KIND.lower()
        yield Finding(
            context.location(("kind",)),
            f"kind {kind!r} is not {KIND!r}; the kubelet refuses the file",
            fix=_set(context, "kind", KIND, f"set kind to {KIND}") if near else None,
            hint=None if near else f"set 'kind: {KIND}'",
        )


RULE = define(__doc__, code="KL009", name="api-version-kind", severity=Severity.ERROR,
              scope=Scope.KUBELET_DOCUMENT, check=check, fixable=True)
