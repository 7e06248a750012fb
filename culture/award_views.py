"""The 十大评选 pages.

Staff side (/culture/awards/…, signed in, in scope: another county's contest or another township's
nomination is 404): the contests, a contest with its nominations by category, the nomination form of a
township, a nomination's page with its photos, and the actions (shortlist, set aside, photos, the
window, publish).

Public side (/awards/…, no account, mounted at the root by lianjie/urls.py like the index's objection
form: the public app only reads, and a vote writes): the contests in their vote or published, a
contest's shortlist by category with a vote button each, the published ten, the photos. A browser is
known by a random ballot in a signed, HttpOnly, SameSite=Lax cookie; only a keyed hash of it is stored
(culture.awards.voter_key). Votes are limited per client address (VOTE_RATE); the address is never
stored. These pages set cookies and change with every vote: never cached."""

from collections.abc import Callable
from functools import partial
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from accounts.access import role_required
from accounts.models import User
from accounts.roles import Role
from core.uploads import evidence_response
from core.versioning import form_save
from villages.models import Township

from . import award_selectors as selectors
from . import awards
from .award_forms import AwardPhotoForm, ContestForm, DecideForm, NominationForm, PublishForm, WindowForm
from .models import AwardContest, Nomination

READERS = tuple(selectors.READERS)
NOMINATORS = tuple(selectors.NOMINATORS)
BALLOT_COOKIE = "lianjie_ballot"
BALLOT_SALT = "culture.award-ballot-cookie"
BALLOT_MAX_AGE = 2 * 365 * 24 * 3600  # long-lived: one browser, one ballot, across the years' contests
RATE_LIMITED = gettext_lazy("Too many votes from your address: please try again in an hour.")
VOTED = gettext_lazy("Thank you: your vote for %(title)s is counted.")


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # every staff page requires sign-in


# --- Staff: contests -----------------------------------------------------------------------------------------


def _contests_page(request: HttpRequest, form: ContestForm | None = None, status: int = 200) -> HttpResponse:
    user = _user(request)
    manages = awards.manages_contests(user, user.district_id)
    context = {
        "contests": selectors.contests_for(user).order_by("-year", "district__code"),
        "form": (form or ContestForm(initial={"year": timezone.localdate().year})) if manages else None,
    }
    return render(request, "culture/awards/contests.html", context, status=status)


@role_required(*READERS)
def contests(request: HttpRequest) -> HttpResponse:
    return _contests_page(request)


@require_POST
@role_required(Role.COMMISSION_STAFF)
def contest_new(request: HttpRequest) -> HttpResponse:
    """The county's staff open the county's contest of a year."""
    user = _user(request)
    if user.district is None:
        raise Http404
    district = user.district
    form = ContestForm(request.POST)
    made: list[AwardContest] = []
    status = form_save(
        form, save=lambda: made.append(awards.contest_open(district=district, acting_user=user, **form.cleaned_data))
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("awards:contest", pk=made[0].pk)
    return _contests_page(request, form, status=status)


def _nominating_townships(user: User, contest: AwardContest) -> list[Township]:
    if user.has_role(Role.TOWNSHIP_SECRETARY):
        townships = Township.objects.filter(id__in=[user.township_id])
    else:
        townships = Township.objects.filter(district_id=contest.district_id).order_by("code")
    return [township for township in townships if awards.may_nominate(user, contest, township)]


def _contest_forms(user: User, contest: AwardContest) -> dict[str, Form]:
    if not awards.manages_contests(user, contest.district_id):
        return {}
    forms: dict[str, Form] = {}
    now = timezone.now()
    window_open = contest.status == AwardContest.Status.NOMINATING or (
        contest.status == AwardContest.Status.SHORTLISTED and contest.vote_opens_at and now < contest.vote_opens_at
    )
    if window_open:
        initial: dict[str, object] = {"version": contest.version}
        if contest.vote_opens_at and contest.vote_closes_at:
            initial |= {
                "vote_opens_at": timezone.localtime(contest.vote_opens_at),
                "vote_closes_at": timezone.localtime(contest.vote_closes_at),
            }
        forms["window"] = WindowForm(initial=initial)
    if contest.status == AwardContest.Status.SHORTLISTED and awards.vote_has_closed(contest, now):
        forms["publish"] = PublishForm(initial={"version": contest.version})
    return forms


def _contest_page(
    request: HttpRequest, contest: AwardContest, forms: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    counts = selectors.counts_visible(contest)
    context = {
        "contest": contest,
        "categories": selectors.by_category(selectors.contest_nominations(user, contest), rank=counts),
        "counts": counts,
        "forms": {**_contest_forms(user, contest), **(forms or {})},
        "nominating": _nominating_townships(user, contest),
        "decides": awards.manages_contests(user, contest.district_id)
        and contest.status == AwardContest.Status.NOMINATING,
        "vote_open": awards.vote_is_open(contest),
    }
    return render(request, "culture/awards/contest.html", context, status=status)


@role_required(*READERS)
def contest(request: HttpRequest, pk: int) -> HttpResponse:
    return _contest_page(request, selectors.get_contest_for(_user(request), pk))


def _window(request: HttpRequest, contest: AwardContest) -> tuple[Form, Callable[[], object]]:
    form = WindowForm(request.POST)
    return form, lambda: awards.contest_shortlist(
        contest=contest,
        version=form.cleaned_data["version"],
        vote_opens_at=form.cleaned_data["vote_opens_at"],
        vote_closes_at=form.cleaned_data["vote_closes_at"],
        acting_user=_user(request),
    )


def _publish(request: HttpRequest, contest: AwardContest) -> tuple[Form, Callable[[], object]]:
    form = PublishForm(request.POST)
    return form, lambda: awards.contest_publish(
        contest=contest, version=form.cleaned_data["version"], acting_user=_user(request)
    )


# What the county's staff do on a contest's page: the public vote's window (shortlisting it), publishing.
CONTEST_ACTIONS: dict[str, Callable[[HttpRequest, AwardContest], tuple[Form, Callable[[], object]]]] = {
    "window": _window,
    "publish": _publish,
}


@require_POST
@role_required(Role.COMMISSION_STAFF)
def contest_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    contest = selectors.get_contest_for(_user(request), pk)
    if action not in CONTEST_ACTIONS:
        raise Http404
    form, save = CONTEST_ACTIONS[action](request, contest)
    status = form_save(form, check=partial(awards.contest_check_version, contest), save=save)
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("awards:contest", pk=contest.pk)
    contest.refresh_from_db()
    return _contest_page(request, contest, {action: form}, status=status)


# --- Staff: nominations --------------------------------------------------------------------------------------


def _nominate_page(
    request: HttpRequest, form: NominationForm, contest: AwardContest, township: Township, status: int = 200
) -> HttpResponse:
    context = {"form": form, "contest": contest, "township": township}
    return render(request, "culture/awards/nominate.html", context, status=status)


@role_required(*NOMINATORS)
def nominate(request: HttpRequest, pk: int, township_code: str) -> HttpResponse:
    """A township's nomination: its own secretary, or its county's staff (another township's is 404)."""
    user = _user(request)
    contest = selectors.get_contest_for(user, pk)
    township = next((t for t in _nominating_townships(user, contest) if t.code == township_code), None)
    if township is None:
        if (
            contest.status != AwardContest.Status.NOMINATING
            and Township.objects.filter(code=township_code, district_id=contest.district_id).exists()
        ):
            messages.info(request, _("Nominations are closed: the shortlist is made."))
            return redirect("awards:contest", pk=contest.pk)
        raise Http404
    form = NominationForm(request.POST or None, request.FILES or None, township=township)
    if request.method != "POST":
        return _nominate_page(request, form, contest, township)
    made: list[Nomination] = []

    def save() -> None:
        data = form.cleaned_data  # the nomination and its photos, all or nothing
        for upload in data["photos"]:
            awards.check_photo(upload)
        nomination = awards.nomination_create(
            contest=contest,
            category=data["category"],
            township=township,
            village=data["village"],
            title=data["title"],
            story=data["story"],
            acting_user=user,
        )
        if data["photos"]:
            awards.nomination_photos_attach(nomination=nomination, uploads=data["photos"], acting_user=user)
        made.append(nomination)

    status = form_save(form, save=transaction.atomic(save))
    if status is None:
        messages.success(request, _("The nomination is recorded."))
        return redirect("awards:nomination", pk=made[0].pk)
    return _nominate_page(request, form, contest, township, status=status)


def _nomination_page(
    request: HttpRequest, nomination: Nomination, forms: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    contest = nomination.contest
    context = {
        "nomination": nomination,
        "contest": contest,
        "photos": list(nomination.photos.order_by("uploaded_at", "pk")),
        "counts": selectors.counts_visible(contest),
        "decides": awards.manages_contests(user, contest.district_id)
        and contest.status == AwardContest.Status.NOMINATING,
        "forms": {
            **({"photos": AwardPhotoForm()} if awards.may_add_photos(user, nomination) else {}),
            **(forms or {}),
        },
    }
    return render(request, "culture/awards/nomination.html", context, status=status)


@role_required(*READERS)
def nomination(request: HttpRequest, pk: int) -> HttpResponse:
    return _nomination_page(request, selectors.get_nomination_for(_user(request), pk))


def _photos(request: HttpRequest, nomination: Nomination) -> tuple[Form, Callable[[], object]]:
    form = AwardPhotoForm(request.POST, request.FILES)
    return form, lambda: awards.nomination_photos_attach(
        nomination=nomination, uploads=form.cleaned_data["files"], acting_user=_user(request)
    )


def _decide(shortlisted: bool) -> Callable[[HttpRequest, Nomination], tuple[Form, Callable[[], object]]]:
    def action(request: HttpRequest, nomination: Nomination) -> tuple[Form, Callable[[], object]]:
        return DecideForm(request.POST), lambda: awards.nomination_decide(
            nomination=nomination, shortlisted=shortlisted, acting_user=_user(request)
        )

    return action


# What is done to a nomination: photos (those who nominate for its township), shortlist or set aside (staff).
NOMINATION_ACTIONS: dict[str, Callable[[HttpRequest, Nomination], tuple[Form, Callable[[], object]]]] = {
    "photos": _photos,
    "shortlist": _decide(True),
    "reject": _decide(False),
}


@require_POST
@role_required(*NOMINATORS)
def nomination_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    nomination = selectors.get_nomination_for(_user(request), pk)
    if action not in NOMINATION_ACTIONS:
        raise Http404
    form, save = NOMINATION_ACTIONS[action](request, nomination)
    status = form_save(form, save=save)
    if status is None:
        messages.success(request, _("Saved."))
        if action == "photos":
            return redirect("awards:nomination", pk=nomination.pk)
        return redirect(reverse("awards:contest", args=[nomination.contest_id]) + f"#nomination-{nomination.pk}")
    return _nomination_page(request, nomination, {action: form}, status=status)


# --- Public --------------------------------------------------------------------------------------------------


def public_contests(request: HttpRequest) -> HttpResponse:
    """十大评选: the contests in their public vote or published, newest first."""
    rows = selectors.public_contests().order_by("-year", "district__code")
    return render(request, "culture/awards/public_list.html", {"contests": rows})


def _public_page(request: HttpRequest, contest: AwardContest, status: int = 200, **extra: Any) -> HttpResponse:
    counts = selectors.counts_visible(contest)
    context = {
        "contest": contest,
        "categories": selectors.by_category(selectors.public_nominations(contest), rank=counts),
        "counts": counts,
        "vote_open": awards.vote_is_open(contest),
        "published": contest.status == AwardContest.Status.PUBLISHED,
        "not_yet": contest.vote_opens_at is not None and timezone.now() < contest.vote_opens_at,
        **extra,
    }
    return render(request, "culture/awards/public_contest.html", context, status=status)


def public_contest(request: HttpRequest, pk: int) -> HttpResponse:
    """A contest's shortlist by category with a vote button each while the window is open, the counts
    once it has closed, the ten with their stories once published."""
    return _public_page(request, selectors.get_public_contest(pk))


def _rate(group: str, request: HttpRequest) -> str:
    return str(settings.VOTE_RATE)


@require_POST
@ratelimit(group="award-vote", key="ip", rate=_rate, method="POST", block=False)
def vote(request: HttpRequest, pk: int, nomination_pk: int) -> HttpResponse:
    """投票: anyone, without an account; one vote per category per browser per day."""
    contest = selectors.get_public_contest(pk)
    nomination = selectors.get_public_nomination(contest, nomination_pk)
    if getattr(request, "limited", False):
        return render(request, "culture/awards/rate_limited.html", {"contest": contest}, status=429)
    ballot = request.get_signed_cookie(BALLOT_COOKIE, default=None, salt=BALLOT_SALT)
    fresh = not ballot
    ballot = ballot or awards.new_ballot()
    try:
        awards.vote_cast(nomination=nomination, ballot=ballot)
    except ValidationError as refused:
        response = _public_page(request, contest, status=400, vote_error=refused.messages[0], voted_for=nomination)
    else:
        messages.success(request, VOTED % {"title": nomination.title})
        response = redirect(reverse("awards_public:contest", args=[contest.pk]) + f"#nomination-{nomination.pk}")
    if fresh:
        response.set_signed_cookie(
            BALLOT_COOKIE,
            ballot,
            salt=BALLOT_SALT,
            max_age=BALLOT_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A nomination's photo: to anyone when the nomination is public (on a public shortlist, or among the
    published ten), shown in the page and not audited (it is published); otherwise to a signed-in reader
    of the nomination, as an audited download; 404 to everyone else."""
    public = selectors.public_photo(pk)
    if public is not None:
        response = FileResponse(public.file.open("rb"), content_type=public.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        return response
    if not request.user.is_authenticated:
        raise Http404
    return evidence_response(request, selectors.photo_for(_user(request), pk))
