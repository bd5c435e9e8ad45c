"""The `polmas` command: Django's management utility with Polmas settings preset."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polmas.settings")
    from polmas.env import SettingError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
    except SettingError as exc:
        sys.stderr.write(f"polmas: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
