"""The one error the store raises: its message is meant for the supervisor's eyes."""


class StoreError(Exception):
    """The data file cannot be opened, read or written; the message names the file."""
