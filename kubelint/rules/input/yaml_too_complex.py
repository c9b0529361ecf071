"""The document expands too far (alias bomb) or nests too deeply.

Why: aliases that reference aliases (the "billion laughs" pattern) expand
to billions of nodes; no real kubelet configuration needs that. kubelint
stops at a bound instead of exhausting memory, and so should any tool
reading this file.

Fails:
    a: &a ["x", "x"]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]   # ...and so on, nine levels
Passes:
    a document without nested aliases
Fix: none automatic; write the values out.
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL007", name="yaml-too-complex", severity=Severity.ERROR, scope=Scope.LOAD)
