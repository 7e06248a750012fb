"""Password rules beyond Django's own, as a 等保 level-3 assessor checks them."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

CHARACTER_CLASSES = (
    set(string.ascii_lowercase),
    set(string.ascii_uppercase),
    set(string.digits),
)


def count_character_classes(password: str) -> int:
    """Lower case, upper case, digits, and everything else (symbols, CJK) are the four classes."""
    classes = sum(1 for chars in CHARACTER_CLASSES if any(c in chars for c in password))
    others = any(not any(c in chars for chars in CHARACTER_CLASSES) for c in password)
    return classes + int(others)


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if count_character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must mix at least %(count)d of: lower-case letters, upper-case letters, digits and symbols.",
            "Your password must mix at least %(count)d of: lower-case letters, upper-case letters, digits and symbols.",
            self.min_classes,
        ) % {"count": self.min_classes}
