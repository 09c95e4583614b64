"""Pixels: fonts and text fitting, right-to-left ordering, the QR code, the photo,
composing a card, and encoding it to PNG, JPEG, WebP or PDF bytes.

Pure data in, image or bytes out; never touches the file system except to read
bundled fonts and the theme's artwork. May import `core`.
"""
