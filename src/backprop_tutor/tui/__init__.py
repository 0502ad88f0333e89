"""The terminal user interface (Textual): a thin view over the session."""
