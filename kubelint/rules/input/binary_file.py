"""The file is binary (it contains NUL bytes), not configuration text.

Why: a kubelet config, unit or env file with NUL bytes is corrupt (a bad
copy, a truncated write, the wrong file); the kubelet or systemd would
refuse it or misread it.

Fails:
    a config.yaml with a NUL byte in the middle
Passes:
    a plain UTF-8 config.yaml
Fix: none automatic; restore the file from its source.
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL002", name="binary-file", severity=Severity.ERROR, scope=Scope.LOAD)
