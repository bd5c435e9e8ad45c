"""Signals reports sends for rooms above it (analytics) to react to."""

from django.dispatch import Signal

# A batch of reports was routed (routing.route_batch), inside its transaction: `villages`,
# the village codes they came from, and `report_ids`. Their rows were written without the
# model's signals.
reports_routed = Signal()

# A reporter reopened a resolved or closed report (feedback.report_feedback_give), after
# commit: `report_id`. Notifications may tell its officer.
report_reopened = Signal()
