"""tracing settings the kubelet rejects.

Why: the kubelet validates ``tracing`` at start: ``samplingRatePerMillion``
must be between 0 and 1000000, and ``endpoint`` is a gRPC target, not a
URL: ``host:port`` (read as ``dns://host:port``), ``dns://``, ``unix://`` or
``unix-abstract:``. ``http://collector:4317`` makes the kubelet refuse to
start ("unsupported scheme").

Fails:
    tracing:
      endpoint: http://otel-collector.observability:4317
      samplingRatePerMillion: 2000000
Passes:
    tracing:
      endpoint: otel-collector.observability:4317
      samplingRatePerMillion: 100
Fix: safe for an ``http://``/``https://`` endpoint: the scheme is dropped,
which is the same host and port for the gRPC exporter.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubelint.diagnostics import Finding, Severity
from kubelint.engine import Scope, define
from kubelint.kubelet_view import KubeletView
from kubelint.rules.validity._support import REFUSES, as_int, replace_fix

RATE, ENDPOINT = "tracing.samplingRatePerMillion", "tracing.endpoint"
SCHEMES = ("none", "dns", "unix", "unix-abstract")


def _rate(view: KubeletView) -> Iterator[Finding]:
    rate = as_int(view.get(RATE))
    if rate is None:
        return
    if rate < 0:
        yield Finding(view.where(RATE),
                      f"{REFUSES}: tracing.samplingRatePerMillion: Invalid value: {rate}: sampling rate must be positive")
    elif rate > 1_000_000:
        yield Finding(view.where(RATE),
                      f"{REFUSES}: tracing.samplingRatePerMillion: Invalid value: {rate}: sampling rate per million "
                      "must be less than or equal to one million")


def _endpoint(view: KubeletView) -> Iterator[Finding]:
    endpoint = view.get(ENDPOINT)
    if not isinstance(endpoint, str) or "://" not in endpoint:
        return
    scheme, _, rest = endpoint.partition("://")
    if scheme in SCHEMES:
        return
    message = (f"{REFUSES}: tracing.endpoint: Invalid value: {endpoint!r}: unsupported scheme: {scheme}. Options "
               "are none, dns, unix, or unix-abstract")
    fix = None
    if scheme in ("http", "https", "grpc") and rest and "/" not in rest.rstrip("/"):
        host = rest.rstrip("/")
        message += f"; write {host}"
        fix = replace_fix(view, ENDPOINT, host, f"replace {endpoint!r} with {host!r}")
    yield Finding(view.where(ENDPOINT), message, fix=fix)


def check(view: KubeletView) -> Iterator[Finding]:
    yield from _rate(view)
    yield from _endpoint(view)


RULE = define(__doc__, code="KL125", name="invalid-tracing-config", severity=Severity.ERROR,
              scope=Scope.KUBELET, check=check, fixable=True)
