"""Pools for synthetic people. Names are common Indonesian given names, combined at random:
any resemblance to a real officer or forum member is chance."""

import random

BALI_MALE = ["I Wayan", "I Made", "I Nyoman", "I Ketut", "I Gede", "I Putu", "I Komang", "I Kadek"]
BALI_FEMALE = ["Ni Luh", "Ni Made", "Ni Nyoman", "Ni Ketut", "Ni Putu", "Ni Kadek", "Ni Komang"]
BALI_NAMES = [
    "Sudarma", "Suardana", "Wirawan", "Artawan", "Sukadana", "Mertayasa", "Budiarta", "Sujana",
    "Ariana", "Darmawan", "Suastika", "Widiana", "Adnyana", "Parwata", "Sutama", "Yasa",
    "Sumerta", "Arsana", "Gunawan", "Dharma", "Astawa", "Ardika", "Sumadi", "Wijaya",
]
GIVEN_MALE = [
    "Agus", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Iwan", "Joko", "Rudi", "Slamet", "Teguh",
    "Wahyu", "Yudi", "Andi", "Bambang", "Dwi", "Heru", "Imam", "Rahmat", "Sigit", "Arif",
    "Bayu", "Darto", "Hasan", "Ilham", "Muhammad", "Nur", "Ridwan", "Syahrul", "Yusuf",
]
GIVEN_FEMALE = [
    "Sri", "Siti", "Dewi", "Rina", "Wulan", "Yuni", "Ani", "Endang", "Fitri", "Lestari", "Nur",
    "Ratna", "Sari", "Tri", "Umi", "Wati", "Indah", "Kartini", "Maya", "Puji",
]
FAMILY = [
    "Santoso", "Wibowo", "Saputra", "Hidayat", "Setiawan", "Nugroho", "Pratama", "Susanto",
    "Kurniawan", "Purnomo", "Suharto", "Prasetyo", "Siregar", "Nasution", "Harahap",
    "Simanjuntak", "Lubis", "Manurung", "Wijaya", "Rahman", "Hakim", "Syahputra", "Sitompul",
    "Gultom", "Tanjung", "Lumban", "Mahendra", "Utomo", "Hartono", "Suryadi", "Firmansyah",
    "Ramadhan", "Maulana", "Sembiring", "Ginting", "Tarigan", "Pangaribuan", "Rumbiak", "Wenda",
]


def person(rng: random.Random, province: str, female: bool | None = None) -> str:
    if female is None:
        female = rng.random() < 0.35
    if province == "51":
        head = rng.choice(BALI_FEMALE if female else BALI_MALE)
        return f"{head} {rng.choice(BALI_NAMES)}"
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    return f"{given} {rng.choice(FAMILY)}"


def officer_name(rng: random.Random, province: str) -> str:
    return person(rng, province, female=rng.random() < 0.12)


def phone(rng: random.Random) -> str:
    return "08" + rng.choice(["11", "12", "13", "21", "22", "52", "53", "57", "77", "78", "96"]) + (
        f"{rng.randrange(10**7, 10**8)}"
    )
