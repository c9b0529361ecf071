"""Properties of the flags family: never raise, and a deleting fix removes exactly its flag."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubelint.fix import apply_edits_to_text
from kubelint.loaders.envfile import parse_env_file
from kubelint.node import env_file_command_lines
from tests.test_flags_helpers import DEFAULT_KUBELET, lint, only

KEPT = ["--v=2", "--node-ip=10.0.12.7", "--max-pods", "250", "--hostname-override=node-1",
        "--node-labels=disktype=ssd", "--rotate-certificates", "--config=/var/lib/kubelet/config.yaml"]
REMOVED = ["--network-plugin=cni", "--logtostderr=false", "--log-dir=/var/log/kubelet", "--cni-bin-dir=/opt/cni/bin"]
SEPARATORS = [" ", "  ", " \\\n", " \\\n  ", "\t"]


def _words_of(text: str) -> list[str]:
    lines = env_file_command_lines(parse_env_file(text, DEFAULT_KUBELET))
    return [word.text for line in lines for word in line.words]


@st.composite
def env_files(draw: st.DrawFn) -> tuple[str, list[str]]:
    kept = draw(st.lists(st.sampled_from(["--v=2", "--node-ip=10.0.12.7", "--hostname-override=node-1",
                                          "--rotate-certificates", "--node-labels=disktype=ssd"]), max_size=4))
    removed = draw(st.sampled_from(REMOVED))
    position = draw(st.integers(min_value=0, max_value=len(kept)))
    words = [*kept[:position], removed, *kept[position:]]
    separators = [draw(st.sampled_from(SEPARATORS)) for _ in words[1:]]
    quoted = draw(st.booleans()) or any("\n" in s for s in separators)
    body = words[0] + "".join(sep + word for sep, word in zip(separators, words[1:], strict=True))
    text = f'KUBELET_EXTRA_ARGS="{body}"\n' if quoted else f"KUBELET_EXTRA_ARGS={body}\n"
    return text, kept


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(env_files())
def test_deleting_a_removed_flag_keeps_every_other_word(case: tuple[str, list[str]]) -> None:
    text, kept = case
    found = only(lint(text, DEFAULT_KUBELET), "KL201")
    assert len(found) == 1
    fix = found[0].fix
    assert fix is not None
    fixed = apply_edits_to_text(text, list(fix.edits))
    assert _words_of(fixed) == kept
    assert only(lint(fixed, DEFAULT_KUBELET), "KL201") == []


ALPHABET = st.sampled_from(list("-=,<:/ab1\"' \\\n$.") + KEPT + REMOVED)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ALPHABET, max_size=30).map("".join))
def test_any_value_is_linted_without_an_internal_error(value: str) -> None:
    text = f'KUBELET_EXTRA_ARGS="{value}"\nKUBELET_OPTS={value}\n'
    found = lint(text, DEFAULT_KUBELET, select=("KL2", "KL0"))
    assert [d.message for d in found if d.name == "internal-error"] == []
    for diagnostic in found:
        if diagnostic.code.startswith("KL2") and diagnostic.fix is not None:
            # every fix applies to the text it was made for
            apply_edits_to_text(text, [e for e in diagnostic.fix.edits if e.path == DEFAULT_KUBELET])
