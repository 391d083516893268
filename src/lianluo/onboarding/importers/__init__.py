"""Sheet importers, one per import kind."""

from __future__ import annotations

from lianluo.onboarding.importers.areas import AreaImporter
from lianluo.onboarding.importers.base import Importer
from lianluo.onboarding.importers.cases import CaseImporter
from lianluo.onboarding.importers.deputies import DeputyImporter
from lianluo.onboarding.importers.receptions import ReceptionImporter
from lianluo.onboarding.importers.stations import StationImporter

IMPORTERS: dict[str, type[Importer]] = {
    "areas": AreaImporter,
    "stations": StationImporter,
    "deputies": DeputyImporter,
    "cases": CaseImporter,
    "receptions": ReceptionImporter,
}

__all__ = ["IMPORTERS", "Importer"]
