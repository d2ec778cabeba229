"""The one error of every reader."""

from __future__ import annotations


class ReadError(Exception):
    """A file that cannot be read as a report; the message says why."""
