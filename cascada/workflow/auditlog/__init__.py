"""The audit log: search and export."""
