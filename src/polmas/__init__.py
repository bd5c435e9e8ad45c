"""Polmas: community policing partnership platform."""
