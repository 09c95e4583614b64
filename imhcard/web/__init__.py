"""The supporters' page: `imhcard serve` (needs the web extra: pip install ".[web]")."""
