"""Cards to files: atomic writes, file names, one supporter's cards, theme samples.

May import `core` and `render`.
"""
