"""Class 8: `imhcard serve` on the open internet. A real server at its defaults, with a
stock login's open-file limit (`ulimit -n 1024`), attacked from this process by each
class of bench/serve_attack.py (smaller and shorter than the benchmark), while a
normal visitor keeps making cards: every attack is handled with the visitor's cards
answered within ~3 s, and no process but the server ever holds the listening socket.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))
import serve_attack as attack  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[attack.Target]:
    attack._raise_own_fd_limit()
    server = attack.Target.start(folder=tmp_path_factory.mktemp("attacked"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def photo() -> bytes:
    return attack.phone_jpeg()


def only_its_own_socket(pid: int, listening: int | None) -> None:
    """A render process (or their parent) holds stdio and one socket to the server."""
    held = attack.fd_targets(pid)
    sockets = [t for t in held if t.startswith("socket:")]
    assert len(sockets) == 1, held
    assert f"socket:[{listening}]" not in held
    assert not [t for t in held if t.startswith(("pipe:", "anon_inode:"))], held


def test_render_processes_hold_nothing_of_the_server(target: attack.Target) -> None:
    import http.client

    listening = target.listening_inode()
    assert listening is not None and attack.holders(listening) == [target.pid]
    # Visitors connected and mid-request while workers are started and restarted.
    open_conns = [http.client.HTTPConnection("127.0.0.1", target.port) for _ in range(3)]
    for conn in open_conns:
        conn.connect()
        conn.sock.sendall(b"POST /card HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\n"
                          b"part of someone's form")
    try:
        assert attack.card(target.port)[0] == 200
        processes = [p for p in target.tree() if p != target.pid]
        assert len(processes) == 3  # the clean parent and two workers (one per CPU)
        for pid in processes:
            only_its_own_socket(pid, listening)
        victim = target.workers()[0]
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while victim in target.workers() or len(target.workers()) < 2:
            assert time.monotonic() < deadline, "the killed worker was not replaced"
            attack.card(target.port)
            time.sleep(0.1)
        for pid in target.workers():
            only_its_own_socket(pid, listening)
        assert attack.holders(listening) == [target.pid]
    finally:
        for conn in open_conns:
            conn.close()
    assert "was killed by SIGKILL; a fresh one replaces it" in target.log_text()


@pytest.mark.parametrize(("name", "seconds", "options"), [
    ("hostile-photos", 6, {}),
    ("slowloris", 7, {"connections": 1100}),
    ("trickle", 6, {"connections": 200}),
    ("stalled-uploads", 7, {}),
    ("burst", 0, {}),
    ("flood", 3, {"clients": 32}),
    ("small-ones", 0, {}),
])
def test_attack_is_handled(target: attack.Target, photo: bytes, name: str, seconds: float,
                           options: dict[str, int]) -> None:
    detail, seen, resources = attack.run_attack(target, name, seconds, photo, **options)
    print(f"{name}: {detail}\n  {seen.line()}\n  {resources}")
    assert seen.ok, (detail, seen.line())
    assert target.socket_holders() == [target.pid]
    assert target.fds() < 1024
    assert "UNEXPECTED" not in detail and "NO NOSNIFF" not in detail, detail
    if name == "burst":
        assert "503" not in detail, detail
    if name == "flood":  # cards or 503 with Retry-After, and nothing else
        assert set(re.findall(r"(\w+) ×\d+", detail.split(";")[0])) <= {"200", "503"}, detail
        assert "'none'" not in detail, detail
    if name == "stalled-uploads":
        grown = float(resources.split("the web process alone +")[1].split(" MB")[0])
        assert grown <= 300, resources
    if name == "small-ones":
        assert "300-character boundary: 400" in detail and "escaped" in detail, detail


def test_kill_9_of_the_server_frees_the_port_and_ends_its_workers(
        tmp_path: Path) -> None:
    server = attack.Target.start(folder=tmp_path)
    try:
        assert attack.card(server.port)[0] == 200
        result = attack.kill_server(server)
    finally:
        server.stop()
    assert "port free at once" in result and "all gone" in result, result


def test_nothing_written_and_nothing_personal_logged(target: attack.Target) -> None:
    assert list((target.folder / "cwd").iterdir()) == []
    assert list((target.folder / "tmp").iterdir()) == []
    log = target.log_text()
    assert "Aoife" not in log and "IMG_0001" not in log and "127.0.0.1" not in log.split(
        "\n", 1)[1]
