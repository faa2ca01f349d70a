"""One module per funding mechanism; each takes the variant context and a mechanism."""
