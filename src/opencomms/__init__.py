"""opencomms: checks Dutch government texts against the cabinet's communication principles."""

__version__ = "0.1.0"
