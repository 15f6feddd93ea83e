"""cascada: planning and follow-up of a sector's strategic plan."""
