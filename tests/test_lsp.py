"""``kubelint lsp`` end to end: a real server process, spoken to over stdio JSON-RPC."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest

pytest.importorskip("pygls", reason="the language server needs pygls (kubelint[lsp])")

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 30.0

BAD = """\
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
maxPod: 250
imageGCHighThresholdPercent: 80
"""


class Client:
    """Just enough of an LSP client: Content-Length framing, requests, notifications."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.next_id = 0
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.backlog: list[dict[str, Any]] = []
        assert process.stdout is not None
        self.reader = threading.Thread(target=self._read, args=(process.stdout,), daemon=True)
        self.reader.start()

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            headers: dict[str, str] = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def send(self, payload: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **payload}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def wait_for(self, match: Callable[[dict[str, Any]], bool], timeout: float = TIMEOUT) -> dict[str, Any]:
        for index, message in enumerate(self.backlog):
            if match(message):
                return self.backlog.pop(index)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no matching message within {timeout}s; saw {self.backlog}")
            try:
                message = self.messages.get(timeout=remaining)
            except queue.Empty:
                continue
            if message.get("method") == "workspace/configuration" and "id" in message:
                self.send({"id": message["id"], "result": [None]})
                continue
            if match(message):
                return message
            self.backlog.append(message)

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        number = self.next_id
        self.send({"id": number, "method": method, "params": params})
        reply = self.wait_for(lambda m: m.get("id") == number and "method" not in m)
        assert "error" not in reply, reply
        return reply.get("result")

    def diagnostics(self, uri: str, timeout: float = TIMEOUT) -> dict[str, Any]:
        message = self.wait_for(
            lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri, timeout)
        params: dict[str, Any] = message["params"]
        return params


def start(tmp_path: Path, options: dict[str, Any] | None = None,
          env: dict[str, str] | None = None) -> tuple[Client, dict[str, Any]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "kubelint.cli", "lsp"], cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    client = Client(process)
    result = client.request("initialize", {
        "processId": os.getpid(),
        "rootUri": tmp_path.as_uri(),
        "capabilities": {"general": {"positionEncodings": ["utf-16"]},
                         "textDocument": {"publishDiagnostics": {"relatedInformation": True}}},
        "initializationOptions": options or {},
    })
    client.notify("initialized", {})
    return client, result


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Client, Path]]:
    client, result = start(tmp_path)
    capabilities = result["capabilities"]
    assert capabilities["hoverProvider"]
    assert capabilities["codeActionProvider"]
    yield client, tmp_path
    stop(client)


def stop(client: Client) -> None:
    try:
        if client.process.poll() is None:
            client.request("shutdown", None)
            client.notify("exit", None)
            assert client.process.wait(timeout=10) == 0
    finally:
        if client.process.poll() is None:
            client.process.kill()
            client.process.wait()
        for stream in (client.process.stdin, client.process.stdout, client.process.stderr):
            if stream is not None:
                stream.close()


def open_document(client: Client, uri: str, text: str, version: int = 1, language: str = "yaml") -> None:
    client.notify("textDocument/didOpen",
                  {"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}})


def by_code(diagnostics: list[dict[str, Any]], code: str) -> dict[str, Any]:
    found = [d for d in diagnostics if d["code"] == code]
    assert len(found) == 1, diagnostics
    return found[0]


def test_diagnostics_code_actions_hover_and_shutdown(server: tuple[Client, Path]) -> None:
    client, root = server
    uri = (root / "kubelet" / "config.yaml").as_uri()
    open_document(client, uri, BAD)
    published = client.diagnostics(uri)
    assert published["version"] == 1
    diagnostics = published["diagnostics"]
    unknown = by_code(diagnostics, "KL011")
    assert unknown["range"] == {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 6}}
    assert unknown["severity"] == 2 and unknown["source"] == "kubelint"
    assert unknown["codeDescription"]["href"].endswith("#kl011")
    assert unknown["data"]["fix"]["edits"][0]["new_key"] == "maxPods"
    gc = by_code(diagnostics, "KL101")
    assert gc["severity"] == 1 and gc["range"]["start"] == {"line": 3, "character": 29}

    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": unknown["range"], "context": {"diagnostics": [unknown]},
    })
    titles = [a["title"] for a in actions]
    assert "Disable KL011 for this line" in titles
    disable = next(a for a in actions if a["title"] == "Disable KL011 for this line")
    (edit,) = disable["edit"]["changes"][uri]
    assert edit == {"range": {"start": {"line": 2, "character": 11}, "end": {"line": 2, "character": 11}},
                    "newText": "  # kubelint: disable=KL011"}
    from kubelint.lsp import render_yaml_fix

    if render_yaml_fix("a: 1\n", []) is not None:  # the fixer is there: the rename is offered
        rename = next(a for a in actions if a["title"].startswith("KL011:"))
        (whole,) = rename["edit"]["changes"][uri]
        assert "maxPods: 250" in whole["newText"] and "maxPod:" not in whole["newText"]
        assert whole["range"]["start"] == {"line": 0, "character": 0}

    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 3, "character": 5}})
    value = hover["contents"]["value"]
    assert value.startswith("**imageGCHighThresholdPercent**: integer (int32)")
    assert "Default (the kubelet's default for Kubernetes" in value and "`85`" in value
    assert hover["range"] == {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 27}}
    # not a known key: no hover
    assert client.request("textDocument/hover",
                          {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 2}}) is None


def test_disable_action_really_suppresses(server: tuple[Client, Path]) -> None:
    client, root = server
    uri = (root / "config.yaml").as_uri()
    open_document(client, uri, BAD)
    unknown = by_code(client.diagnostics(uri)["diagnostics"], "KL011")
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": unknown["range"], "context": {"diagnostics": [unknown]}})
    (edit,) = next(a for a in actions if a["title"] == "Disable KL011 for this line")["edit"]["changes"][uri]
    lines = BAD.splitlines(keepends=True)
    line = lines[edit["range"]["start"]["line"]]
    at = edit["range"]["start"]["character"]
    lines[edit["range"]["start"]["line"]] = line[:at] + edit["newText"] + line[at:]
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": "".join(lines)}]})
    published = client.diagnostics(uri)
    assert published["version"] == 2
    assert [d["code"] for d in published["diagnostics"] if d["code"] == "KL011"] == []
    assert any(d["code"] == "KL101" for d in published["diagnostics"])


def test_changes_are_debounced(server: tuple[Client, Path]) -> None:
    client, root = server
    uri = (root / "config.yaml").as_uri()
    open_document(client, uri, BAD)
    client.diagnostics(uri)
    started = time.monotonic()
    for version in range(2, 7):
        text = BAD.replace("maxPod:", "maxPod" + "x" * version + ":")
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                 "contentChanges": [{"text": text}]})
        time.sleep(0.05)
    published = client.diagnostics(uri)
    # one lint, for the last version, no sooner than the debounce delay
    assert published["version"] == 6
    assert time.monotonic() - started >= 0.3
    assert "maxPodxxxxxx" in by_code(published["diagnostics"], "KL011")["message"]
    with pytest.raises(AssertionError):
        client.diagnostics(uri, timeout=1.0)


def test_settings_select_and_configuration_change(tmp_path: Path) -> None:
    client, _ = start(tmp_path, {"select": ["KL1"]})
    try:
        uri = (tmp_path / "config.yaml").as_uri()
        open_document(client, uri, BAD)
        assert {d["code"] for d in client.diagnostics(uri)["diagnostics"]} == {"KL101"}
        client.notify("workspace/didChangeConfiguration", {"settings": {"kubelint": {"ignore": ["KL101"], "select": ["KL0", "KL1"]}}})
        assert {d["code"] for d in client.diagnostics(uri)["diagnostics"]} == {"KL011"}
    finally:
        stop(client)


def test_settings_file_from_config_path(tmp_path: Path) -> None:
    (tmp_path / "lint-settings.yaml").write_text("select: [KL0]\n", encoding="utf-8")
    client, _ = start(tmp_path, {"configPath": "lint-settings.yaml"})
    try:
        uri = (tmp_path / "config.yaml").as_uri()
        open_document(client, uri, BAD)
        assert {d["code"] for d in client.diagnostics(uri)["diagnostics"]} == {"KL011"}
    finally:
        stop(client)


def test_unknown_documents_get_no_diagnostics_and_close_clears(server: tuple[Client, Path]) -> None:
    client, root = server
    uri = (root / "deployment.yaml").as_uri()
    open_document(client, uri, "apiVersion: apps/v1\nkind: Deployment\n")
    assert client.diagnostics(uri)["diagnostics"] == []
    config = (root / "config.yaml").as_uri()
    open_document(client, config, BAD)
    assert client.diagnostics(config)["diagnostics"]
    client.notify("textDocument/didClose", {"textDocument": {"uri": config}})
    assert client.diagnostics(config)["diagnostics"] == []


def test_env_file_disable_goes_on_its_own_line(server: tuple[Client, Path]) -> None:
    client, root = server
    uri = (root / "etc" / "default" / "kubelet").as_uri()
    text = 'KUBELET_EXTRA_ARGS="--pod-infra-container-image=registry.k8s.io/pause:3.9"\n'
    open_document(client, uri, text, language="properties")
    diagnostics = client.diagnostics(uri)["diagnostics"]
    if not diagnostics:
        pytest.skip("no env-file rule fires on a removed flag yet")
    first = diagnostics[0]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": first["range"], "context": {"diagnostics": [first]}})
    disable = next(a for a in actions if a["title"] == f"Disable {first['code']} for this line")
    (edit,) = disable["edit"]["changes"][uri]
    # systemd reads '#' after a value as part of the value: the marker goes above
    assert edit["range"]["start"]["character"] == 0
    assert edit["newText"] == f"# kubelint: disable={first['code']}\n"


def test_without_pygls_the_command_says_how_to_install(tmp_path: Path) -> None:
    # a sitecustomize that hides pygls, as on an install without the [lsp] extra
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text(
        "import sys\n"
        "class _Hide:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('pygls', 'lsprotocol'):\n"
        "            raise ModuleNotFoundError(name)\n"
        "        return None\n"
        "sys.meta_path.insert(0, _Hide())\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "kubelint.cli", "lsp"], cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": f"{hide}{os.pathsep}{REPO}"},
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 2
    assert "install kubelint[lsp]" in done.stderr


def test_hover_on_a_kubeconfig_key(server: tuple[Client, Path]) -> None:
    client, root = server
    uri = (root / "kubelet.conf").as_uri()
    text = ("apiVersion: v1\nkind: Config\nclusters:\n- name: k\n  cluster:\n"
            "    insecure-skip-tls-verify: true\n    server: https://10.0.0.1:6443\n")
    open_document(client, uri, text)
    client.diagnostics(uri)
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 5, "character": 8}})
    value = hover["contents"]["value"]
    assert value.startswith("**clusters[0].cluster.insecure-skip-tls-verify**: boolean")
    assert "Unsafe" in value


def _document(text: str) -> Any:
    from pygls.workspace import TextDocument

    return TextDocument("file:///node/x", text)


def _diagnostic(line: int, code: str = "KL201") -> Any:
    from kubelint.diagnostics import Diagnostic, Location, Severity, Span

    return Diagnostic(Location("x", Span(line, 1, line, 5)), code, "some-rule", Severity.WARNING, "m")


def test_disable_comment_placement_by_file_kind() -> None:
    from kubelint.discover import FileKind
    from kubelint.lsp import disable_action

    unit = _document("[Service]\n  ExecStart=/usr/bin/kubelet --foo\n")
    action = disable_action(unit, FileKind.SYSTEMD_UNIT, _diagnostic(2), None, "utf-16")
    assert action is not None and action.edit is not None and action.edit.changes is not None
    (edit,) = action.edit.changes["file:///node/x"]
    assert (edit.range.start.line, edit.range.start.character) == (1, 0)
    assert edit.new_text == "  # kubelint: disable=KL201\n"

    toml = _document('[plugins."io.containerd.grpc.v1.cri"]\nsandbox_image = "pause:3.6"\n')
    action = disable_action(toml, FileKind.CONTAINERD, _diagnostic(2), None, "utf-16")
    assert action is not None and action.edit is not None and action.edit.changes is not None
    (edit,) = action.edit.changes["file:///node/x"]
    assert (edit.range.start.line, edit.range.start.character) == (1, 27)  # end of the line

    # JSON has no comments: no action rather than a broken file
    assert disable_action(_document('{"exec-opts": []}\n'), FileKind.DOCKER, _diagnostic(1), None, "utf-16") is None

    # an existing marker is extended, a code already there is not offered again
    yaml_doc = _document("maxPod: 1  # kubelint: disable=KL010\n")
    action = disable_action(yaml_doc, FileKind.KUBELET_CONFIG, _diagnostic(1, "KL011"), None, "utf-16")
    assert action is not None and action.edit is not None and action.edit.changes is not None
    (edit,) = action.edit.changes["file:///node/x"]
    assert (edit.range.start.character, edit.new_text) == (36, ",KL011")
    assert disable_action(yaml_doc, FileKind.KUBELET_CONFIG, _diagnostic(1, "KL010"), None, "utf-16") is None


def test_kubernetes_version_setting_reaches_hover(tmp_path: Path) -> None:
    client, _ = start(tmp_path, {"kubelint": {"kubernetesVersion": "1.34"}})
    try:
        uri = (tmp_path / "config.yaml").as_uri()
        open_document(client, uri, BAD + "failCgroupV1: true\n")
        client.diagnostics(uri)
        hover = client.request("textDocument/hover",
                               {"textDocument": {"uri": uri}, "position": {"line": 4, "character": 3}})
        # failCgroupV1 defaults to true only from 1.35 on
        assert "Kubernetes 1.34): `false`" in hover["contents"]["value"]
    finally:
        stop(client)
