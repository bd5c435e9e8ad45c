"""What scrubbing one public text costs (polmas.core.scrub): ordinary texts, texts full of
contact details, and hostile ones built to make a pattern backtrack. Open311 listings scrub
every request they publish, so a text that takes seconds holds a worker per page view.

    uv run python bench/scrub_time.py [--repeat 200]

Prints the median time of one call per text, in milliseconds, and the ratio to the ordinary
text's (machines differ; the ratio is what to compare). A hostile text must stay within a
small multiple of an ordinary one whatever its length.
"""

import argparse
import os
import statistics
import time

TEXTS = {
    "ordinary (97 chars)": "Sepeda motor hilang dari depan warung semalam, pemiliknya sudah lapor ke "
                           "kepala dusun pagi ini.",
    "contacts (172 chars)": "Hubungi Pak Wayan di 0812-3456-7890 atau +62 813 4455 6677, e-mail "
                            "wayan at gmail dot com, NIK 5108 0912 3456 0001. Nama saya Ketut Arsa, "
                            "rumah No. 12.",
    "digits 40 then a letter": "0812" + "1" * 40 + "x",
    "digits 400 then a letter": "0812" + "1" * 400 + "x",
    "+62 and 40 eights": "+62 " + "8" * 40 + "x",
    "spaced digits x40": "(0361) " + "1 " * 40 + "x",
    "number words x60": "nol " * 60 + "x",
    "at and 200 dots": "budi at " + "a." * 200 + "x",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=200, help="calls per text (default 200)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polmas.settings")
    import django

    django.setup()
    from polmas.core.scrub import scrub

    medians = {}
    for name, text in TEXTS.items():
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            scrub(text)
            times.append(time.perf_counter() - start)
        medians[name] = statistics.median(times) * 1000
    base = medians["ordinary (97 chars)"]
    print(f"{'text':28} {'ms/call':>9} {'x ordinary':>11}")
    for name, ms in medians.items():
        print(f"{name:28} {ms:9.3f} {ms / base:11.1f}")


if __name__ == "__main__":
    main()
