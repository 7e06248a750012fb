"""The default vocabulary of the use of results: the member departments (成员单位) of the leading group
that file their policies, awards, funds and projects with its office (Shaoxing: 组织、民政、财政、农办、
农业等部门), and the city-wide default eligibility rule for 评先评优 (a 1–2 star or C village is not
eligible). Both are data: seeded once, then kept by the administrators (departments) and each county's
staff (the county's own rule of a year)."""

DEPARTMENTS: tuple[str, ...] = (
    "组织部",
    "宣传部",
    "民政局",
    "财政局",
    "农办",
    "农业农村局",
    "自然资源和规划局",
    "审计局",
)

DEFAULT_MIN_STARS = 3  # 一、二星级村不得参加评先评优
DEFAULT_LOWEST_GRADE = "B"  # C档村不得参加评先评优
