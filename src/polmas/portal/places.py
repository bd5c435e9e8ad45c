"""The village a resident means by its name: moved to `polmas.regions.places`, so that the
Open311 intake (in reports, below portal) resolves `address_string` the same way."""

from polmas.regions.places import SHOWN, Place, place_resolve

__all__ = ["SHOWN", "Place", "place_resolve"]
