"""Every xlsx the system exports is headed in the user's language: Chinese by default, English once the
user has chosen English."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

# (who, URL name, query, the first headings in Chinese, in English)
EXPORTS = [
    (
        "staff",
        "scoring:results_export",
        "",
        ["村居代码", "村居名称", "镇街", "总分", "等级", "镇街排名", "全区排名", "否决事由"],
        ["Village code", "Village name", "Township", "Total", "Grade", "Rank in township", "Rank in district"],
    ),
    ("staff", "villages:export", "", ["代码", "名称", "类型", "镇街代码", "启用"], ["Code", "Name", "Kind"]),
    (
        "staff",
        "inspections:findings",
        "?format=xlsx",
        ["村居代码", "村居", "镇街", "问题类别", "问题描述", "严重程度", "立行立改", "整改措施", "责任人"],
        ["Village code", "Village", "Township", "Finding category", "Problem description", "Severity"],
    ),
    (
        "petition",
        "petitions:list",
        "?format=xlsx",
        ["编号", "收到日期", "渠道", "实名", "被反映人", "职务", "镇街", "村居", "问题类别"],
        ["No.", "Received", "Channel", "Named", "Person complained about", "Post", "Township", "Village"],
    ),
]


def headings(response) -> list:
    assert response.status_code == 200
    return [cell.value for cell in load_workbook(BytesIO(response.content)).active[1]]


@pytest.mark.parametrize(("who", "name", "query", "chinese", "english"), EXPORTS)
def test_an_export_is_headed_in_chinese_then_in_english_once_chosen(
    year_2025, client_for, who, name, query, chinese, english
):
    client = client_for(who)
    url = reverse(name) + query
    assert headings(client.get(url))[: len(chinese)] == chinese
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert headings(client.get(url))[: len(english)] == english
