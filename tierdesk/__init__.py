"""tierdesk: territory planning on your own machine, from your own Excel files."""

__version__ = "0.1.0"
