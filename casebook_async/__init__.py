"""casebook-async: the async-first client for the Casebook API."""

__version__ = "0.1.0"
