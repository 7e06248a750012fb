"""Evidence downloads: whatever name the uploader gave a file, it downloads under a clean name with the
extension of the type read from its content, as that type, as an attachment the browser may not sniff,
on every page that serves evidence; on disk it is stored under a name made of its hash."""

from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from django.test.client import encode_multipart
from django.urls import reverse
from django.utils import timezone

from inspections.models import FindingEvidence
from petitions import services as petition_services
from stars.models import StarApplication

from ..inspection_helpers import finding
from ..petition_helpers import register
from ..star_helpers import criteria, self_scores

# A PDF by its first bytes that is also a web page: served as HTML it would run its script.
POLYGLOT = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
BOUNDARY = "EvidenceBoundary"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def post_with_file(client, url: str, fields: dict, name: str, content: bytes):
    """Posts `fields` and one evidence file whose name is sent whole as RFC 2231 filename*, as a crafted
    request can: quotes, path parts and line breaks reach the server (the test client would drop them)."""
    part = (
        f"--{BOUNDARY}\r\n"
        f"Content-Disposition: form-data; name=\"files\"; filename*=utf-8''{quote(name, safe='')}\r\n"
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode() + content
    body = part + b"\r\n" + encode_multipart(BOUNDARY, fields)
    return client.post(url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}")


def progress_with_file(cast, client_for, name: str, content: bytes):
    """Secretary A records progress on a finding through its page, with one evidence file."""
    item = finding(cast)
    url = reverse("inspections:finding_action", args=[item.pk, "progress"])
    fields = {"note": "已整改", "version": item.version}
    return post_with_file(client_for("secretary_a"), url, fields, name, content), item


def assert_downloads(response, content: bytes, content_type: str, disposition: str) -> None:
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == disposition
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content", "content_type", "disposition"),
    [
        ('evil".html', POLYGLOT, "application/pdf", 'attachment; filename="evil.pdf"'),
        ("photo.exe", PNG, "image/png", 'attachment; filename="photo.png"'),
        ("../../x.pdf", PNG, "image/png", 'attachment; filename="x.png"'),
        (
            "整改\r\n报告.html",
            JPEG,
            "image/jpeg",
            "attachment; filename*=utf-8''%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A.jpg",
        ),
        # Cut to 80 characters (240 bytes): with its extension the name fits a file system's 255 bytes.
        ("村" * 90 + ".docx", POLYGLOT, "application/pdf", "attachment; filename*=utf-8''" + "%E6%9D%91" * 80 + ".pdf"),
    ],
    ids=["quote-html-polyglot", "png-named-exe", "path-traversal", "line-break", "long-chinese"],
)
def test_evidence_downloads_with_the_extension_and_type_read_from_its_content(
    cast, client_for, settings, name, content, content_type, disposition
):
    response, item = progress_with_file(cast, client_for, name, content)
    assert response.status_code == 302
    evidence = item.evidence.get()
    # On disk: under the evidence folder, named by the content's hash, whatever the uploader called it.
    extension = disposition.rstrip('"').rpartition(".")[2]
    stored = Path(
        settings.MEDIA_ROOT, "finding-evidence", f"{timezone.localdate():%Y}", f"{evidence.sha256}.{extension}"
    )
    assert Path(evidence.file.path) == stored and stored.read_bytes() == content
    download = client_for("staff").get(reverse("inspections:evidence", args=[evidence.pk]))
    assert_downloads(download, content, content_type, disposition)


def test_a_stored_name_with_path_quotes_and_line_breaks_downloads_clean(cast, client_for):
    """A row not made by today's upload form (older data, a script): its name is cleaned at download too."""
    _response, item = progress_with_file(cast, client_for, "照片.jpg", JPEG)
    FindingEvidence.objects.filter(finding=item).update(original_name='..\\..\\报"告\r\n\u202egpj.html')
    download = client_for("staff").get(reverse("inspections:evidence", args=[item.evidence.get().pk]))
    assert_downloads(download, JPEG, "image/jpeg", "attachment; filename*=utf-8''%E6%8A%A5%E5%91%8Agpj.jpg")


def test_a_name_without_a_stem_downloads_as_evidence(cast, client_for):
    _response, item = progress_with_file(cast, client_for, '"".pdf', PNG)
    download = client_for("staff").get(reverse("inspections:evidence", args=[item.evidence.get().pk]))
    assert_downloads(download, PNG, "image/png", "attachment; filename*=utf-8''" + quote("佐证材料.png"))


def test_evidence_is_not_sniffed_even_with_the_site_wide_setting_off(cast, client_for, settings):
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False
    _response, item = progress_with_file(cast, client_for, "evil.pdf", POLYGLOT)
    download = client_for("staff").get(reverse("inspections:evidence", args=[item.evidence.get().pk]))
    assert download["X-Content-Type-Options"] == "nosniff"


def test_star_evidence_downloads_with_the_type_read_from_its_content(cast, client_for):
    data = {"level_applied": "5", "summary": "自评说明", "file": "1"}
    for item, (points, note) in self_scores(criteria(), "97").items():
        data |= {f"item_{item}": str(points), f"note_{item}": note}
    url = reverse("stars:apply", args=[cast.village_a.code]) + "?year=2025"
    assert post_with_file(client_for("secretary_a"), url, data, 'evil".html', POLYGLOT).status_code == 302
    attachment = StarApplication.objects.get(village=cast.village_a).attachments.get()
    download = client_for("staff").get(reverse("stars:attachment", args=[attachment.pk]))
    assert_downloads(download, POLYGLOT, "application/pdf", 'attachment; filename="evil.pdf"')


def test_striking_off_evidence_downloads_with_the_type_read_from_its_content(cast, client_for):
    petition = register(cast)
    listing = petition_services.case_list(
        petition=petition,
        acting_user=cast.users["staff"],
        leader=cast.users["leader"],
        unit="路桥街道党工委",
        measures="包案领导约访",
        deadline=date(2025, 6, 30),
        on=date(2025, 4, 1),
    )
    petition.refresh_from_db()
    fields = {"resolution": "已解决", "verification": "回访满意", "version": petition.version}
    url = reverse("petitions:action", args=[petition.pk, "strike_off"])
    assert post_with_file(client_for("staff"), url, fields, "photo.exe", PNG).status_code == 302
    download = client_for("staff").get(reverse("petitions:evidence", args=[listing.evidence.get().pk]))
    assert_downloads(download, PNG, "image/png", 'attachment; filename="photo.png"')


@pytest.mark.parametrize(
    ("name", "content"),
    [("page.pdf", b"<html><script>alert(1)</script></html>"), ("photo.png", b"MZ\x90\x00 a program")],
)
def test_files_of_a_type_not_accepted_are_still_refused(cast, client_for, name, content):
    response, item = progress_with_file(cast, client_for, name, content)
    assert response.status_code == 400
    assert f"{name}不是PDF、JPEG、PNG、Word或Excel文件" in response.content.decode()
    assert not item.evidence.exists()
