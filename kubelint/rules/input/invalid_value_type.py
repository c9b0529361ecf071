"""A field holds a value of the wrong type.

Why: the kubelet decodes its config strictly by type (YAML is turned into
JSON and decoded into Go structs): a quoted number where an integer is
expected, a bare number where a duration string is expected, or an integer
that overflows int32 makes the kubelet exit at start. Unknown keys are only
warnings, but type errors are fatal.

Fails:
    maxPods: "110"
    syncFrequency: 60
Passes:
    maxPods: 110
    syncFrequency: 1m
Fix: none automatic; write the value in the field's type.
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL010", name="invalid-value-type", severity=Severity.ERROR, scope=Scope.LOAD)
