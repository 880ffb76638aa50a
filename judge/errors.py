"""Exceptions shared by problem packages and the judge."""


class WrongAnswer(Exception):
    """Raised by a scorer or interactor when the solution's output breaks a rule.

    The message is shown to the user as the case's WA reason, so it should say
    where and why ("line 3: city 17 visited twice").
    """


class ProblemError(Exception):
    """A problem package (or a judge configuration) is invalid.

    The message is one line naming the file, the field and the fix.
    """


class ClusterError(Exception):
    """Judging on a Ray cluster cannot start: `code` is 2 for a usage error (no ray, a malformed
    address), 3 for a cluster that cannot be reached or used. The message is one line with the fix."""

    def __init__(self, message: str, code: int = 3):
        super().__init__(message)
        self.code = code
