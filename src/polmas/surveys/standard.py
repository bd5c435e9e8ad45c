# ruff: noqa: E501  (the questions are quoted whole, as fielded)
"""The standard module: at most 15 items, in Indonesian and English, each worded after a
published source that the planner sees beside it. Loaded by `survey_load_standard` (and the
migration 0002) as version 1 of the survey `standard`."""

SLUG = "standard"
NAME = "Polmas standard module: safety and trust in police"
FORM_ID = "polmas_standard"
TITLE_ID = "Survei rasa aman dan kepercayaan kepada polisi"
TITLE_EN = "Survey of feeling safe and trust in police"

SDG = "SDG indicator 16.1.4 (UN Statistics Division metadata): feeling safe walking alone around the area they live after dark"
ESS_TRUST = "European Social Survey core module B (trust in the police, 0-10)"
ESS_LEGIT = "European Social Survey Round 5 (2010), Trust in Justice module (police legitimacy)"
AFRO = "Afrobarometer (fear of crime in one's own home, past year)"
SUSENAS = "BPS Susenas, Modul Ketahanan Sosial style: victim of crime in the last 12 months, and reporting"
POLMAS = "Polmas programme (Perkap 3/2015): awareness of the Bhabinkamtibmas and the FKPM"
CONSENT = "Informed consent (Polmas survey protocol)"


def _c(value: str, label_id: str, label_en: str) -> dict[str, str]:
    return {"value": value, "label_id": label_id, "label_en": label_en}


YES_NO = [_c("yes", "Ya", "Yes"), _c("no", "Tidak", "No")]
YES_NO_DK = [*YES_NO, _c("dk", "Tidak tahu", "Don't know")]
SAFE = [_c("1", "Sangat tidak aman", "Very unsafe"), _c("2", "Tidak aman", "Unsafe"),
        _c("3", "Aman", "Safe"), _c("4", "Sangat aman", "Very safe")]
OFTEN_FEAR = [_c("0", "Tidak pernah", "Never"), _c("1", "Sekali atau dua kali", "Just once or twice"),
              _c("2", "Beberapa kali", "Several times"), _c("3", "Sering", "Many times"),
              _c("4", "Selalu", "Always")]
ZERO_TEN = [_c(str(i), str(i), str(i)) for i in range(11)]
OFTEN = [_c("1", "Sama sekali tidak sering", "Not at all often"), _c("2", "Tidak terlalu sering", "Not very often"),
         _c("3", "Cukup sering", "Quite often"), _c("4", "Sangat sering", "Very often")]
AGREE = [_c("1", "Sangat setuju", "Agree strongly"), _c("2", "Setuju", "Agree"),
         _c("3", "Netral", "Neither agree nor disagree"), _c("4", "Tidak setuju", "Disagree"),
         _c("5", "Sangat tidak setuju", "Disagree strongly")]
CONSENTED = "${consent} = 'yes'"

# name, kind, list name, Indonesian, English, scale, required, relevant, source, indicator, positive
ITEMS: list[dict] = [
    dict(name="consent", kind="select_one", list_name="yes_no", choices=YES_NO, required=True,
         label_id="Survei ini tanpa nama dan sukarela. Apakah Anda bersedia menjawab?",
         label_en="This survey is anonymous and voluntary. Do you agree to answer?", source=CONSENT),
    dict(name="feel_safe", kind="select_one", list_name="safe", choices=SAFE, required=True,
         label_id="Seberapa aman perasaan Anda berjalan sendirian di sekitar tempat tinggal Anda setelah gelap?",
         label_en="How safe do you feel walking alone around the area where you live after dark?",
         source=SDG, indicator="feel_safe", positive="3 4"),
    dict(name="fear_home", kind="select_one", list_name="often_fear", choices=OFTEN_FEAR, required=True,
         label_id="Dalam setahun terakhir, seberapa sering Anda atau keluarga Anda takut akan kejahatan di rumah sendiri?",
         label_en="Over the past year, how often, if ever, have you or anyone in your family feared crime in your own home?",
         source=AFRO, indicator="fear_home", positive="1 2 3 4"),
    dict(name="trust_police", kind="select_one", list_name="zero_ten", choices=ZERO_TEN, required=True,
         label_id="Dari 0 (sama sekali tidak percaya) sampai 10 (sangat percaya), seberapa besar kepercayaan Anda kepada polisi?",
         label_en="On a score of 0 (no trust at all) to 10 (complete trust), how much do you personally trust the police?",
         source=ESS_TRUST, indicator="trust_police", positive="6 7 8 9 10"),
    dict(name="police_respect", kind="select_one", list_name="often", choices=OFTEN, required=True,
         label_id="Menurut Anda, seberapa sering polisi di daerah ini memperlakukan orang dengan hormat?",
         label_en="Based on what you have heard or your own experience, how often would you say the police in this area treat people with respect?",
         source=ESS_LEGIT),
    dict(name="police_fair", kind="select_one", list_name="often", choices=OFTEN, required=True,
         label_id="Seberapa sering polisi di daerah ini mengambil keputusan yang adil dan tidak memihak?",
         label_en="How often would you say the police in this area make fair, impartial decisions in the cases they deal with?",
         source=ESS_LEGIT),
    dict(name="police_values", kind="select_one", list_name="agree", choices=AGREE, required=True,
         label_id="Polisi pada umumnya memiliki pandangan yang sama dengan saya tentang apa yang benar dan salah.",
         label_en="The police generally have the same sense of right and wrong as I do.",
         source=ESS_LEGIT),
    dict(name="victim_12m", kind="select_one", list_name="yes_no", choices=YES_NO, required=True,
         label_id="Dalam 12 bulan terakhir, apakah Anda atau anggota rumah tangga Anda pernah menjadi korban kejahatan?",
         label_en="In the last 12 months, have you or a member of your household been a victim of crime?",
         source=SUSENAS, indicator="victim_12m", positive="yes"),
    dict(name="victim_reported", kind="select_one", list_name="yes_no", choices=YES_NO, required=True,
         relevant="${victim_12m} = 'yes'",
         label_id="Apakah kejadian itu dilaporkan ke polisi?",
         label_en="Was it reported to the police?", source=SUSENAS, indicator="victim_reported", positive="yes"),
    dict(name="know_bhabin", kind="select_one", list_name="yes_no", choices=YES_NO, required=True,
         label_id="Apakah Anda mengenal Bhabinkamtibmas (polisi desa) di desa/kelurahan Anda?",
         label_en="Do you know the Bhabinkamtibmas (village police officer) of your village?",
         source=POLMAS, indicator="know_bhabin", positive="yes"),
    dict(name="met_bhabin", kind="select_one", list_name="yes_no", choices=YES_NO, required=True,
         relevant="${know_bhabin} = 'yes'",
         label_id="Dalam 12 bulan terakhir, apakah Anda pernah bertemu atau berbicara dengannya?",
         label_en="In the last 12 months, have you met or talked with them?", source=POLMAS),
    dict(name="know_fkpm", kind="select_one", list_name="yes_no_dk", choices=YES_NO_DK, required=True,
         label_id="Apakah ada Forum Kemitraan Polisi dan Masyarakat (FKPM) di desa/kelurahan Anda?",
         label_en="Is there a Police-Community Partnership Forum (FKPM) in your village?",
         source=POLMAS, indicator="know_fkpm", positive="yes"),
    dict(name="age", kind="integer", required=True, constraint=". >= 17 and . <= 120",
         label_id="Berapa umur Anda (tahun)?", label_en="How old are you (years)?",
         source="Respondent's age (adults 17 and over, as in Susenas)"),
]
for it in ITEMS[1:]:
    it["relevant"] = f"{CONSENTED} and {it['relevant']}" if it.get("relevant") else CONSENTED

# The composite trust index: these items, each rescaled to 0-1 (`police_values` reversed:
# 1 = agree strongly), averaged, times 100.
TRUST_INDEX_ITEMS = {"trust_police": (0, 10, False), "police_respect": (1, 4, False),
                     "police_fair": (1, 4, False), "police_values": (1, 5, True)}
