"""Kubeconfig test material: realistic kubeconfigs as kubeadm and kubectl write them.

The certificates and the key are throwaway test material made with openssl
for these tests (an ECDSA P-256 cluster CA ``CN=kubernetes`` and a node
client certificate ``system:node:worker-1`` signed by it), base64-encoded as
``--embed-certs`` writes them. Imported by the other ``test_kubeconfig_*``
modules; this module holds no tests.
"""

from __future__ import annotations

import base64

CA_DATA = (
    "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJnRENDQVNXZ0F3SUJBZ0lVTktIenZ1VGR6czUrUjFQZDczdWQ5WHhaeC9R"
    "d0NnWUlLb1pJemowRUF3SXcKRlRFVE1CRUdBMVVFQXd3S2EzVmlaWEp1WlhSbGN6QWVGdzB5TmpFeE1qY3dOVEk1TWpWYUZ3MHpO"
    "akV4TWpRdwpOVEk1TWpWYU1CVXhFekFSQmdOVkJBTU1DbXQxWW1WeWJtVjBaWE13V1RBVEJnY3Foa2pPUFFJQkJnZ3Foa2pPClBR"
    "TUJCd05DQUFUVWlRMlJZTGJUVWxqL3ZCYWN2REZ1bUZhVmUzK2tEdmNqSHpBaHNsbXlNUTl4czBRWEFWYjQKajNoRkdaODNUUnpk"
    "UU9vcmllUGtzM0dPc2d1Vll1RDRvMU13VVRBZEJnTlZIUTRFRmdRVXJFNURPMUQ1ekNTdAptekZULzBkRnV0dENpb1l3SHdZRFZS"
    "MGpCQmd3Rm9BVXJFNURPMUQ1ekNTdG16RlQvMGRGdXR0Q2lvWXdEd1lEClZSMFRBUUgvQkFVd0F3RUIvekFLQmdncWhrak9QUVFE"
    "QWdOSkFEQkdBaUVBdEFZSnBUeTBiM0xUczRnd0ZjWGoKZnVoRjVNSWZURFlBOE1vV0RQWUg5V0lDSVFDMHNFRzdWWHdjSnlqaGw4"
    "YWQvSGQ3OWFFb3FJUnhaQTVGTkdFUwpTaHRCUFE9PQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg=="
)
CLIENT_CERT_DATA = (
    "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJSVENCN0FJVVdCZklNSWJvb1NFYlVOUnAxdm1SdTJFQWc4Z3dDZ1lJS29a"
    "SXpqMEVBd0l3RlRFVE1CRUcKQTFVRUF3d0thM1ZpWlhKdVpYUmxjekFlRncweU5qRXhNamN3TlRJNU1qVmFGdzB5TnpFeE1qY3dO"
    "VEk1TWpWYQpNRFl4RlRBVEJnTlZCQW9NREhONWMzUmxiVHB1YjJSbGN6RWRNQnNHQTFVRUF3d1VjM2x6ZEdWdE9tNXZaR1U2CmQy"
    "OXlhMlZ5TFRFd1dUQVRCZ2NxaGtqT1BRSUJCZ2dxaGtqT1BRTUJCd05DQUFSV2JHeGdvcXh0bjVEYjVkcHMKVFhzYndSY0FWeW45"
    "V05uQVRmQ1J1Vm5ocy9FUVU2aVJOaWdUQmNqdk9MS1lnbHd3TFhGTDM3SnBZQmRJWWVCbgpRTkJ4TUFvR0NDcUdTTTQ5QkFNQ0Ew"
    "Z0FNRVVDSUhpOWx3c1hkeWtaQlJhM2pacEFxUENrbklpQTdLc2VqVDVNCjNhK1lMamFXQWlFQWlwZ1ArZ2l6SXM3RUE3N2p0WWVm"
    "Ui8xTjJ5SXBwMmZmOUU3eDRKTDlOaVE9Ci0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K"
)
CLIENT_KEY_DATA = (
    "LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVFSUlGUjJxT28zUWJMUEJONEJYVkZHRXF0QzFiUW8yQUkzVnhv"
    "WDRTL2JZcFpvQW9HQ0NxR1NNNDkKQXdFSG9VUURRZ0FFVm14c1lLS3NiWitRMitYYWJFMTdHOEVYQUZjcC9Walp3RTN3a2JsWjRi"
    "UHhFRk9va1RZbwpFd1hJN3ppeW1JSmNNQzF4UzkreWFXQVhTR0hnWjBEUWNRPT0KLS0tLS1FTkQgRUMgUFJJVkFURSBLRVktLS0t"
    "LQo="
)

CA_PEM = base64.b64decode(CA_DATA)
CLIENT_KEY_PEM = base64.b64decode(CLIENT_KEY_DATA)
BOOTSTRAP_TOKEN = "07401b.f395accd246ae52d"
STATIC_TOKEN = "c47ffb939f5ca36231d9e3121a252940"

# /etc/kubernetes/kubelet.conf as kubeadm join writes it (line numbers matter to the tests)
KUBEADM_KUBELET_CONF = f"""\
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: {CA_DATA}
    server: https://10.0.0.10:6443
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: system:node:worker-1
  name: system:node:worker-1@kubernetes
current-context: system:node:worker-1@kubernetes
kind: Config
preferences: {{}}
users:
- name: system:node:worker-1
  user:
    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem
    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem
"""

# /etc/kubernetes/bootstrap-kubelet.conf as kubeadm join writes it
KUBEADM_BOOTSTRAP_CONF = f"""\
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: {CA_DATA}
    server: https://10.0.0.10:6443
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: tls-bootstrap-token-user
  name: tls-bootstrap-token-user@kubernetes
current-context: tls-bootstrap-token-user@kubernetes
kind: Config
preferences: {{}}
users:
- name: tls-bootstrap-token-user
  user:
    token: {BOOTSTRAP_TOKEN}
"""

# /opt/kubernetes/cfg/bootstrap.kubeconfig of a binary install, made with
#   kubectl config set-cluster kubernetes --certificate-authority=ca.pem --embed-certs=true \\
#       --server=https://192.168.31.71:6443 --kubeconfig=bootstrap.kubeconfig
#   kubectl config set-credentials kubelet-bootstrap --token=<token.csv entry> --kubeconfig=...
#   kubectl config set-context default --cluster=kubernetes --user=kubelet-bootstrap --kubeconfig=...
#   kubectl config use-context default --kubeconfig=bootstrap.kubeconfig
BINARY_BOOTSTRAP_KUBECONFIG = f"""\
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: {CA_DATA}
    server: https://192.168.31.71:6443
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: kubelet-bootstrap
  name: default
current-context: default
kind: Config
preferences: {{}}
users:
- name: kubelet-bootstrap
  user:
    token: {STATIC_TOKEN}
"""
