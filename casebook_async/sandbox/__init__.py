"""A stateful Casebook emulator driven by spec/ (install the `sandbox` extra).

async with Sandbox(seed=0) as sb:
    async with httpx.AsyncClient(transport=sb.transport, base_url=sb.base_url) as client:
        ...
"""

from .auth import Application
from .conventions import PRESETS, Conventions
from .faults import Faults
from .sandbox import Sandbox

__all__ = ["PRESETS", "Application", "Conventions", "Faults", "Sandbox"]
