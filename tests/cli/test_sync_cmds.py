"""`motcua hub set|show`, `motcua sync`, `motcua outbox`, `motcua conflicts` as a clerk types them
(no hub running: what works offline, and the one-line failure when the hub is not there)."""

from __future__ import annotations

import socket

from motcua_desktop.services import setup

TOKEN = "k" * 43


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_offline_counter_hub_commands(run_cli, data_dir) -> None:
    setup.open_demo(data_dir).close()
    out = run_cli("hub", "show")
    assert out.returncode == 0 and "motcua hub set" in out.stdout
    out = run_cli("sync")
    assert out.returncode == 1 and "no hub" in out.stderr and "Traceback" not in out.stderr
    assert run_cli("hub", "set", "ftp://x", "--token", TOKEN).returncode == 2
    port = free_port()  # nothing listens there
    out = run_cli("hub", "set", f"http://127.0.0.1:{port}", "--token", TOKEN)
    assert out.returncode == 0, out.stderr
    shown = run_cli("hub", "show", "--json").json()
    assert shown["url"] == f"http://127.0.0.1:{port}" and TOKEN not in str(shown) and shown["token"].endswith("kkkk")
    # receiving needs no network
    received = run_cli("receive", "--procedure", "HT-04", "--name", "Trần Văn Bình", "--id-number", "001088012345",
                       "--json")
    assert received.returncode == 0, received.stderr
    code = received.json()["code"]
    box = run_cli("outbox", "--json").json()
    assert [(x["dossier_code"], x["type"], x["state"]) for x in box] == [(code, "intake", "waiting")]
    out = run_cli("sync")
    assert out.returncode == 1 and out.stderr.count("\n") == 1 and "hub unreachable" in out.stderr
    assert "Traceback" not in out.stderr
    assert run_cli("outbox", "--json").json()[0]["attempts"] == 1
    assert run_cli("conflicts", "--json").json() == []
    out = run_cli("outbox", "retry", box[0]["event_id"])
    assert out.returncode == 2 and "not rejected" in out.stderr
    assert run_cli("outbox", "retry").returncode == 2
    assert "0 " in run_cli("outbox", "retry", "--all").stdout
    assert "1 sự kiện chưa lên hub" in run_cli("outbox").stdout


def test_a_token_starting_with_a_dash(run_cli, data_dir) -> None:
    setup.open_demo(data_dir).close()
    out = run_cli("hub", "set", "http://127.0.0.1:8765", "--token=-abc_DEF-123-xyz")
    assert out.returncode == 0, out.stderr
    assert run_cli("hub", "show", "--json").json()["token"] == "…-xyz"


def test_outbox_export_writes_the_ledger_and_refuses_to_overwrite(run_cli, data_dir, tmp_path) -> None:
    setup.open_demo(data_dir).close()
    received = run_cli("receive", "--procedure", "HT-04", "--name", "Trần Văn Bình", "--id-number", "001088012345",
                       "--json")
    code = received.json()["code"]
    target = tmp_path / "dong-bo.csv"
    out = run_cli("outbox", "--export", str(target))
    assert out.returncode == 0, out.stderr
    text = target.read_text(encoding="utf-8-sig")
    assert code in text and "chờ gửi" in text and "Trần Văn Bình" not in text and "001088012345" not in text
    out = run_cli("outbox", "--export", str(target))
    assert out.returncode == 2 and "--force" in out.stderr and "Traceback" not in out.stderr
    assert run_cli("outbox", "--export", str(target), "--force").returncode == 0
    out = run_cli("outbox", "--export", str(tmp_path / "x.txt"))
    assert out.returncode == 2 and ".csv or .xlsx" in out.stderr
