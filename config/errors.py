"""Errors the domain raises when a rule refuses a change; pages show the message, the API answers 409."""


class RuleError(Exception):
    """A change is well-formed but a business rule forbids it (over capacity, a phase skipped...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LockConflictError(RuleError):
    """The database gave up a change that collided with another one at the same moment (a deadlock or
    a serialization failure), also on a second attempt. Nothing was saved; trying again will do."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message or "Someone else was changing the same records at the same moment; nothing was saved, try again."
        )
