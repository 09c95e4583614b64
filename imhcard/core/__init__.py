"""What a card says and where things go: the theme file, the supporter's details,
the formats and their layout boxes, and the validation behind them.

Imports nothing from the rest of imhcard except `errors` and `bundled`.
"""
