"""Simplified Chinese by default, English on request; dates the Chinese way; a complete catalog."""

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

CATALOG = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_pages_are_in_chinese_by_default_even_for_an_english_browser(db, client):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = page.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html and "廉鉴" in html


def test_english_is_one_switch_away(db, client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302
    html = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in html and "Sign in" in html


def test_the_signed_in_pages_are_chinese(cast, client_for):
    html = client_for("secretary_a").get(reverse("villages:list")).content.decode()
    for word in ["村居", "区划代码", "工作台", "退出"]:
        assert word in html, word


def test_dates_are_written_the_chinese_way():
    with translation.override("zh-hans"):
        assert formats.date_format(date(2025, 3, 1)) == "2025年3月1日"


@pytest.mark.skipif(not shutil.which("msgattrib"), reason="gettext is installed by make")
@pytest.mark.parametrize("flag", ["--untranslated", "--only-fuzzy"])
def test_every_string_has_a_chinese_translation(flag):
    result = subprocess.run(["msgattrib", flag, str(CATALOG)], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", result.stdout[:2000]


def test_django_filters_own_strings_are_chinese_too():
    with translation.override("zh-hans"):
        assert translation.gettext("Multiple values may be separated by commas.") == "多个值可以用逗号分隔。"
