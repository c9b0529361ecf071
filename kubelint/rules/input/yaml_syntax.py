"""The YAML (or JSON) does not parse.

Why: the kubelet exits at start when its config file does not parse, and
client-go refuses a kubeconfig that does not parse. The position is where
the parser gave up; tabs used for indentation are a common cause.

Fails:
    authentication:
    →   anonymous:          # indented with a tab character
          enabled: false
Passes:
    authentication:
      anonymous:
        enabled: false
Fix: none automatic; correct the syntax at the reported position.
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL006", name="yaml-syntax", severity=Severity.ERROR, scope=Scope.LOAD)
