"""The hub over HTTPS (--certfile/--keyfile) with trustme certificates: the right CA works, a wrong
CA is refused, plain HTTP to it gets nowhere."""

from __future__ import annotations

import ssl

import httpx
import pytest

from hubproc import HubProcess, TlsFiles, dossier_code, intake_event, make_tls_files, sent_at


@pytest.fixture
def tls(tmp_path) -> TlsFiles:
    return make_tls_files(tmp_path / "tls")


def test_tls_right_ca_ok_wrong_ca_refused(tmp_path, tls: TlsFiles, hub_factory):
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    hub: HubProcess = hub_factory(url, certfile=tls.cert, keyfile=tls.key, ca_file=tls.ca)
    assert hub.url.startswith("https://")
    token = hub.add_counter()
    right = ssl.create_default_context(cafile=str(tls.ca))
    with httpx.Client(base_url=hub.url, verify=right, headers={"Authorization": f"Bearer {token}"}) as c:
        r = c.post("/v1/events", json={"sent_at": sent_at(), "events": [intake_event(dossier_code(1, 1))]})
        assert r.status_code == 200 and r.json()["results"][0]["result"] == "accepted"
    wrong = ssl.create_default_context(cafile=str(tls.other_ca))
    with httpx.Client(base_url=hub.url, verify=wrong) as c, pytest.raises(httpx.ConnectError) as e:
        c.get("/v1/health")
    assert "CERTIFICATE_VERIFY_FAILED" in str(e.value)
    with httpx.Client(base_url=hub.url) as c, pytest.raises(httpx.ConnectError):  # the system CAs
        c.get("/v1/health")
    with httpx.Client(base_url=hub.url.replace("https://", "http://")) as c, pytest.raises(httpx.HTTPError):
        c.get("/v1/health")
    with httpx.Client(base_url=hub.url, verify=right) as c:  # and it still serves
        assert c.get("/v1/health").json()["status"] == "ok"
