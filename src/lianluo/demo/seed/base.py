"""What every part of the seed shares: the demo logins' public password, the demo's own
deputies, creating a login and granting a role without ever changing what a user made."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from lianluo.core.models import Role, RoleAssignment, User
from lianluo.deputies.models import Deputy

DEMO_PASSWORD = "lianluo-demo"
DEMO_DEPUTY_CODES = [f"dep-{n:03d}" for n in range(1, 65)]

SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"  # noqa: E501


def demo_user(username: str, display: str, *, superuser: bool = False) -> User:
    """The demo login `username`, created with the public demo password when it is missing. A
    login that exists is left exactly as it is: its password, name and rights are its owner's
    (a re-run never resets a password someone changed)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, display_name=display)
        user.is_superuser = user.is_staff = superuser
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def demo_grant(user: User, role: str, **binding: object) -> None:
    """Give `user` the role unless it has it already. Role assignments are not unique in the
    database (an admin may grant the same one twice), so this never .get()s one."""
    if not RoleAssignment.objects.filter(user=user, role=role, **binding).exists():
        RoleAssignment.objects.create(user=user, role=role, **binding)


def demo_deputy_login(deputy: Deputy) -> User | None:
    """The deputy's login: theirs, or `deputy-<code>` made and linked to them when they have
    none (a login is one deputy's: one linked to another deputy is not taken over)."""
    if deputy.user_id is None:
        user = demo_user(f"deputy-{deputy.code}", f"代表 {deputy.name}")
        if not Deputy.objects.filter(user=user).exists():
            deputy.user = user
            deputy.save(update_fields=["user"])
            demo_grant(user, Role.DEPUTY, deputy=deputy)
    return deputy.user


def demo_today(ctx: dict) -> date:
    """The date the demo is built around (see `seed_structure`)."""
    return ctx.get("today") or timezone.localdate()
