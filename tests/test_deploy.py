"""deploy/: the manifests are valid Kubernetes objects, locked down, and run a command kubelint accepts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from kubelint import __version__

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
MANIFESTS = ("daemonset.yaml", "job.yaml")
HOST_PATHS = {
    "/etc/kubernetes", "/var/lib/kubelet/config.yaml", "/var/lib/kubelet/kubeadm-flags.env",
    "/etc/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system", "/etc/default",
    "/etc/sysconfig", "/etc/containerd", "/etc/crio",
}
# validated against the oldest schema kubernetes-validate ships and a recent one
VERSIONS = ("1.25", "1.33")


def documents(name: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all((DEPLOY / name).read_text(encoding="utf-8")) if doc]


def workloads() -> list[tuple[str, dict[str, Any]]]:
    return [(name, doc) for name in MANIFESTS for doc in documents(name) if doc["kind"] in ("DaemonSet", "Job")]


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = workload["spec"]["template"]["spec"]
    return spec


@pytest.mark.parametrize("name", MANIFESTS)
def test_manifests_are_valid_objects(name: str) -> None:
    try:
        import kubernetes_validate
    except ImportError:
        kubernetes_validate = None
    for document in documents(name):
        # structural check, always: what kubectl would refuse outright
        assert isinstance(document.get("apiVersion"), str) and isinstance(document.get("kind"), str)
        assert re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", document["metadata"]["name"])
        if document["kind"] in ("DaemonSet", "Job"):
            spec = pod_spec(document)
            volumes = {volume["name"] for volume in spec["volumes"]}
            for container in spec["containers"]:
                assert {mount["name"] for mount in container["volumeMounts"]} <= volumes
        if document["kind"] == "DaemonSet":
            selector = document["spec"]["selector"]["matchLabels"]
            assert selector.items() <= document["spec"]["template"]["metadata"]["labels"].items()
        if kubernetes_validate is None:
            continue  # the structural check above is all there is without kubernetes-validate
        for version in VERSIONS:
            # strict: an unknown field (a typo) is an error, as `kubectl apply --validate=strict` says
            kubernetes_validate.validate(document, version, strict=True)


def test_kubernetes_validate_catches_a_typo() -> None:
    kubernetes_validate = pytest.importorskip("kubernetes_validate", reason="kubernetes-validate is not installed")
    _, workload = workloads()[0]
    broken = json.loads(json.dumps(workload))
    pod_spec(broken)["containers"][0]["securityContext"]["readOnlyRootFileSystem"] = True
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, VERSIONS[-1], strict=True)


@pytest.mark.parametrize(("name", "workload"), workloads(), ids=lambda value: value if isinstance(value, str) else "")
def test_security_settings(name: str, workload: dict[str, Any]) -> None:
    spec = pod_spec(workload)
    assert spec.get("hostNetwork", False) is False
    assert spec.get("hostPID", False) is False
    assert spec.get("hostIPC", False) is False
    assert spec.get("automountServiceAccountToken") is False
    pod_context = spec.get("securityContext", {})
    assert pod_context.get("runAsNonRoot") is True
    assert pod_context.get("runAsUser", 0) != 0
    volumes = {volume["name"]: volume for volume in spec["volumes"]}
    for container in spec.get("initContainers", []) + spec["containers"]:
        context = container["securityContext"]
        assert context.get("privileged", False) is False
        assert context["allowPrivilegeEscalation"] is False
        assert context["readOnlyRootFilesystem"] is True
        assert context.get("runAsNonRoot", pod_context.get("runAsNonRoot")) is True
        assert context["capabilities"]["drop"] == ["ALL"]
        assert not context["capabilities"].get("add")
        assert container["image"].endswith(f":{__version__}"), "image tag should be the released version"
        for mount in container["volumeMounts"]:
            volume = volumes[mount["name"]]
            if "emptyDir" in volume:
                # the one writable place (a memory-backed /tmp) for a read-only root filesystem
                assert volume["emptyDir"].get("sizeLimit")
                continue
            assert mount.get("readOnly") is True, f"{name}: {mount['mountPath']} is writable"
            assert "hostPath" in volume, f"{name}: unexpected volume {volume}"
            host = volume["hostPath"]["path"]
            assert mount["mountPath"] == "/host" + host, "host paths sit under /host as on the host"
        mounted = {volumes[m["name"]]["hostPath"]["path"] for m in container["volumeMounts"]
                   if "hostPath" in volumes[m["name"]]}
        assert mounted == HOST_PATHS
        # the kubelet's state directory holds every pod's secrets: only its config files
        assert "/var/lib/kubelet" not in mounted


def test_both_manifests_mount_the_same() -> None:
    (_, daemonset), (_, job) = workloads()
    assert pod_spec(daemonset)["volumes"] == pod_spec(job)["volumes"]
    assert pod_spec(daemonset)["containers"][0]["volumeMounts"] == pod_spec(job)["containers"][0]["volumeMounts"]
    assert pod_spec(daemonset)["securityContext"] == pod_spec(job)["securityContext"]


def test_dockerfile() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    stages = re.findall(r"^FROM\s+(\S+)", text, re.MULTILINE)
    assert stages and all(re.fullmatch(r"python:3\.\d+-slim(\S*)?( AS \w+)?", image) for image in stages)
    assert re.search(r"^RUN pip wheel --wheel-dir /wheels \.$", text, re.MULTILINE)  # pip install of this tree
    assert "PYTHONDONTWRITEBYTECODE=1" in text  # nothing written next to the code at run time
    users = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert users and users[-1].split(":")[0] not in ("0", "root")
    uid = users[-1].split(":")[0]
    workload_uids = {pod_spec(w)["securityContext"]["runAsUser"] for _, w in workloads()}
    assert workload_uids == {int(uid)}
    for copied in ("kubelint/", "rules/", "schemas/", "pyproject.toml"):
        assert re.search(rf"^COPY .*{re.escape(copied)}", text, re.MULTILINE), f"{copied} is not copied"


def _command_line(workload: dict[str, Any]) -> list[str]:
    container = pod_spec(workload)["containers"][0]
    if container.get("command", [])[:2] == ["/bin/sh", "-c"]:
        script = container["args"][0]
        return script.split(";")[0].split()
    return ["kubelint", *container["args"]]


@pytest.mark.parametrize(("name", "workload"), workloads(), ids=lambda value: value if isinstance(value, str) else "")
def test_the_container_command_runs(name: str, workload: dict[str, Any], tmp_path: Path) -> None:
    """The manifests' own command line, against a fake /host laid out like the mounts."""
    command = _command_line(workload)
    assert command[:4] == ["kubelint", "node", "--root", "/host"]
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1", "HOME": "/nonexistent"}
    has_node = subprocess.run([sys.executable, "-m", "kubelint.cli", "node", "--help"], env=env,
                              capture_output=True, text=True, timeout=60, check=False)
    if has_node.returncode != 0:
        pytest.skip("'kubelint node' is not there yet; the manifests' command cannot run")
    host = tmp_path / "host"
    (host / "var/lib/kubelet").mkdir(parents=True)
    (host / "var/lib/kubelet/config.yaml").write_text(
        "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\n",
        encoding="utf-8")
    (host / "var/lib/kubelet/kubeadm-flags.env").write_text(
        'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock"\n',
        encoding="utf-8")
    arguments = [str(host) if part == "/host" else part for part in command[1:]]
    done = subprocess.run([sys.executable, "-m", "kubelint.cli", *arguments], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    assert report["version"] == 1 and "diagnostics" in report
