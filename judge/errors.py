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
