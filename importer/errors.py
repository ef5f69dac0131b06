"""The one error of the importer: a file it cannot turn into a draft (message in Vietnamese)."""


class ImportRefused(ValueError):
    """The document cannot be imported; ``str(exc)`` is one Vietnamese line saying what and where."""
