"""The default criteria of the three subjects, examples that each year's criteria are copied from and
the system administrator edits: the villages' star criteria (评星标准), after Shaoxing's seven dimensions,
items worth 100 points in all, the points each level needs and four veto items; the townships' five
standards of 勤廉双优示范乡镇; the grassroots stations' 群众满意基层站所, which also need the villagers'
satisfaction."""

from dataclasses import dataclass, field
from decimal import Decimal

from .models import StarVetoItem, Subject

DIMENSIONS = [
    (
        "ZD",
        "制度建设",
        [
            ("ZD1", "村级重大事项“五议两公开”决策制度健全并执行", "6"),
            ("ZD2", "村务监督委员会工作制度落实", "6"),
        ],
    ),
    (
        "GK",
        "村务公开",
        [
            ("GK1", "党务、村务、财务公开内容全面", "5"),
            ("GK2", "财务逐月公开、按时公开", "5"),
            ("GK3", "群众对公开事项的意见及时答复", "4"),
        ],
    ),
    (
        "SZ",
        "三资管理",
        [
            ("SZ1", "集体资金收支规范，实行村账镇代理", "6"),
            ("SZ2", "集体资产登记造册、台账完整", "5"),
            ("SZ3", "集体资源发包出租程序合法、公开", "5"),
        ],
    ),
    (
        "ZB",
        "工程项目招投标",
        [
            ("ZB1", "村级工程项目进入公共资源交易平台", "6"),
            ("ZB2", "招投标程序公开透明", "4"),
            ("ZB3", "工程竣工决算审计", "4"),
        ],
    ),
    (
        "ZZ",
        "村级组织建设",
        [
            ("ZZ1", "村两委班子团结、运转有序", "6"),
            ("ZZ2", "党员队伍教育管理", "5"),
            ("ZZ3", "村务监督委员会作用发挥", "5"),
        ],
    ),
    (
        "FZ",
        "经济社会发展",
        [
            ("FZ1", "村集体经济收入增长", "6"),
            ("FZ2", "社会和谐稳定，无群体性事件", "6"),
        ],
    ),
    (
        "LJ",
        "党员干部廉洁",
        [
            ("LJ1", "村干部廉洁自律承诺与践诺", "6"),
            ("LJ2", "党员干部无违纪违法行为", "6"),
            ("LJ3", "廉政教育经常开展", "4"),
        ],
    ),
]
VETO_ITEMS = [
    ("FJ1", "村干部当年受到党纪政务处分", StarVetoItem.Rule.CADRE_SANCTION),
    ("FJ2", "当年清廉指数存在一票否决事项", StarVetoItem.Rule.INDEX_VETO),
    ("FJ3", "当年清廉指数评为C类", StarVetoItem.Rule.INDEX_GRADE_C),
    ("FJ4", "其他经查实的否决事项", StarVetoItem.Rule.RECORDED),
]

# 勤廉双优示范乡镇: Shaoxing's five standards, each worth 20 points; 85 points pass.
TOWNSHIP_DIMENSIONS = [
    (
        "ZL",
        "党员干部廉洁自律",
        [("ZL1", "班子成员廉洁自律，无违纪违法问题", "12"), ("ZL2", "落实廉政谈话、述责述廉", "8")],
    ),
    (
        "QL",
        "公共权力运行规范",
        [("QL1", "重大事项决策“五有一化”，及时上报", "12"), ("QL2", "权力清单、小微权力公开运行", "8")],
    ),
    (
        "ZF",
        "作风优良办事高效",
        [("ZF1", "便民服务一站式、限时办结", "12"), ("ZF2", "无“四风”问题被查处", "8")],
    ),
    (
        "DQ",
        "党群干群关系密切",
        [("DQ1", "干部常态化进村走访、主动下访", "12"), ("DQ2", "信访事项及时就地化解", "8")],
    ),
    (
        "BZ",
        "创建工作保障有力",
        [("BZ1", "创建工作纳入年度重点、专人负责", "10"), ("BZ2", "清廉村居创建经费、阵地落实", "10")],
    ),
]
# 群众满意基层站所: service, efficiency, integrity, openness and the people's word; 85 points and 85% pass.
STATION_DIMENSIONS = [
    ("FW", "服务态度", [("FW1", "文明服务、首问负责", "10"), ("FW2", "无“门难进、脸难看、事难办”投诉", "10")]),
    ("XL", "办事效率", [("XL1", "承诺时限内办结", "10"), ("XL2", "一次性告知、最多跑一次", "10")]),
    ("LJ", "廉洁自律", [("LJ1", "无吃拿卡要、违规收费", "12"), ("LJ2", "廉政风险点排查防控", "8")]),
    ("GK", "公开透明", [("GK1", "办事依据、流程、收费标准公开", "10"), ("GK2", "接受群众监督渠道畅通", "10")]),
    ("MY", "群众评议", [("MY1", "群众意见建议办理反馈", "20")]),
]


@dataclass(frozen=True)
class SubjectDefault:  # 一类对象的默认标准
    dimensions: list
    veto_items: list = field(default_factory=list)
    settings: dict = field(default_factory=dict)  # StarCriteria fields that differ from the villages'


SUBJECTS = {
    Subject.VILLAGE: SubjectDefault(DIMENSIONS, VETO_ITEMS),
    Subject.TOWNSHIP: SubjectDefault(
        TOWNSHIP_DIMENSIONS, settings={"top_level": 1, "township_decides_up_to": 0, "min_points_1": Decimal("85")}
    ),
    Subject.STATION: SubjectDefault(
        STATION_DIMENSIONS,
        settings={
            "top_level": 1,
            "township_decides_up_to": 0,
            "min_points_1": Decimal("85"),
            "min_satisfaction": Decimal("85"),
        },
    ),
}
