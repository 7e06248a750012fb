"""The default star criteria (评星标准), after Shaoxing's seven dimensions: items worth 100 points in
all, the points each level needs, and four veto items. An example: each year's criteria are copied
from the year before and edited by the system administrator."""

from .models import StarVetoItem

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
