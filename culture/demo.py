"""Made-up 清廉文化大讲堂 for the demo: a county's rosters and this year's 宣讲季 in every township but the
last, recorded and closed by each township's secretary (its county's staff where the township has none),
with the village posts present such that 两个全覆盖 is complete in some townships and not in others.
Through the services, so each write is audited. Deterministic; nothing is made when the county has a
roster already."""

from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from villages.models import District, Township, Village

from . import services
from .models import Audience, AwardContest, Lecturer, Nomination, Post

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


# --- 清廉文化阵地 ---------------------------------------------------------------------------------------------

# (name after the village's, type, where in the village, what it holds)
VENUES = [
    ("廉园", "garden", "村委会东侧", "以清廉家训、廉政格言石刻为主题的小游园。"),
    ("廉廊", "corridor", "文化礼堂旁", "长廊两侧展示本村清廉故事和村规民约。"),
    ("清廉文化墙", "wall", "主干道沿线", "以漫画形式宣传八项规定精神和村务公开。"),
    ("清风广场", "square", "村中心", "设有清廉文化宣传栏和廉政书屋。"),
    ("廉政步道", "trail", "沿河绿道", "步道沿线设置廉政警句标牌。"),
    ("家风馆", "hall", "村党群服务中心二楼", "展示本村乡贤清廉家风事迹。"),
]
VENUE_COLOURS = [(46, 125, 50), (21, 101, 192), (183, 28, 28), (121, 85, 72)]


def venue_photo_png(number: int, width: int = 320, height: int = 240) -> bytes:
    """A made-up photo: a real PNG (the upload check reads its content), a coloured band over a pale
    ground, drawn without an imaging library."""
    import struct
    import zlib

    red, green, blue = VENUE_COLOURS[number % len(VENUE_COLOURS)]
    pale = bytes((235, 240, 235))
    band = bytes((red, green, blue))
    rows = b"".join(b"\x00" + (band if height // 3 <= y < 2 * height // 3 else pale) * width for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


@transaction.atomic
def seed_venues(*, district: District, staff: User, secretaries: dict[int, User], today: date | None = None) -> int:
    """Venues of the first villages of each of the county's first four townships (one to three each, the
    fourth village of each township none), the first of each township with a photo; recorded by the
    township's secretary (the staff where it has none). Nothing is made when the county has a venue
    already. Returns the venues made."""
    from . import venues
    from .models import CultureVenue

    today = today or timezone.localdate()
    if CultureVenue.objects.filter(village__township__district=district).exists():
        return 0
    made = 0
    for township_number, township in enumerate(Township.objects.filter(district=district).order_by("code")[:4]):
        recorder = secretaries.get(township.pk, staff)
        villages = Village.objects.filter(township=township, active=True).order_by("code")[:4]
        for index, village in enumerate(villages):
            for kind_number in range((index * 2 + township_number) % 3 + 1 if index != 3 else 0):
                name, kind, where, description = VENUES[(index + kind_number) % len(VENUES)]
                photos = (
                    [SimpleUploadedFile(f"{name}.png", venue_photo_png(made), content_type="image/png")]
                    if index == 0 and kind_number == 0
                    else []
                )
                venues.venue_record(
                    township=township,
                    village=village,
                    name=f"{village.name}{name}",
                    kind=kind,
                    address=f"{village.name}{where}",
                    opened_on=date(today.year - 1 - kind_number, 3 + index, 1),
                    description=description,
                    photos=photos,
                    acting_user=recorder,
                )
                made += 1
    return made


# --- 十大评选 ---------------------------------------------------------------------------------------------------

AWARD_TITLES = {
    "person": [
        "王阿婆",
        "陈老书记",
        "林会计",
        "张监委主任",
        "李老师",
        "赵调解员",
        "周老党员",
        "吴网格员",
        "郑村医",
        "黄乡贤",
        "何老干部",
        "徐志愿者",
    ],
    "family_rules": [
        "勤俭持家 清白做人",
        "不义之财不取",
        "耕读传家 廉洁奉公",
        "家和万事兴 清廉传家风",
        "忠厚传家 诗书继世",
        "俭以养德 廉以立身",
        "知足常乐 不贪不占",
        "公私分明 克己奉公",
        "以廉为荣 以贪为耻",
        "守本分 不伸手",
        "严以律己 宽以待人",
        "清白传家 廉洁自律",
    ],
    "story": [
        "一本账簿",
        "退回的红包",
        "三块钱的车费",
        "拒收的土特产",
        "村口的公开栏",
        "老书记的旧自行车",
        "一碗面的规矩",
        "分文不差的集体账",
        "让出的宅基地",
        "修路不收好处",
        "夜里的村务公开会",
        "一张收据",
    ],
}
AWARD_STORIES = {
    "person": "{village}的{title}几十年如一日管好集体的每一分钱，村里的账目月月公开、笔笔清楚，群众都说信得过。",
    "family_rules": "“{title}”是{village}一户人家代代相传的家训，子孙在村里任职从不沾集体一分便宜。",
    "story": "《{title}》讲的是{village}村干部在工程发包中守住底线、把好处挡在门外的真事，已在全镇宣讲季中讲过多次。",
}
AWARD_NOMINATIONS = 12  # per category: the eleven first shortlisted, the last set aside


def _award_contest(
    district: District, staff: User, secretaries: dict[int, User], year: int, opens: datetime, closes: datetime
) -> tuple[AwardContest, list[Nomination]]:
    """A contest with twelve nominations in each category from the townships in turn (the secretary's own;
    a photo on every third), eleven shortlisted, in its public vote from `opens` to `closes`."""
    from . import awards

    contest = awards.contest_open(district=district, year=year, title="清廉文化十大评选", acting_user=staff)
    townships = list(Township.objects.filter(district=district).order_by("code"))
    shortlisted = []
    for category, titles in AWARD_TITLES.items():
        for number, title in enumerate(titles[:AWARD_NOMINATIONS]):
            township = townships[number % len(townships)]
            village = Village.objects.filter(township=township, active=True).order_by("code").first()
            nominator = secretaries.get(township.pk, staff)
            nomination = awards.nomination_create(
                contest=contest,
                category=category,
                township=township,
                village=village,
                title=title,
                story=AWARD_STORIES[category].format(village=village.name if village else township.name, title=title),
                acting_user=nominator,
            )
            if number % 3 == 0:
                photo = SimpleUploadedFile(f"{title}.png", venue_photo_png(number), content_type="image/png")
                awards.nomination_photos_attach(nomination=nomination, uploads=[photo], acting_user=nominator)
            keep = number < AWARD_NOMINATIONS - 1
            nomination = awards.nomination_decide(nomination=nomination, shortlisted=keep, acting_user=staff)
            if keep:
                shortlisted.append(nomination)
    contest = awards.contest_shortlist(
        contest=contest, version=contest.version, vote_opens_at=opens, vote_closes_at=closes, acting_user=staff
    )
    return contest, shortlisted


def _award_votes(shortlisted: list[Nomination], at: datetime, seed: int) -> None:
    """Made-up votes, a different number for each nomination, each from a browser of its own."""
    from . import awards

    for number, nomination in enumerate(shortlisted):
        for ballot in range((number * 7 + seed) % 13 + 1):
            awards.vote_cast(nomination=nomination, ballot=f"demo-{nomination.pk}-{ballot}", now=at)


@transaction.atomic
def seed_awards(*, district: District, staff: User, secretaries: dict[int, User], now: datetime | None = None) -> int:
    """Last year's 十大评选, voted and published with its ten of each category, and this year's in its
    public vote now (opened two days ago, closing in two weeks), with some votes (shown when it closes).
    Nothing is made when the county has a contest already. Returns the contests made."""
    from . import awards

    now = now or timezone.now()
    if AwardContest.objects.filter(district=district).exists():
        return 0
    last_opens = now.replace(year=now.year - 1, month=9, day=1, hour=8, minute=0, second=0, microsecond=0)
    last, shortlisted = _award_contest(
        district, staff, secretaries, now.year - 1, last_opens, last_opens + timedelta(days=20)
    )
    _award_votes(shortlisted, last_opens + timedelta(days=3), seed=5)
    awards.contest_publish(contest=last, version=last.version, acting_user=staff, now=last_opens + timedelta(days=21))
    _current, shortlisted = _award_contest(
        district, staff, secretaries, now.year, now - timedelta(days=2), now + timedelta(days=14)
    )
    _award_votes(shortlisted, now, seed=2)
    return 2


# --- 典型案例通报 ------------------------------------------------------------------------------------------------

BULLETIN_FOREWORD = (
    "为深化以案促改、以案促治，推动村（社区）干部知敬畏、存戒惧、守底线，现将近期查处的村干部违纪违法"
    "典型案例通报如下。各镇（街道）要组织召开通报会，开展警示教育。"
)
# (what was done, the lesson): written for any post, naming no one.
BULLETIN_CASES = [
    (
        "利用负责村级工程项目发包的职务便利，先后收受施工方所送购物卡、现金共计2.6万元，并违规指定施工单位。",
        "工程项目是村级权力运行的风险点，村干部要严格执行村级工程招投标和“阳光公开”制度，守住廉洁底线。",
    ),
    (
        "在村集体资金管理中，以虚列劳务费的方式套取集体资金1.8万元，用于村两委成员吃喝。",
        "集体资金是群众的“钱袋子”，必须纳入村账镇代理，严格执行财务审批，不得坐收坐支、虚列支出。",
    ),
    (
        "在低保评定工作中优亲厚友，为不符合条件的亲属违规办理低保，群众反映强烈。",
        "惠民政策必须公平公正公开，村干部要自觉接受村务监督委员会和群众监督，严禁优亲厚友。",
    ),
]


@transaction.atomic
def seed_bulletins(*, district: District, staff: User, secretaries: dict[int, User], today: date | None = None) -> int:
    """This year's first 典型案例通报, built by the staff from up to three of the county's recorded sanctions
    (another handling where there are too few), issued a month ago, and the 通报会 held since by the first
    half of the townships (their secretaries record it; the staff where a township has none). Nothing is made
    when the county has a bulletin already. Returns the cases made."""
    from inspections.models import PersonHandled

    from . import bulletins
    from .bulletin_selectors import case_draft
    from .models import CaseBulletin

    today = today or timezone.localdate()
    if CaseBulletin.objects.filter(district=district).exists():
        return 0
    issued_on = max(date(today.year, 1, 1), today - timedelta(days=30))
    recorded = PersonHandled.objects.filter(round__district=district, decided_on__lte=issued_on)
    persons = list(recorded.filter(handling__in=PersonHandled.SANCTIONS).order_by("-decided_on", "id")[:3])
    persons += list(recorded.exclude(pk__in=[person.pk for person in persons]).order_by("-decided_on", "id"))[
        : 3 - len(persons)
    ]
    if not persons:
        return 0
    bulletin = bulletins.bulletin_create(
        district=district,
        title=f"{today.year}年第1期村干部违纪违法典型案例通报",
        foreword=BULLETIN_FOREWORD,
        acting_user=staff,
    )
    for person, (facts, lesson) in zip(persons, BULLETIN_CASES, strict=False):
        draft = case_draft(PersonHandled.objects.select_related("village__township").get(pk=person.pk))
        bulletins.case_add(
            bulletin=bulletin,
            version=bulletin.version,
            person=person,
            post=draft["post"],
            facts=facts,
            handling=draft["handling"],
            lesson=lesson,
            acting_user=staff,
        )
        bulletin.refresh_from_db()
    bulletin = bulletins.bulletin_issue(bulletin=bulletin, version=bulletin.version, acting_user=staff, today=issued_on)
    townships = list(Township.objects.filter(district=district).order_by("code"))
    for number, township in enumerate(townships[: (len(townships) + 1) // 2]):
        bulletins.meeting_record(
            bulletin=bulletin,
            township=township,
            held_on=min(today, issued_on + timedelta(days=3 + number)),
            attendance=40 + 7 * number,
            acting_user=secretaries.get(township.pk, staff),
            today=today,
        )
    return len(persons)
