"""Flags by Kubernetes version (KL2xx): what the kubelet makes of its command line.

These rules run wherever a kubelet command line is found: the resolved
``ExecStart`` of a node (with the effective config to compare against), one
``KUBELET_*`` variable of an env file, or the ``ExecStart`` of a lone unit.
"""
