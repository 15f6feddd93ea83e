"""A vectorized (polars) path for computing a whole cut, verified against the pure engine;
and an independent DuckDB SQL computation of the same method, for comparison."""
