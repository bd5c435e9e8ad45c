"""Signature checks against the providers' own published examples and independent HMACs."""

import hashlib
import hmac

from polmas.reports.channels.signatures import meta_signature, meta_valid, twilio_signature, twilio_valid

# The example request of Twilio's helper libraries (token "12345") and its signatures.
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = [("CallSid", ["CA1234567890ABCDE"]), ("Digits", ["1234"]), ("From", ["+14158675309"]),
          ("To", ["+18005551212"]), ("Caller", ["+14158675309"])]


def test_it_computes_twilios_published_signature():
    assert twilio_signature(URL, PARAMS, "12345") == "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_repeated_parameters_are_sorted_by_value_too():
    params = [("Sid", ["CA123"]), ("SidAccount", ["AC123"]), ("Digits", ["5678", "1234"])]
    assert twilio_signature(URL, params, "12345") == "IK+Dwps556ElfBT0I3Rgjkr1wJU="


def test_it_accepts_the_url_with_or_without_the_port_as_twilio_does():
    assert twilio_valid(url=URL.replace(".com", ".com:1234"), params=PARAMS,
                        signature="RSOYDt4T1cUTdK1PDd93/VVr8B8=", token="12345")
    assert twilio_valid(url=URL, params=PARAMS, signature="kvajT1Ptam85bY51eRf/AJRuM3w=", token="12345")
    assert twilio_valid(url=URL.replace("https", "http"), params=PARAMS,
                        signature="0ZXoZLH/DfblKGATFgpif+LLRf4=", token="12345")


def test_it_refuses_a_changed_url_parameter_or_token():
    good = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert not twilio_valid(url=URL.replace("foo=1", "foo=2"), params=PARAMS, signature=good, token="12345")
    assert not twilio_valid(url=URL.replace("https", "http"), params=PARAMS, signature=good, token="12345")
    assert not twilio_valid(url=URL, params=PARAMS[:-1], signature=good, token="12345")
    assert not twilio_valid(url=URL, params=PARAMS, signature=good, token="54321")
    assert not twilio_valid(url=URL, params=PARAMS, signature="", token="12345")
    assert not twilio_valid(url=URL, params=PARAMS, signature=good, token="")


def test_the_whatsapp_signature_is_the_hex_sha256_hmac_of_the_raw_body():
    body = b'{"object":"whatsapp_business_account","entry":[]}'
    expected = "sha256=" + hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()
    assert meta_signature(body, "app-secret") == expected
    assert meta_valid(body=body, signature=expected, secret="app-secret")
    assert not meta_valid(body=body + b" ", signature=expected, secret="app-secret")
    assert not meta_valid(body=body, signature=expected, secret="other-secret")
    assert not meta_valid(body=body, signature=expected.removeprefix("sha256="), secret="app-secret")
    assert not meta_valid(body=body, signature="", secret="app-secret")
    assert not meta_valid(body=body, signature=expected, secret="")
