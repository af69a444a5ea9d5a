"""The one error type that ends a run with exit code 2 and a one-line message."""

from __future__ import annotations


class OpencommsError(Exception):
    """A usage, configuration or input error: shown as one line, exit code 2.

    ``where`` is a location prefix such as ``rules/x.yaml:12:3`` or a file path.
    """

    def __init__(self, message: str, where: str | None = None, keys: tuple = ()):
        super().__init__(message)
        self.message = message
        self.where = where
        self.keys = tuple(keys)  # for rule-file errors: the path of the field at fault

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return " ".join(text.split())  # always one line, whatever the input put into the message


class InputError(OpencommsError):
    """A document cannot be read."""


class ConfigError(OpencommsError):
    """A configuration file, rule file or lexicon is invalid."""
