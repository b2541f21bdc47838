"""motcua-desktop: the counter application of a one-stop reception desk (Bộ phận Một cửa)."""

__version__ = "0.1.0"
