"""Pick the ru or en column of a translated field for the active language."""

from typing import Any

from django.utils.translation import get_language


def active_language() -> str:
    language = (get_language() or "ru")[:2]
    return language if language in {"ru", "en"} else "en"


def localized(obj: Any, field: str) -> str:
    language = active_language()
    value = getattr(obj, f"{field}_{language}", "")
    if value:
        return str(value)
    fallback = "en" if language == "ru" else "ru"
    return str(getattr(obj, f"{field}_{fallback}", "") or "")
