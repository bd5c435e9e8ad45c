"""Open311 GeoReport v2: the standard civic-reporting API for third-party clients.

Public reads (services, requests) need no key; posting a request needs an Open311 API key.
What is published: no reporter identity, locations blurred to the village's centre, no
sensitive category's requests at all, no spam, no text hidden by moderation.
"""
