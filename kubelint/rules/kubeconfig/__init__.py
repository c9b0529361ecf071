"""kubeconfig and TLS bootstrap (KL5xx): what client-go refuses in the kubelet's
``--kubeconfig``/``--bootstrap-kubeconfig``, and credential hygiene."""
