"""Default reference data of the organisation tree: the kinds of grassroots station (基层站所) a township
hosts, in the order the register lists them. Loaded by villages.services.station_kinds_ensure (the demo and
the tests call it); the system administrator edits the list in the admin."""

STATION_KINDS: tuple[str, ...] = (
    "派出所",
    "自然资源所",
    "市场监管所",
    "司法所",
    "财政所",
    "供电所",
    "税务分局",
    "农业服务中心",
    "综合行政执法中队",
    "卫生院",
)
# A kind's position leaves room for the administrator to put one between two defaults.
POSITION_STEP = 10
