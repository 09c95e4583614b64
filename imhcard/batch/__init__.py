"""Staff batches: reading form exports, matching columns, making each row's cards in
worker processes, the resumable journal, the manifest, contact sheets and the zip.

May import `core`, `render` and `output`.
"""
