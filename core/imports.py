"""The two steps every spreadsheet import page takes: upload → preview (every change and every error by
row and column, nothing written), then confirm → everything or nothing. The importers differ only in
what they build and apply."""

import logging
from collections.abc import Callable
from typing import Protocol, TypeVar

from django import forms
from django.contrib import messages
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .spreadsheets import ImportRefused, stash_upload, take_upload

logger = logging.getLogger(__name__)


class Preview(Protocol):
    """What an importer builds from a sheet: the changes it would make and the errors it found."""

    @property
    def ok(self) -> bool: ...


T = TypeVar("T")
P = TypeVar("P", bound=Preview)


def preview_upload(
    request: HttpRequest, form: forms.BaseForm, *, purpose: str, build: Callable[[bytes, str], T]
) -> dict[str, T | str]:
    """For a valid upload form: `build(data, name)` gives the preview, and the bytes wait for the
    confirmation. Returns the context to add ({"preview", "token"}), or {} with the refusal on the form."""
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        preview = build(data, upload.name)
    except ImportRefused as refused:
        form.add_error("file", str(refused))
        return {}
    return {"preview": preview, "token": stash_upload(request, purpose=purpose, name=upload.name, data=data)}


def confirm_upload(
    request: HttpRequest,
    *,
    purpose: str,
    apply: Callable[[bytes, str], P],
    back: str,
    done: str,
    success: Callable[[P], str],
) -> HttpResponse:
    """Applies the stashed upload with `apply(data, name)`; back to the `back` page on any problem, on to
    `done` with the `success(preview)` message."""
    stashed = take_upload(request, purpose=purpose, token=request.POST.get("token", ""))
    if stashed is None:
        messages.error(request, _("The uploaded file has expired. Please upload it again."))
        return redirect(back)
    try:
        preview = apply(*stashed)
    except ImportRefused as refused:
        messages.error(request, str(refused))
        return redirect(back)
    except (OperationalError, InterfaceError):
        # The connection dropped or the server went away before the commit: the import's one transaction
        # was rolled back. (A constraint violation is a bug, and stays a 500 with its report.)
        logger.exception("import of %s failed in the database", stashed[1])
        connection.close_if_unusable_or_obsolete()  # the next query of this request opens a fresh one
        messages.error(
            request,
            _("The database connection was lost during the import; nothing was imported. Please upload again."),
        )
        return redirect(back)
    if not preview.ok:
        messages.error(request, _("The file has errors; nothing was imported."))
        return redirect(back)
    messages.success(request, success(preview))
    return redirect(done)
