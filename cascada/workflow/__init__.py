"""The internal pages of the follow-up cycle (DESIGN §5), under ``/gestion/``: entities report,
the planning office reviews, publishes and corrects, formulation changes are recorded formally,
and the audit log is searched. Views are thin: access is ``accounts.policy``, actions are the
services of ``cascada.tracking`` (one transaction, one audit row each)."""
