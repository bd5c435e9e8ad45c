"""Named places of the demo data, shared by the policing and forum tests."""

from polmas.policing.models import PoliceUnit
from polmas.regions.models import Region

TEJAKULA = "51.08.09"  # Polsek Tejakula, kapolsek's unit
BULELENG = "51.08"  # Polres Buleleng, kapolres's unit
LES = "51.08.09.2007"  # Desa Les, where the demo Bhabinkamtibmas is posted
PACUNG = "51.08.09.2002"
PENUKTUKAN = "51.08.09.2008"
TAMBAKAN = "51.08.08.2001"  # Buleleng, but another district than Tejakula
CATURTUNGGAL = "34.04.07.2001"  # Depok, Sleman: the outsider's district


def unit(kind: str, code: str) -> PoliceUnit:
    return PoliceUnit.objects.get(kind=kind, region_id=code)


def region(code: str) -> Region:
    return Region.objects.get(code=code)
