"""Review, data quality, cut states, publication, editions and their differences."""
