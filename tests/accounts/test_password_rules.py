"""Password rules: at least 8 characters, 3 of 4 character classes, not common, not like the name."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.validators import count_character_classes

from ..factories import UserFactory


@pytest.mark.parametrize(
    "password",
    ["Qingfeng#2026", "lianjie-2026-x", "QINGLIAN2026!", "廉洁village9", "Aa1!Aa1!"],
)
def test_strong_passwords_are_accepted(db, password):
    validate_password(password, UserFactory.build(username="zhangsan", full_name="张三"))


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Aa1!Aa1", "password_too_short"),
        ("abcdefgh123", "password_too_simple"),  # two classes only
        ("ABCDEFGHIJ!", "password_too_simple"),
        ("12345678", "password_entirely_numeric"),
        ("Password1", "password_too_common"),
        ("Zhangsan2026", "password_too_similar"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(db, password, code):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, UserFactory.build(username="zhangsan", full_name="张三"))
    assert code in {error.code for error in refused.value.error_list}


def test_the_refusal_is_in_chinese(db):
    with pytest.raises(ValidationError) as refused:
        validate_password("abcdefgh123")
    assert refused.value.messages == ["密码须至少包含小写字母、大写字母、数字和符号中的3类。"]


@pytest.mark.parametrize(
    ("password", "classes"),
    [("abc", 1), ("abcD", 2), ("abcD1", 3), ("abcD1!", 4), ("廉洁1a", 3)],
)
def test_character_classes_are_counted(password, classes):
    assert count_character_classes(password) == classes
