"""Personal data at rest: EncryptedTextField and key rotation."""

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import FieldError
from django.db import connection

from polmas.env import check_encryption_keys
from polmas.policing.models import Officer, PoliceUnit
from polmas.policing.services import officer_create

pytestmark = pytest.mark.django_db

PHONE = "081234567890"
EMAIL = "komang@example.org"


def raw_column(model: type, field: str, pk: int) -> str:
    """The stored value, read past the model (and its decryption) with a plain cursor."""
    table, column = model._meta.db_table, model._meta.get_field(field).column
    with connection.cursor() as cursor:
        q = connection.ops.quote_name
        cursor.execute(f"SELECT {q(column)} FROM {q(table)} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def officer(nrp: str = "99030001", phone: str = PHONE, email: str = EMAIL) -> Officer:
    return officer_create(actor=None, nrp=nrp, name="Komang Test", rank="bripka", phone=phone, email=email,
                          unit=PoliceUnit.objects.get(kind="polsek", region_id="51.08.09"))


def test_the_raw_column_holds_no_plaintext_and_the_model_reads_it_back():
    pk = officer().pk

    raw_phone, raw_email = raw_column(Officer, "phone", pk), raw_column(Officer, "email", pk)
    assert PHONE not in raw_phone and PHONE[2:] not in raw_phone
    assert EMAIL not in raw_email and "komang" not in raw_email
    assert raw_phone.startswith("gAAAAA")  # a Fernet token
    stored = Officer.objects.get(pk=pk)
    assert (stored.phone, stored.email) == (PHONE, EMAIL)
    assert list(Officer.objects.filter(pk=pk).values_list("phone", flat=True)) == [PHONE]


def test_blank_values_stay_blank_and_equal_values_encrypt_differently():
    blank = officer(phone="", email="")
    assert raw_column(Officer, "phone", blank.pk) == ""
    assert Officer.objects.filter(phone="").filter(pk=blank.pk).exists()
    one, two = officer("99030002"), officer("99030003")
    assert raw_column(Officer, "phone", one.pk) != raw_column(Officer, "phone", two.pk)


def test_encrypted_columns_cannot_be_searched():
    officer()
    with pytest.raises(FieldError):
        Officer.objects.filter(phone__icontains="0812").exists()
    # Equality compiles, but each encryption is fresh, so a plaintext never matches a stored row.
    assert not Officer.objects.filter(phone=PHONE).exists()


def test_a_rotated_key_still_reads_old_rows(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = check_encryption_keys("POLMAS_ENCRYPTION_KEY", old)
    before = officer("99030004").pk

    # POLMAS_ENCRYPTION_KEY="new,old": the first key encrypts, every key decrypts.
    settings.ENCRYPTION_KEYS = check_encryption_keys("POLMAS_ENCRYPTION_KEY", f"{new}, {old}")
    assert Officer.objects.get(pk=before).phone == PHONE
    after = officer("99030005").pk
    assert Fernet(new.encode()).decrypt(raw_column(Officer, "phone", after).encode()).decode() == PHONE
    with pytest.raises(InvalidToken):
        Fernet(new.encode()).decrypt(raw_column(Officer, "phone", before).encode())

    settings.ENCRYPTION_KEYS = [new]  # the old key dropped too early
    assert Officer.objects.get(pk=after).phone == PHONE
    with pytest.raises(ValueError, match="cannot be read with the configured keys"):
        Officer.objects.get(pk=before)
