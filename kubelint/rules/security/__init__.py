"""Security of the effective kubelet configuration (KL4xx): CIS 4.2 and beyond."""
