"""Deterministic synthetic plans at seed, district and national size (DESIGN §7)."""
