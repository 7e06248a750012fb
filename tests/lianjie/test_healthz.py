"""/healthz: 200 when the database (and Redis, when configured) answer; 503 naming what fails."""

from django.urls import reverse


def test_healthy_when_the_database_answers(db, client, settings):
    settings.REDIS_URL = ""
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "failing": [], "database": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_503_names_redis_when_redis_is_configured_but_down(db, client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["redis"]
    assert body["redis"].startswith("error: ") and body["database"] == "ok"


def test_503_names_the_database_when_it_does_not_answer(db, client, settings, monkeypatch):
    settings.REDIS_URL = ""
    monkeypatch.setattr("lianjie.views._database_answers", lambda: "OperationalError")
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]
