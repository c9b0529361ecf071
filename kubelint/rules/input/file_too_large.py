"""The file is too large to be node configuration.

Why: kubelet configs, kubeconfigs and unit files are kilobytes. A file of
tens of megabytes is almost always the wrong file (a log, an image, a
dump); kubelint stops reading it to stay fast and bounded in memory.

Fails:
    a 60 MB file named config.yaml
Passes:
    a 3 KB KubeletConfiguration
Fix: none automatic; lint the right file, or exclude this path.
"""

from kubelint.diagnostics import Severity
from kubelint.engine import Scope, define

RULE = define(__doc__, code="KL004", name="file-too-large", severity=Severity.ERROR, scope=Scope.LOAD)
