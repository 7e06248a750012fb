"""Chinese error pages that leak nothing; the demo banner on every page when demo data is loaded."""

import pytest
from django.test import Client
from django.urls import reverse

from villages.demo import demo_data_changed
from villages.models import District


def test_404_is_in_chinese_and_plain(db, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "Traceback" not in html and "urlpatterns" not in html


def test_403_is_in_chinese(cast, client_for):
    response = client_for("petition").get(reverse("villages:list"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


@pytest.mark.urls("tests.urls_with_a_failing_view")
def test_500_is_in_chinese_and_leaks_nothing(db):
    client = Client(raise_request_exception=False)
    response = client.get("/fails/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统错误" in html
    assert "secret-internal-detail" not in html and "RuntimeError" not in html


@pytest.mark.parametrize("url_name", ["public:index", "accounts:login"])
def test_the_demo_banner_shows_when_demo_data_is_loaded(db, client, url_name):
    assert "演示数据" not in client.get(reverse(url_name)).content.decode()
    District.objects.create(code="331004", name="路桥区", is_demo=True)
    demo_data_changed()  # as seed_demo does
    assert "演示数据" in client.get(reverse(url_name)).content.decode()
