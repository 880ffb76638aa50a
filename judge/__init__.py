"""A local AtCoder-style judge. Stands alone: imports nothing from `ale`."""

from judge.case import CaseResult
from judge.errors import ProblemError, WrongAnswer
from judge.problem import Problem, load_problem, parse_seeds
from judge.report import Report
from judge.runner import judge

__all__ = ["WrongAnswer", "ProblemError", "load_problem", "parse_seeds", "Problem", "judge", "Report", "CaseResult"]
