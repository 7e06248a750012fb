"""Made-up 清廉文化大讲堂 for the demo: a county's rosters and this year's 宣讲季 in every township but the
last, recorded and closed by each township's secretary (its county's staff where the township has none),
with the village posts present such that 两个全覆盖 is complete in some townships and not in others.
Through the services, so each write is audited. Deterministic; nothing is made when the county has a
roster already."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from villages.models import District, Township, Village

from . import services
from .models import Audience, Lecturer, Post

ROSTER = [
    (Lecturer.Kind.LECTURER, "王明德", "区纪委常委", "党纪条规"),
    (Lecturer.Kind.LECTURER, "陈丽华", "区纪委党风室主任", "八项规定精神"),
    (Lecturer.Kind.LECTURER, "林国强", "区委党校讲师", "党纪条规"),
    (Lecturer.Kind.STORYTELLER, "张晓燕", "区文化馆", "清廉家风故事"),
    (Lecturer.Kind.STORYTELLER, "李春生", "退休教师", "乡贤清廉故事"),
]
THEMES = ["学党纪 守规矩 扬清风", "弘扬清廉家风 建设清廉村居", "八项规定精神进村居", "以案说纪 警钟长鸣"]
# The smallest PNG a phone would never take, but a real one: the upload check reads its content.
DEMO_PHOTO = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5c1e2b60000000049454e44ae426082"
)


def _absent(village_number: int, post: str) -> bool:
    """Which posts a village missed: every fourth village's 主任 and every seventh's 村监会主任 (the
    书记 came everywhere)."""
    return (post == Post.DIRECTOR and village_number % 4 == 3) or (post == Post.SUPERVISOR and village_number % 7 == 6)


def _season(township: Township, number: int, speakers: list[Lecturer], recorder: User, today: date) -> None:
    """The township's session of this year, held, its village posts recorded, a photo, closed."""
    held_on = min(today, date(today.year, 3, 1) + timedelta(days=7 * number))
    villages = list(Village.objects.filter(township=township, active=True).order_by("code"))
    session = services.session_record(
        township=township,
        held_on=held_on,
        place=f"{township.name}党群服务中心",
        theme=THEMES[number % len(THEMES)],
        speakers=[speakers[number % len(speakers)]],
        online_reach=800 + 97 * number,
        attendance={
            Audience.CADRES: 40 + number % 5,
            Audience.SECRETARIES: len(villages),
            Audience.DIRECTORS: sum(not _absent(index, Post.DIRECTOR) for index in range(len(villages))),
            Audience.SUPERVISORS: sum(not _absent(index, Post.SUPERVISOR) for index in range(len(villages))),
            Audience.OTHERS: 60 + 13 * (number % 4),
        },
        acting_user=recorder,
    )
    presences = {
        village.pk: {post for post in Post.values if not _absent(index, post)} for index, village in enumerate(villages)
    }
    session = services.presence_record(
        session=session, version=session.version, presences=presences, acting_user=recorder
    )
    services.photos_attach(
        session=session,
        uploads=[SimpleUploadedFile("现场照片.png", DEMO_PHOTO, content_type="image/png")],
        acting_user=recorder,
    )
    services.session_close(
        session=session,
        version=session.version,
        summary="围绕党纪条规和清廉家风开展宣讲，村（社区）三个岗位干部集中听讲。",
        acting_user=recorder,
    )


@transaction.atomic
def seed_culture(*, district: District, staff: User, secretaries: dict[int, User], today: date | None = None) -> int:
    """The county's rosters and this year's sessions; the last township has held none, the first has
    another one planned. Returns the sessions made."""
    today = today or timezone.localdate()
    if Lecturer.objects.filter(district=district).exists():
        return 0
    appointed_on = date(today.year - 1, 1, 1)
    speakers = [
        services.lecturer_appoint(
            district=district,
            kind=kind,
            name=name,
            unit=unit,
            topics=topics,
            appointed_on=appointed_on,
            ended_on=None,
            acting_user=staff,
        )
        for kind, name, unit, topics in ROSTER
    ]
    townships = list(Township.objects.filter(district=district).order_by("code"))
    for number, township in enumerate(townships[:-1]):
        _season(township, number, speakers, secretaries.get(township.pk, staff), today)
    if townships:
        services.session_record(
            township=townships[0],
            held_on=today + timedelta(days=30),
            place=f"{townships[0].name}文化礼堂",
            theme="清廉文化进礼堂",
            speakers=[speakers[-1]],
            online_reach=0,
            attendance={},
            acting_user=secretaries.get(townships[0].pk, staff),
        )
    return len(townships)
