"""SMS and WhatsApp intake: provider webhooks, their signatures, and the short dialogue that
turns a few text messages into a report."""
