"""The documented deployment, end to end: docs/serve.md's nginx configuration, as it is
written there (only the certificate, the port and the app's address changed), in front of
a real `imhcard serve`, over HTTPS. Skipped where nginx or openssl is not installed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from webhelp import Server, free_port, phone_jpeg, running_server

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx")
                                  else None)
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(NGINX is None or shutil.which("openssl") is None,
                                 reason="nginx or openssl is not installed")]
AOIFE = {"name": "Aoife Ní Bhriain", "pledge": "speak-up"}


def documented_config() -> str:
    doc = (ROOT / "docs" / "serve.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", doc, re.S)
    assert len(blocks) == 1, "docs/serve.md should have one nginx configuration"
    return blocks[0]


def test_the_documented_config_has_what_a_deployment_needs() -> None:
    config = documented_config()
    for directive in ("proxy_http_version 1.1", "client_max_body_size", "client_body_timeout",
                      "client_header_timeout", "limit_req ", "limit_req_zone",
                      "proxy_request_buffering", "client_body_buffer_size"):
        assert directive in config, directive


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("app")) as s:
        yield s


@pytest.fixture(scope="module")
def nginx(app: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("nginx")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(root / "key.pem"),
                    "-out", str(root / "cert.pem")], check=True, capture_output=True)
    port = free_port()
    app_port = app.url.rsplit(":", 1)[1]
    site = documented_config()
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;")
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {root / 'cert.pem'};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {root / 'key.pem'};",
                  site)
    site = site.replace("127.0.0.1:8000", f"127.0.0.1:{app_port}")
    (root / "imhcard.conf").write_text(site, encoding="utf-8")
    temp = root / "temp"
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp / name).mkdir(parents=True)
    user = "user root root;\n" if os.geteuid() == 0 else ""
    (root / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {root / 'nginx.pid'};\n"
        f"error_log {root / 'error.log'} warn;\nevents {{ worker_connections 512; }}\n"
        "http {\n"
        f"    client_body_temp_path {temp / 'body'};\n    proxy_temp_path {temp / 'proxy'};\n"
        f"    fastcgi_temp_path {temp / 'fastcgi'};\n    uwsgi_temp_path {temp / 'uwsgi'};\n"
        f"    scgi_temp_path {temp / 'scgi'};\n"
        f"    include {root / 'imhcard.conf'};\n}}\n", encoding="utf-8")
    assert NGINX is not None
    check = subprocess.run([NGINX, "-t", "-p", str(root), "-c", str(root / "nginx.conf")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([NGINX, "-p", str(root), "-c", str(root / "nginx.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"https://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(url + "/healthz", verify=False, timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, (root / "error.log").read_text()
                time.sleep(0.2)
        yield url, temp
    finally:
        process.terminate()
        process.wait(10)


def test_a_card_with_a_phone_photo_through_nginx(nginx: tuple[str, Path]) -> None:
    url, temp = nginx
    with httpx.Client(base_url=url, verify=False, timeout=60) as client:
        r = client.post("/card", data=AOIFE,
                        files={"photo": ("me.jpg", phone_jpeg(), "image/jpeg")})
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "image/png"
        assert r.headers["content-security-policy"].startswith("default-src 'self'")
        assert r.headers.get_list("x-content-type-options") == ["nosniff"]
        assert "server" not in r.headers or "nginx/" not in r.headers["server"]
    # The upload was held in memory, never written to nginx's temporary folder.
    assert [p for p in temp.rglob("*") if p.is_file()] == []


def test_nginx_refuses_a_huge_body_with_the_header(nginx: tuple[str, Path]) -> None:
    url, _ = nginx
    r = httpx.post(url + "/card", content=b"x" * (20 * 1024 * 1024), verify=False, timeout=60,
                   headers={"content-type": "multipart/form-data; boundary=b"})
    assert r.status_code == 413
    assert r.headers["x-content-type-options"] == "nosniff"


def test_limit_req_holds_back_a_flood_but_not_pages(nginx: tuple[str, Path]) -> None:
    url, _ = nginx

    def post(_: int) -> int:
        return httpx.post(url + "/preview", data=AOIFE, verify=False, timeout=30).status_code

    with ThreadPoolExecutor(16) as pool:
        codes = list(pool.map(post, range(80)))
    assert set(codes) <= {200, 503} and codes.count(200) >= 40 and 503 in codes, codes
    assert httpx.get(url + "/", verify=False).status_code == 200  # pages are not limited
