"""The measurement method of DESIGN §2–3, pure: no Django, no I/O.

Build a ``PlanSpec``, call ``compute_cut`` (``compute_cuts`` for several cuts), read a
``PlanResult``; format with ``display``.
"""

from cascada.engine.compute import compute_cut, compute_cuts
from cascada.engine.weights import WeightProblem, validate_weights

__all__ = ["WeightProblem", "compute_cut", "compute_cuts", "validate_weights"]
