"""The tool's version: a leaf, so any layer can name it in its outputs' provenance."""

__version__ = "0.1.0"
