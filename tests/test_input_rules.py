from tests.helpers import codes, lint_text, only

CLEAN = """
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
maxPods: 110
"""


def test_clean_config_has_no_input_findings() -> None:
    assert [c for c in codes(lint_text(CLEAN)) if c.startswith("KL0")] == []


def test_unknown_field_suggests_near_miss_and_offers_rename() -> None:
    found = only(lint_text(CLEAN + "maxPod: 250\n"), "KL011")
    assert len(found) == 1
    diagnostic = found[0]
    assert diagnostic.severity.label == "warning"
    assert (diagnostic.span.line, diagnostic.span.column, diagnostic.span.end_column) == (5, 1, 7)
    assert "did you mean 'maxPods'" in diagnostic.message
    assert diagnostic.fix is not None and diagnostic.fix.applicability.value == "safe"


def test_unknown_nested_field_with_wrong_case() -> None:
    text = CLEAN + "authentication:\n  Anonymous:\n    enabled: false\n"
    found = only(lint_text(text), "unknown-field")
    assert [d.message.split(":")[0] for d in found] == ["unknown field 'authentication.Anonymous'"]
    assert "did you mean 'anonymous'" in found[0].message


def test_wrong_type_is_an_error_at_the_value() -> None:
    found = only(lint_text(CLEAN + 'eventBurst: "100"\nsyncFrequency: 60\n'), "KL010")
    assert [(d.span.line, d.span.column) for d in found] == [(5, 13), (6, 16)]
    assert all(d.severity.label == "error" for d in found)


def test_duplicate_key_points_at_the_winner_with_the_first_related() -> None:
    found = only(lint_text(CLEAN + "maxPods: 250\n"), "duplicate-key")
    assert len(found) == 1
    assert found[0].span.line == 5
    assert found[0].related[0].location.span.line == 4


def test_wrong_api_version_is_fixable() -> None:
    text = CLEAN.replace("v1beta1", "v1")
    found = only(lint_text(text), "KL009")
    assert len(found) == 1 and found[0].span.line == 1 and found[0].fix is not None


def test_yaml_syntax_error_has_position() -> None:
    found = only(lint_text("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nmaxPods: [1\n"), "KL006")
    assert len(found) == 1 and found[0].span.line >= 3


def test_tab_indentation_is_a_syntax_error_with_hint() -> None:
    text = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n\tanonymous: {}\n"
    found = only(lint_text(text), "yaml-syntax")
    assert len(found) == 1 and "tab" in found[0].message


def test_alias_bomb_is_bounded() -> None:
    lines = ["apiVersion: kubelet.config.k8s.io/v1beta1", "kind: KubeletConfiguration", 'a: &a ["x","x","x","x","x","x","x","x","x"]']
    previous = "a"
    for name in "bcdefghij":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    found = only(lint_text("\n".join(lines) + "\n"), "yaml-too-complex")
    assert len(found) == 1


def test_suppression_comment_on_line_and_line_before() -> None:
    text = CLEAN + "maxPod: 250  # kubelint: disable=KL011\n# kubelint: disable=unknown-field\nfoo: 1\n"
    assert only(lint_text(text), "KL011") == []


def test_disable_file() -> None:
    text = "# kubelint: disable-file=KL011\n" + CLEAN.lstrip() + "maxPod: 250\n"
    assert only(lint_text(text), "KL011") == []


def test_multi_document_kubeadm_file_lints_only_the_kubelet_document() -> None:
    text = """
    apiVersion: kubeadm.k8s.io/v1beta3
    kind: ClusterConfiguration
    kubernetesVersion: v1.30.2
    ---
    apiVersion: kubelet.config.k8s.io/v1beta1
    kind: KubeletConfiguration
    maxPod: 10
    """
    found = only(lint_text(text, "kubeadm-config.yaml"), "KL011")
    assert len(found) == 1 and found[0].span.line == 7
