from enum import StrEnum


class LocationType(StrEnum):
    LOCATIONS = "locations"

    def __str__(self) -> str:
        return str(self.value)
