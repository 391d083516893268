"""Writes of onboarding: roster imports (preview → confirm) in `imports`, the station checklist
(七有) in `checklist`, station masters (固定站长 + 轮值站长) in `masters`; the refusal codes
(`OnboardingCode`) and the station manager's check in `base`."""

from lianluo.onboarding.services.base import OnboardingCode
from lianluo.onboarding.services.checklist import (
    Evidence,
    checklist_update,
)
from lianluo.onboarding.services.imports import (
    MAX_ERRORS_KEPT,
    dispatch,
    import_check,
    import_confirm,
    import_max_bytes,
    import_run,
    import_sweep,
    import_upload,
    roster_export,
)
from lianluo.onboarding.services.masters import (
    MAX_ROTATION_MONTHS,
    master_remove,
    master_rotation_generate,
    master_set_fixed,
)

__all__ = [
    "MAX_ERRORS_KEPT",
    "MAX_ROTATION_MONTHS",
    "Evidence",
    "OnboardingCode",
    "checklist_update",
    "dispatch",
    "import_check",
    "import_confirm",
    "import_max_bytes",
    "import_run",
    "import_sweep",
    "import_upload",
    "master_remove",
    "master_rotation_generate",
    "master_set_fixed",
    "roster_export",
]
