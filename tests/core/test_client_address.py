"""The client key for rate limits, blocks and the login lockout: one rule for every door (core.http)."""

from django.test import RequestFactory

from polmas.core.http import client_address


def request(forwarded: str = ""):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().post("/lapor/", REMOTE_ADDR="10.0.0.5", **extra)


def test_a_forwarded_header_is_ignored_by_default(settings):
    settings.SECURE_PROXY_SSL_HEADER = None

    assert client_address(request("203.0.113.9")) == "10.0.0.5"


def test_behind_our_proxy_the_address_it_added_counts(settings):
    settings.POLMAS_BEHIND_PROXY = True

    assert client_address(request("198.51.100.1, 203.0.113.9")) == "203.0.113.9"
    assert client_address(request("203.0.113.9, nonsense")) == "10.0.0.5"
    assert client_address(request()) == "10.0.0.5"


def test_the_forwarded_address_is_ignored_unless_we_are_behind_our_proxy(settings):
    settings.POLMAS_BEHIND_PROXY = False
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    assert client_address(request("2001:db8::1")) == "10.0.0.5"
