"""kubelint itself failed on this file.

Why: a bug in kubelint must never hide the other findings or print a
traceback in a CI log; the file is reported with this diagnostic and the
run goes on (exit status 2 if nothing worse was found).

Fails:
    (no input should trigger this; if one does, please report it)
Passes:
    every file
Fix: none; report the file that triggers it.
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL099", name="internal-error", severity=Severity.ERROR, scope=Scope.LOAD)
