"""A local AtCoder-style judge. Stands alone: imports nothing from `ale`."""

from judge.errors import ProblemError, WrongAnswer
from judge.problem import Problem, load_problem, parse_seeds
from judge.run import CaseResult
from judge.judge import Report, judge  # noqa: E402  (rebinds the name `judge` to the function)

__all__ = ["WrongAnswer", "ProblemError", "load_problem", "parse_seeds", "Problem", "judge", "Report", "CaseResult"]
