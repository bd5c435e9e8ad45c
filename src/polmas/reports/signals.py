"""Signals reports sends for rooms above it (analytics) to react to."""

from django.dispatch import Signal

# A batch of reports was routed (routing.route_batch), inside its transaction: `villages`,
# the village codes they came from, and `report_ids`. Their rows were written without the
# model's signals.
reports_routed = Signal()
