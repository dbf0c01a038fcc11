"""Errors the domain raises when a rule refuses a change; pages show the message, the API answers 409."""


class RuleError(Exception):
    """A change is well-formed but a business rule forbids it (over capacity, a phase skipped...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
