"""Sessions and roster members made through the services, as the people who record them would."""

from datetime import date

from culture import services
from culture.models import Audience, Lecturer, LectureSession


def lecturer(staff, name: str = "王讲师", kind: str = Lecturer.Kind.LECTURER) -> Lecturer:
    return services.lecturer_appoint(
        district=staff.district,
        kind=kind,
        name=name,
        unit="区纪委",
        topics="党纪条规",
        appointed_on=date(2024, 1, 1),
        ended_on=None,
        acting_user=staff,
    )


def session(
    township,
    recorder,
    *,
    held_on: date = date(2025, 4, 1),
    attendance: dict | None = None,
    reach: int = 0,
    presences: dict | None = None,
    closed: bool = True,
    speakers: list | None = None,
) -> LectureSession:
    """A session of `township`; `presences` maps a village to the posts present; closed unless told."""
    made = services.session_record(
        township=township,
        held_on=held_on,
        place="党群服务中心",
        theme="学党纪 守规矩",
        speakers=speakers or [],
        online_reach=reach,
        attendance=attendance or {Audience.OTHERS: 10},
        acting_user=recorder,
    )
    if presences:
        made = services.presence_record(
            session=made,
            version=made.version,
            presences={village.pk: set(posts) for village, posts in presences.items()},
            acting_user=recorder,
        )
    if closed:
        made = services.session_close(session=made, version=made.version, summary="宣讲完毕", acting_user=recorder)
    return made
