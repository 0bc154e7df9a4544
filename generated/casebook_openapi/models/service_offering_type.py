from enum import StrEnum


class ServiceOfferingType(StrEnum):
    SERVICE_OFFERINGS = "service_offerings"

    def __str__(self) -> str:
        return str(self.value)
