"""ml_learning_weekly: a machine-learning curriculum that runs.

Every topic of the plan is a lesson that explains the idea, implements it from scratch, shows it on
real data and proves it right against the library used in production (see :mod:`mlweekly.parity`).
"""

__version__ = "0.1.0"
