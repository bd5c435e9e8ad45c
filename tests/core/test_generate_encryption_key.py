from cryptography.fernet import Fernet
from django.core.management import call_command


def test_it_prints_a_usable_fresh_key(capsys):
    call_command("generate_encryption_key")
    first = capsys.readouterr().out.strip()
    call_command("generate_encryption_key")
    second = capsys.readouterr().out.strip()
    assert first != second
    token = Fernet(first.encode()).encrypt(b"081234567890")
    assert Fernet(first.encode()).decrypt(token) == b"081234567890"
