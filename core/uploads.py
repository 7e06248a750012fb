"""Evidence files people upload (佐证材料): recognised by their content, never by their name, and kept
under DATA_DIR outside the web root, where only a view that checked the reader's scope serves them."""

import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING, cast

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import EventType
from audit.services import record_event

if TYPE_CHECKING:
    from accounts.models import User

# What a village office scans or writes, by the type read from the first bytes → the stored extension.
EVIDENCE_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"
# A download's name without its extension, in UTF-8 bytes: with the extension it fits the 255 bytes file
# systems allow in a name.
DOWNLOAD_STEM_BYTES = 240


def evidence_type(upload: "UploadedFile[bytes]") -> str:
    """The file's type read from its content; ValidationError for a type not accepted or a file too big."""
    limit = settings.EVIDENCE_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s MB.") % {"name": upload.name, "limit": settings.EVIDENCE_MAX_MB}
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    if kind is None or kind.mime not in EVIDENCE_TYPES:
        raise ValidationError(
            _("%(name)s is not a PDF, JPEG, PNG, Word or Excel file.") % {"name": upload.name}, code="file_type"
        )
    mime: str = kind.mime
    return mime


def store_evidence(record: "EvidenceFile", upload: "UploadedFile[bytes]", *, uploaded_by: "User") -> None:
    """Checks `upload` and saves it into `record` (a model with file, original_name, content_type, size,
    sha256 and uploaded_by), stored under a name made of its hash."""
    content_type = evidence_type(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    # A file Django received always has a name and a size.
    record.original_name = cast(str, upload.name)[-200:]
    record.content_type = content_type
    record.size = cast(int, upload.size)
    record.sha256 = digest.hexdigest()
    record.uploaded_by = uploaded_by
    record.file.save(f"{record.sha256}.{EVIDENCE_TYPES[content_type]}", upload, save=False)
    record.save()


def evidence_upload_to(record: "EvidenceFile", filename: str) -> str:
    # `filename` is made of the content's hash: the uploader's file name never reaches the file system.
    return f"{record.EVIDENCE_FOLDER}/{timezone.localdate():%Y}/{filename}"


class EvidenceFile(models.Model):
    """An uploaded evidence file: its stored file, the name the uploader gave it, the type read from its
    content, its size and hash, who uploaded it and when. Subclasses add what it is evidence of, and each
    declares its `history`, so that its uploads reach the audit log."""

    EVIDENCE_FOLDER = "evidence"

    file = models.FileField(gettext_lazy("file"), upload_to=evidence_upload_to)
    original_name = models.CharField(gettext_lazy("file name"), max_length=200)
    content_type = models.CharField(gettext_lazy("type"), max_length=100)
    size = models.PositiveIntegerField(gettext_lazy("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(gettext_lazy("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at"]
        verbose_name = gettext_lazy("evidence file")
        verbose_name_plural = gettext_lazy("evidence files")

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        """The uploader's name without path, quotes, control characters (line breaks, direction marks) and
        extension, cut to fit a file system, with the extension of the type read from the content: a page
        uploaded as a PDF never comes back as `.html`."""
        name = re.split(r"[\\/]", self.original_name)[-1]
        name = "".join(char for char in name if char != '"' and not unicodedata.category(char).startswith("C"))
        stem = re.sub(r"\.[^.]*$", "", name).encode()[:DOWNLOAD_STEM_BYTES].decode(errors="ignore").strip(" .")
        return f"{stem or self._meta.verbose_name}.{EVIDENCE_TYPES[self.content_type]}"


def evidence_response(request: HttpRequest, record: EvidenceFile) -> FileResponse:
    """Serve a file the view has already found in the reader's scope: as a download under its clean name,
    with the type read from its content at upload, audited."""
    record_event(EventType.DOWNLOADED, request=request, target=record)
    response = FileResponse(
        record.file.open("rb"), as_attachment=True, filename=record.download_name, content_type=record.content_type
    )
    # Whatever the site-wide setting: a browser sniffing a PDF that is also a page would run its script.
    response["X-Content-Type-Options"] = "nosniff"
    return response
