import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Command(BaseCommand):
    help = ("Make a VAPID key pair for web push and print it as the two environment variables to "
            "set (POLMAS_VAPID_PRIVATE_KEY, POLMAS_VAPID_PUBLIC_KEY). Changing the pair later "
            "makes every device subscribe again.")

    def handle(self, *args, **options):
        key = ec.generate_private_key(ec.SECP256R1())
        private = key.private_numbers().private_value.to_bytes(32, "big")
        public = key.public_key().public_bytes(serialization.Encoding.X962,
                                               serialization.PublicFormat.UncompressedPoint)
        self.stdout.write(f"POLMAS_VAPID_PRIVATE_KEY={b64url(private)}")
        self.stdout.write(f"POLMAS_VAPID_PUBLIC_KEY={b64url(public)}")
