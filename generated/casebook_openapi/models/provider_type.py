from enum import StrEnum


class ProviderType(StrEnum):
    PROVIDERS = "providers"

    def __str__(self) -> str:
        return str(self.value)
