"""redact() skips its four substitutions on text with nothing to mask; the result must not change."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kubelint import redact as module
from kubelint.redact import redact


def _every_substitution(text: str) -> str:
    """redact() as it was before its fast path: all four patterns, always."""
    if not text:
        return text
    text = module._PEM_KEY.sub("-----BEGIN PRIVATE KEY----- (redacted)", text)
    text = module._SECRET_FIELD.sub(lambda m: m.group("key") + module.redact_token(m.group("value")), text)
    text = module._SECRET_FLAG.sub(lambda m: m.group("key") + module.redact_token(m.group("value")), text)
    return module._BOOTSTRAP_TOKEN.sub(lambda m: f"{m.group(1)}.{'*' * 16}", text)


# pieces that make the patterns match, or nearly, among arbitrary text
_PIECES = st.sampled_from([
    "token", "TOKEN", "Token", "password", "PassWord", "secret", "SECRET", "client-key-data", "id-token",
    "bootstrap-token", "--token", "--password", "=", ": ", ":", " ", '"', "'", ".", "abcdef", "0123456789abcdef",
    "abcdef.0123456789abcdef", "-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----",
    "-----begin private key-----", "\n", "x", "\u212a", "\u017f", "\u0131", "\u0130", "s\u212aecret", "to\u212aen",
    "\u017fecret", "cl\u0131ent-key-data", "é", "#", ",", "}", "kubelet", "cgroupDriver: systemd",
])


@settings(max_examples=2000, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=8), max_size=12).map("".join))
def test_redact_equals_every_substitution(text: str) -> None:
    assert redact(text) == _every_substitution(text)


@given(st.text())
def test_redact_equals_every_substitution_on_any_text(text: str) -> None:
    assert redact(text) == _every_substitution(text)


def test_case_folded_secrets_are_still_masked() -> None:
    # re.IGNORECASE matches the Kelvin sign to "k", the long s to "s", both i's to "i"
    for text in ("to\u212aen: abcdefghijkl", "\u017fecret=abcdefghijkl", "cl\u0131ent-key-data: abcdefghijkl",
                 "cl\u0130ent-key-data: abcdefghijkl — note"):
        assert redact(text) == _every_substitution(text) != text, text
    assert redact("TOKEN=supersecretvalue") == "TOKEN=" + "*" * 16
    assert redact("join with abcdef.0123456789abcdef now") == "join with abcdef.**************** now"
    assert re.search(r"\*{8}", redact("password: hunter22"))


def test_only_four_letters_fold_to_ascii_ones() -> None:
    """The fast path's list of look-alikes is every non-ASCII letter re.IGNORECASE matches to [a-z]."""
    every = "".join(chr(code) for code in range(0x80, 0x110000) if not 0xD800 <= code <= 0xDFFF)
    lookalikes = re.compile("[a-z]", re.IGNORECASE).findall(every)
    assert set(lookalikes) == set(module._ASCII_LOOKALIKES)


def test_text_without_secrets_is_returned_as_is() -> None:
    text = "evictionHard.memory.available is below the default"
    assert redact(text) is text
