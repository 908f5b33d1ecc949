"""Storage errors with messages an operator can act on."""


class StorageError(Exception):
    """The database cannot be opened or migrated; the message says why and what to do."""
