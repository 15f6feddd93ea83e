"""Formal formulation changes: annual targets and weights per vigencia, with their act."""
