"""Evidence files people upload (佐证材料): recognised by their content, never by their name, and kept
under DATA_DIR outside the web root, where only a view that checked the reader's scope serves them."""

import hashlib

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# What a village office scans or writes, by the type read from the first bytes → the stored extension.
EVIDENCE_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"


def evidence_type(upload: UploadedFile) -> str:
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
    return kind.mime


def store_evidence(record, upload: UploadedFile, *, uploaded_by) -> None:
    """Checks `upload` and saves it into `record` (a model with file, original_name, content_type, size,
    sha256 and uploaded_by), stored under a name made of its hash."""
    content_type = evidence_type(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    record.original_name = upload.name[-200:]
    record.content_type = content_type
    record.size = upload.size
    record.sha256 = digest.hexdigest()
    record.uploaded_by = uploaded_by
    record.file.save(f"{record.sha256}.{EVIDENCE_TYPES[content_type]}", upload, save=False)
    record.save()
