"""Authentication, authorization and exposure of the kubelet API (KL401-KL405, KL418, KL420)."""

from __future__ import annotations

from kubelint.diagnostics import Applicability, Diagnostic, Severity, YamlEdit
from kubelint.fix import apply_edits_to_text
from tests.helpers import EXAMPLES, lint_text
from tests.test_security_support import (
    CONFIG_PATH,
    DROPIN_PATH,
    EXEC_START_LINE,
    FLAGS_ENV,
    UNIT_PATH,
    Flag,
    find,
    flag_span,
    flags_line,
    lint_config,
    lint_view,
    node_view,
    position,
)

SAFE_AUTHENTICATION = """
authentication:
  anonymous:
    enabled: false
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
"""

ANONYMOUS_ON = Flag("anonymous-auth", "true", ("authentication", "anonymous", "enabled"), True)
ANONYMOUS_OFF = Flag("anonymous-auth", "false", ("authentication", "anonymous", "enabled"), False)
WEBHOOK_AUTHN_OFF = Flag("authentication-token-webhook", "false", ("authentication", "webhook", "enabled"), False)
SECURE_FLAGS = [
    ANONYMOUS_OFF,
    Flag("authentication-token-webhook", "true", ("authentication", "webhook", "enabled"), True),
    Flag("authorization-mode", "Webhook", ("authorization", "mode"), "Webhook"),
    Flag("client-ca-file", "/etc/kubernetes/pki/ca.crt", ("authentication", "x509", "clientCAFile"),
         "/etc/kubernetes/pki/ca.crt"),
    Flag("read-only-port", "0", ("readOnlyPort",), 0),
]


def codes_of(diagnostics: list[Diagnostic]) -> set[str]:
    return {d.code for d in diagnostics}


# ---------------------------------------------------------------- KL401 anonymous auth


def test_anonymous_auth_enabled_in_config_is_an_error_with_an_unsafe_fix() -> None:
    diagnostics = lint_config("""
        authentication:
          anonymous:
            enabled: true
          x509:
            clientCAFile: /etc/kubernetes/pki/ca.crt
    """)
    found = find(diagnostics, "KL401")
    assert found.severity is Severity.ERROR
    assert position(found) == (CONFIG_PATH, 5, 14)
    assert (found.span.end_line, found.span.end_column) == (5, 18)
    assert f"set in {CONFIG_PATH}:5:14" in found.message
    assert f"set authentication.anonymous.enabled: false in {CONFIG_PATH}" in found.message
    assert found.fix is not None and found.fix.applicability is Applicability.UNSAFE
    assert found.fix.edits == (
        YamlEdit(CONFIG_PATH, 0, ("authentication", "anonymous", "enabled"), "set", False),
    )


def test_anonymous_auth_disabled_or_left_to_the_config_default_passes() -> None:
    disabled = lint_config("""
        authentication:
          anonymous:
            enabled: false
          x509:
            clientCAFile: /etc/kubernetes/pki/ca.crt
    """)
    defaulted = lint_config("""
        authentication:
          x509:
            clientCAFile: /etc/kubernetes/pki/ca.crt
    """)
    assert "KL401" not in codes_of(disabled)
    assert "KL401" not in codes_of(defaulted)


def test_anonymous_flag_overrides_a_safe_config_and_is_reported_at_the_flag_without_fix() -> None:
    view = node_view(SAFE_AUTHENTICATION, [ANONYMOUS_ON])
    found = find(lint_view(view), "KL401")
    line = flags_line([ANONYMOUS_ON])
    assert position(found) == (FLAGS_ENV, 1, flag_span(line, ANONYMOUS_ON).column)
    assert "--anonymous-auth at var/lib/kubelet/kubeadm-flags.env:1:" in found.message
    assert "change --anonymous-auth" in found.message and "--anonymous-auth=false" in found.message
    assert found.fix is None


def test_a_flag_turning_anonymous_auth_off_wins_over_the_config_file() -> None:
    view = node_view("authentication:\n  anonymous:\n    enabled: true\n", [ANONYMOUS_OFF])
    assert "KL401" not in codes_of(lint_view(view))


def test_anonymous_auth_is_advice_only_while_the_server_is_disabled() -> None:
    diagnostics = lint_config("""
        enableServer: false
        authentication:
          anonymous:
            enabled: true
    """)
    found = find(diagnostics, "KL401")
    assert found.severity is Severity.INFO
    assert position(found) == (CONFIG_PATH, 6, 14)
    assert "enableServer is false" in found.message


# ---------------------------------------------------------------- legacy flag defaults (no --config)


def test_without_a_config_file_the_legacy_flag_defaults_are_reported_at_the_command_line() -> None:
    diagnostics = lint_view(node_view(None, []))
    anchor = (UNIT_PATH, EXEC_START_LINE, 1)
    for code in ("KL401", "KL402", "KL403", "KL404", "KL405"):
        found = find(diagnostics, code)
        assert position(found) == anchor, code
        assert found.fix is None, code
    anonymous = find(diagnostics, "KL401")
    assert anonymous.severity is Severity.ERROR
    assert "legacy flag default for 1.33" in anonymous.message
    assert "runs without --config" in anonymous.message
    assert "anonymous auth on" in anonymous.message and "read-only port 10255" in anonymous.message
    assert "--anonymous-auth=false" in anonymous.message
    assert find(diagnostics, "KL402").severity is Severity.ERROR
    assert "10255" in find(diagnostics, "KL405").message


def test_without_a_config_file_secure_flags_silence_the_legacy_defaults() -> None:
    diagnostics = lint_view(node_view(None, SECURE_FLAGS))
    assert not codes_of(diagnostics) & {"KL401", "KL402", "KL403", "KL404", "KL405", "KL418"}


def test_drop_ins_without_a_config_file_merge_onto_the_legacy_defaults() -> None:
    # --config-dir alone: a drop-in that only sets the client CA leaves anonymous auth,
    # AlwaysAllow and port 10255 from the flag baseline (kube-bench#1973 misses the merge)
    view = node_view(None, [], dropin_body="""
        authentication:
          x509:
            clientCAFile: /etc/kubernetes/pki/ca.crt
    """)
    diagnostics = lint_view(view)
    assert "KL404" not in codes_of(diagnostics)
    anonymous = find(diagnostics, "KL401")
    assert position(anonymous) == (DROPIN_PATH, 3, 1)  # the drop-in's authentication: key
    assert "drop-ins are merged onto these" in anonymous.message
    assert f"set authentication.anonymous.enabled: false in a --config-dir drop-in such as {DROPIN_PATH}" \
        in anonymous.message
    assert position(find(diagnostics, "KL405")) == (UNIT_PATH, EXEC_START_LINE, 1)


def test_a_drop_in_can_override_the_legacy_defaults() -> None:
    view = node_view(None, [], dropin_body="""
        readOnlyPort: 0
        authentication:
          anonymous:
            enabled: false
          webhook:
            enabled: true
          x509:
            clientCAFile: /etc/kubernetes/pki/ca.crt
        authorization:
          mode: Webhook
    """)
    assert not codes_of(lint_view(view)) & {"KL401", "KL402", "KL403", "KL404", "KL405"}


# ---------------------------------------------------------------- KL402 AlwaysAllow


def test_always_allow_is_an_error_with_a_fix_to_webhook() -> None:
    diagnostics = lint_config("""
        authorization:
          mode: AlwaysAllow
    """)
    found = find(diagnostics, "KL402")
    assert found.severity is Severity.ERROR
    assert position(found) == (CONFIG_PATH, 4, 9)
    assert f"set authorization.mode: Webhook in {CONFIG_PATH}" in found.message
    assert found.fix is not None and found.fix.applicability is Applicability.UNSAFE
    assert found.fix.edits == (YamlEdit(CONFIG_PATH, 0, ("authorization", "mode"), "set", "Webhook"),)


def test_always_allow_fix_also_enables_webhook_authentication_written_false_in_yaml() -> None:
    found = find(lint_config("""
        authentication:
          webhook:
            enabled: false
        authorization:
          mode: AlwaysAllow
    """), "KL402")
    assert found.fix is not None
    assert found.fix.edits == (
        YamlEdit(CONFIG_PATH, 0, ("authorization", "mode"), "set", "Webhook"),
        YamlEdit(CONFIG_PATH, 0, ("authentication", "webhook", "enabled"), "set", True),
    )


def test_always_allow_fix_is_withheld_when_a_flag_keeps_webhook_authentication_off() -> None:
    view = node_view("authorization:\n  mode: AlwaysAllow\n", [WEBHOOK_AUTHN_OFF])
    found = find(lint_view(view), "KL402")
    assert position(found) == (CONFIG_PATH, 4, 9)
    assert found.fix is None


def test_webhook_authorization_passes() -> None:
    assert "KL402" not in codes_of(lint_config("authorization:\n  mode: Webhook\n"))


# ---------------------------------------------------------------- KL403 webhook authentication


def test_webhook_authentication_disabled_is_a_warning() -> None:
    found = find(lint_config("""
        authentication:
          webhook:
            enabled: false
          x509:
            clientCAFile: /etc/kubernetes/pki/ca.crt
    """), "KL403")
    assert found.severity is Severity.WARNING
    assert position(found) == (CONFIG_PATH, 5, 14)
    assert "rejected as anonymous" in found.message
    assert f"set authentication.webhook.enabled: true in {CONFIG_PATH}" in found.message


def test_webhook_authentication_enabled_or_defaulted_passes() -> None:
    assert "KL403" not in codes_of(lint_config("authentication:\n  webhook:\n    enabled: true\n"))
    assert "KL403" not in codes_of(lint_config("cgroupDriver: systemd\n"))


# ---------------------------------------------------------------- KL404 client CA


def test_missing_client_ca_points_at_the_authentication_block() -> None:
    found = find(lint_config("""
        authentication:
          anonymous:
            enabled: false
    """), "KL404")
    assert found.severity is Severity.ERROR
    assert position(found) == (CONFIG_PATH, 3, 1)
    assert f"not in {CONFIG_PATH} and no flag" in found.message
    assert f"set authentication.x509.clientCAFile: /etc/kubernetes/pki/ca.crt in {CONFIG_PATH}" in found.message


def test_missing_client_ca_without_any_authentication_block_points_at_kind() -> None:
    found = find(lint_config("cgroupDriver: systemd\n"), "KL404")
    assert position(found) == (CONFIG_PATH, 2, 1)


def test_empty_client_ca_is_reported_at_the_value() -> None:
    found = find(lint_config("""
        authentication:
          x509:
            clientCAFile: ""
    """), "KL404")
    assert position(found) == (CONFIG_PATH, 5, 19)
    assert "is empty" in found.message


def test_client_ca_from_config_or_flag_passes() -> None:
    assert "KL404" not in codes_of(lint_config(SAFE_AUTHENTICATION))
    flag = Flag("client-ca-file", "/etc/kubernetes/pki/ca.crt", ("authentication", "x509", "clientCAFile"),
                "/etc/kubernetes/pki/ca.crt")
    assert "KL404" not in codes_of(lint_view(node_view("cgroupDriver: systemd\n", [flag])))


# ---------------------------------------------------------------- KL405 read-only port


def test_read_only_port_open_is_a_warning_with_an_unsafe_fix() -> None:
    found = find(lint_config("readOnlyPort: 10255\n"), "KL405")
    assert found.severity is Severity.WARNING
    assert position(found) == (CONFIG_PATH, 3, 15)
    assert "10255" in found.message and f"set readOnlyPort: 0 in {CONFIG_PATH}" in found.message
    assert found.fix is not None and found.fix.applicability is Applicability.UNSAFE
    assert found.fix.edits == (YamlEdit(CONFIG_PATH, 0, ("readOnlyPort",), "set", 0),)


def test_read_only_port_closed_or_defaulted_in_a_config_file_passes() -> None:
    assert "KL405" not in codes_of(lint_config("readOnlyPort: 0\n"))
    assert "KL405" not in codes_of(lint_config("cgroupDriver: systemd\n"))


def test_read_only_port_flag_is_reported_at_the_flag_without_fix() -> None:
    flag = Flag("read-only-port", "10255", ("readOnlyPort",), 10255)
    found = find(lint_view(node_view("readOnlyPort: 0\n", [flag])), "KL405")
    assert position(found) == (FLAGS_ENV, 1, flag_span(flags_line([flag]), flag).column)
    assert found.fix is None


# ---------------------------------------------------------------- KL418 debugging handlers


def test_debugging_handlers_with_anonymous_auth_and_always_allow_are_an_error() -> None:
    found = find(lint_config("""
        authentication:
          anonymous:
            enabled: true
        authorization:
          mode: AlwaysAllow
    """), "KL418")
    assert found.severity is Severity.ERROR
    assert position(found) == (CONFIG_PATH, 5, 14)
    assert "enableDebuggingHandlers" in found.message and "AlwaysAllow" in found.message


def test_debugging_handlers_with_anonymous_auth_and_webhook_are_a_warning_at_the_explicit_handler() -> None:
    found = find(lint_config("""
        enableDebuggingHandlers: true
        authentication:
          anonymous:
            enabled: true
    """), "KL418")
    assert found.severity is Severity.WARNING
    assert position(found) == (CONFIG_PATH, 3, 26)
    assert [str(related.location) for related in found.related] == [f"{CONFIG_PATH}:6:14"]


def test_debugging_handlers_pass_without_anonymous_auth_or_when_all_are_off() -> None:
    assert "KL418" not in codes_of(lint_config("enableDebuggingHandlers: true\n"))
    all_off = lint_config("""
        enableDebuggingHandlers: false
        enableProfilingHandler: false
        enableDebugFlagsHandler: false
        enableSystemLogHandler: false
        authentication:
          anonymous:
            enabled: true
    """)
    assert "KL418" not in codes_of(all_off)
    assert "KL401" in codes_of(all_off)


# ---------------------------------------------------------------- KL420 server disabled


def test_disabled_server_with_authentication_settings_is_info_with_related_settings() -> None:
    found = find(lint_config("""
        enableServer: false
        authentication:
          webhook:
            enabled: true
    """), "KL420")
    assert found.severity is Severity.INFO
    assert position(found) == (CONFIG_PATH, 3, 15)
    assert "authentication.webhook.enabled" in found.message
    assert f"set enableServer: true in {CONFIG_PATH}" in found.message
    assert [str(related.location) for related in found.related] == [f"{CONFIG_PATH}:6:14"]


def test_disabled_server_alone_or_enabled_server_passes() -> None:
    assert "KL420" not in codes_of(lint_config("enableServer: false\n"))
    assert "KL420" not in codes_of(lint_config("enableServer: true\nauthentication:\n  webhook:\n    enabled: true\n"))


# ---------------------------------------------------------------- fixes applied to a real file


def test_unsafe_fixes_close_anonymous_auth_always_allow_and_the_read_only_port() -> None:
    path = "kubelet-config-insecure.yaml"
    text = (EXAMPLES / "files" / path).read_text()
    before = lint_text(text, path, select=("KL4",))
    fixable = [d for d in before if d.fix is not None]
    assert sorted(d.code for d in fixable) == ["KL401", "KL402", "KL405"]
    edits = [edit for d in fixable if d.fix is not None for edit in d.fix.edits]
    fixed = apply_edits_to_text(text, edits)
    after = codes_of(lint_text(fixed, path, select=("KL4",)))
    assert not after & {"KL401", "KL402", "KL403", "KL405", "KL418"}
    assert "readOnlyPort: 0            # for the old Heapster scraper" in fixed
    assert "mode: Webhook" in fixed
