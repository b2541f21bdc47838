"""The hub over HTTPS (--certfile/--keyfile) with trustme certificates: the right CA works, a wrong
CA is refused, plain HTTP to it gets nowhere."""

from __future__ import annotations

import ssl

import httpx
import pytest
import trustme

from hubproc import HubProcess, dossier_code, intake_event, sent_at


@pytest.fixture
def tls_files(tmp_path):
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    cert.private_key_pem.write_to_path(str(tmp_path / "hub.key"))
    cert.cert_chain_pems[0].write_to_path(str(tmp_path / "hub.crt"))
    for extra in cert.cert_chain_pems[1:]:
        extra.write_to_path(str(tmp_path / "hub.crt"), append=True)
    trustme.CA().cert_pem.write_to_path(str(tmp_path / "other-ca.pem"))
    return tmp_path


def test_tls_right_ca_ok_wrong_ca_refused(tmp_path, tls_files, hub_factory):
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    hub: HubProcess = hub_factory(url, certfile=tls_files / "hub.crt", keyfile=tls_files / "hub.key",
                                  ca_file=tls_files / "ca.pem")
    assert hub.url.startswith("https://")
    token = hub.add_counter()
    right = ssl.create_default_context(cafile=str(tls_files / "ca.pem"))
    with httpx.Client(base_url=hub.url, verify=right, headers={"Authorization": f"Bearer {token}"}) as c:
        r = c.post("/v1/events", json={"sent_at": sent_at(), "events": [intake_event(dossier_code(1, 1))]})
        assert r.status_code == 200 and r.json()["results"][0]["result"] == "accepted"
    wrong = ssl.create_default_context(cafile=str(tls_files / "other-ca.pem"))
    with httpx.Client(base_url=hub.url, verify=wrong) as c, pytest.raises(httpx.ConnectError) as e:
        c.get("/v1/health")
    assert "CERTIFICATE_VERIFY_FAILED" in str(e.value)
    with httpx.Client(base_url=hub.url) as c, pytest.raises(httpx.ConnectError):  # the system CAs
        c.get("/v1/health")
    with httpx.Client(base_url=hub.url.replace("https://", "http://")) as c, pytest.raises(httpx.HTTPError):
        c.get("/v1/health")
    with httpx.Client(base_url=hub.url, verify=right) as c:  # and it still serves
        assert c.get("/v1/health").json()["status"] == "ok"
