"""Secrets never reach output: tokens, passwords and keys are masked.

Applied by every formatter to message text, code-frame lines and diffs, so
a rule that quotes a line by accident still cannot leak a credential.
"""

from __future__ import annotations

import re

_BOOTSTRAP_TOKEN = re.compile(r"\b([a-z0-9]{6})\.([a-z0-9]{16})\b")
_SECRET_FIELD = re.compile(
    r"""(?P<key>["']?(?:token|password|client-key-data|bootstrap-token|secret|id-token|refresh-token|access-token)["']?\s*[:=]\s*["']?)(?P<value>[^\s"',}#]{4,})""",
    re.IGNORECASE,
)
_SECRET_FLAG = re.compile(r"(?P<key>--(?:token|password)[=\s]+)(?P<value>[^\s\"']+)")
_PEM_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", re.DOTALL)


def redact_token(token: str) -> str:
    """``abcdef.0123456789abcdef`` → ``abcdef.****************``; others fully masked."""
    match = _BOOTSTRAP_TOKEN.fullmatch(token)
    if match:
        return f"{match.group(1)}.{'*' * 16}"
    return "*" * min(max(len(token), 8), 24)


# Every secret the patterns above mask contains one of these words (any
# case), or else a dot (the bootstrap token). Most text a report prints has
# none of them: a look for them is much cheaper than four substitutions.
_SECRET_WORDS = ("token", "password", "secret", "client-key-data", "-----begin")


def redact(text: str) -> str:
    if not text:
        return text
    if text.isascii() and not any(word in text.lower() for word in _SECRET_WORDS):
        # re.IGNORECASE also matches some non-ASCII letters to ASCII ones
        # (the Kelvin sign to "k"): only ASCII text takes this way
        return _BOOTSTRAP_TOKEN.sub(_mask_bootstrap_token, text) if "." in text else text
    text = _PEM_KEY.sub("-----BEGIN PRIVATE KEY----- (redacted)", text)
    text = _SECRET_FIELD.sub(lambda m: m.group("key") + redact_token(m.group("value")), text)
    text = _SECRET_FLAG.sub(lambda m: m.group("key") + redact_token(m.group("value")), text)
    return _BOOTSTRAP_TOKEN.sub(_mask_bootstrap_token, text)


def _mask_bootstrap_token(match: re.Match[str]) -> str:
    return f"{match.group(1)}.{'*' * 16}"
