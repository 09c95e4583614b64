"""`imhcard serve` as a command: its help, and a clear line when the web extra is missing."""

from __future__ import annotations

import sys

import pytest
from click.testing import CliRunner

from imhcard.cli import cli


def test_help_shows_the_start_commands() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "imhcard serve --theme themes/2027.yaml --host 0.0.0.0 --port 8080 --workers 4" \
        in result.output
    for option in ("--theme", "--host", "--port", "--workers", "--max-wait", "--queue",
                   "--timeout", "--upload-memory", "--max-connections", "--grace"):
        assert option in result.output


def test_without_the_web_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "h11", None)  # as if not installed
    for name in ("imhcard.web.app", "imhcard.web.server", "imhcard.web.protocol"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 2
    assert result.output.strip() == ('imhcard: imhcard serve needs the web extra (h11 is '
                                     'missing); install it with: pip install "imhcard[web]"')


def test_a_bad_theme_is_one_line_before_anything_listens() -> None:
    result = CliRunner().invoke(cli, ["serve", "--theme", "no-such-year.yaml"])
    assert result.exit_code == 2
    assert result.output.strip() == "imhcard: no-such-year.yaml: no such theme file"
