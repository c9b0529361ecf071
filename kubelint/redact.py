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


# Each pattern is tried only where it can match: most text a report prints
# (headlines, code-frame lines) holds none of them, and a look for a word is
# much cheaper than a substitution. Every key that ``_SECRET_FIELD`` names
# holds "token", "password", "secret" or "client-key-data"; a bootstrap token
# needs a dot and 16 letters or digits (its pattern starts with a class, tried
# at every position; this one starts with the dot, which re finds quickly).
_BOOTSTRAP_TOKEN_TAIL = re.compile(r"\.[a-z0-9]{16}")


def redact(text: str) -> str:
    if not text:
        return text
    if "-----BEGIN" in text:
        text = _PEM_KEY.sub("-----BEGIN PRIVATE KEY----- (redacted)", text)
    if _may_name_a_secret_field(text):
        text = _SECRET_FIELD.sub(lambda m: m.group("key") + redact_token(m.group("value")), text)
    if "--token" in text or "--password" in text:
        text = _SECRET_FLAG.sub(lambda m: m.group("key") + redact_token(m.group("value")), text)
    if _BOOTSTRAP_TOKEN_TAIL.search(text):
        text = _BOOTSTRAP_TOKEN.sub(_mask_bootstrap_token, text)
    return text


# the only other letters re.IGNORECASE matches to ASCII ones (found by trying
# every code point against [a-z]): the dotted and dotless i, the long s and
# the Kelvin sign
_ASCII_LOOKALIKES = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}


def _may_name_a_secret_field(text: str) -> bool:
    """False only where ``_SECRET_FIELD`` cannot match (no key word in any case)."""
    if not text.isascii():
        for lookalike, letter in _ASCII_LOOKALIKES.items():  # str.translate is slow on long text
            if lookalike in text:
                text = text.replace(lookalike, letter)
    lowered = text.lower()
    # (no any() over a tuple of the words: this runs for every line a report prints)
    return "token" in lowered or "password" in lowered or "secret" in lowered or "client-key-data" in lowered


def _mask_bootstrap_token(match: re.Match[str]) -> str:
    return f"{match.group(1)}.{'*' * 16}"
