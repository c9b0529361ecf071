"""kubelint: a linter for Kubernetes node configuration."""

__version__ = "0.1.0"
