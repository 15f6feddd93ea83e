"""Entities report their indicators for a cut: to-do list, form with live preview, bulk entry."""
