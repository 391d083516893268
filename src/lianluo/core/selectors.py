"""Reads of core records that several apps share."""

from __future__ import annotations

from lianluo.core.models import User


def users_with_role(role: str, **binding: object) -> list[User]:
    """Active users who hold `role`, each once. `binding` narrows the role assignment itself
    (`deputy=…`, `station__in=…`, `deputy__memberships__station=…`), in the same join as the
    role, so a user's other roles never match for it."""
    lookups = {f"role_assignments__{key}": value for key, value in binding.items()}
    users = User.objects.filter(is_active=True, role_assignments__role=role, **lookups)
    return list(users.distinct())
