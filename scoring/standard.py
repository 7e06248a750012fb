"""The default "四清" scheme: 班子清廉, 干部清正, 村务清爽, 民风清朗 — 23 indicators summing to 100, bonus
items capped at 5 and veto items. Marked as an example: each commission adjusts it (copy, then edit)."""

from decimal import Decimal

NAME = "四清标准"
CATEGORIES = [
    (
        "BZ",
        "班子清廉",
        [
            ("BZ1", "落实全面从严治党主体责任", "5", "未研究部署党风廉政建设的扣2分；责任清单未落实的每项扣1分。"),
            ("BZ2", "“三重一大”事项集体决策", "5", "重大事项未经集体讨论决定的每次扣2分。"),
            ("BZ3", "村级组织换届风气", "4", "换届中有拉票贿选等问题被查实的扣4分。"),
            ("BZ4", "村务监督委员会履职", "4", "村监会未按规定列席会议、审核票据的每次扣1分。"),
            ("BZ5", "党组织生活规范", "4", "“三会一课”记录缺失的每次扣1分。"),
            ("BZ6", "廉政教育开展", "3", "全年未开展廉政教育的扣3分。"),
        ],
    ),
    (
        "GB",
        "干部清正",
        [
            ("GB1", "村干部廉洁履职承诺", "4", "未签订或未公开廉洁履职承诺的扣2分。"),
            ("GB2", "违规收受礼金礼品", "5", "查实违规收受礼金礼品的每人次扣2.5分。"),
            ("GB3", "优亲厚友、吃拿卡要", "5", "查实优亲厚友或吃拿卡要的每件扣2.5分。"),
            ("GB4", "村干部述职述廉", "3", "未按规定述职述廉的扣3分。"),
            ("GB5", "作风纪律", "4", "因慵懒散被通报的每次扣1分。"),
            ("GB6", "信访举报反映问题", "4", "涉纪信访经查属实的每件扣1分。"),
        ],
    ),
    (
        "CW",
        "村务清爽",
        [
            ("CW1", "村务公开及时规范", "5", "未按时公开或公开内容不全的每次扣1分。"),
            ("CW2", "集体资金管理", "5", "违规使用、坐收坐支集体资金的每笔扣1分。"),
            ("CW3", "集体资产资源管理", "5", "资产资源未经民主程序发包出租的每项扣1分。"),
            ("CW4", "工程项目招投标", "5", "应招未招或规避招标的每个项目扣2.5分。"),
            ("CW5", "惠农补贴发放", "4", "虚报冒领、截留挪用惠农补贴的每件扣2分。"),
            ("CW6", "村级财务审计整改", "3", "审计发现问题未按期整改的每项扣1分。"),
            ("CW7", "小微权力清单执行", "3", "未按清单流程运行的每件扣1分。"),
        ],
    ),
    (
        "MF",
        "民风清朗",
        [
            ("MF1", "村规民约修订执行", "5", "村规民约未修订或未执行的扣2分。"),
            ("MF2", "清廉文化阵地建设", "5", "无清廉文化阵地的扣3分。"),
            ("MF3", "家风家训宣传", "5", "未开展家风家训宣传活动的扣2分。"),
            ("MF4", "移风易俗", "5", "红白喜事大操大办被查实的每件扣1分。"),
        ],
    ),
]
BONUS = [
    ("JF1", "清廉村居建设创新做法被上级推广", "3"),
    ("JF2", "清廉村居工作获市级以上表彰", "2"),
    ("JF3", "典型经验在区级以上会议交流", "2"),
]
# (code, name, found from the inspections' sanctions of village cadres)
VETO = [
    ("FJ1", "村“两委”干部受到党纪政务处分", True),
    ("FJ2", "发生造成恶劣影响的腐败问题或群体性事件", False),
    ("FJ3", "村级组织换届中发生严重违纪违法行为", False),
]


def create_default_scheme(apps) -> None:
    """Idempotent; `apps` is a migration's historical registry or django.apps.apps."""
    Scheme = apps.get_model("scoring", "Scheme")
    Category = apps.get_model("scoring", "Category")
    Indicator = apps.get_model("scoring", "Indicator")
    BonusItem = apps.get_model("scoring", "BonusItem")
    VetoItem = apps.get_model("scoring", "VetoItem")
    scheme, created = Scheme.objects.get_or_create(name=NAME, version=1, defaults={"is_example": True})
    if not created:
        return
    for position, (code, name, indicators) in enumerate(CATEGORIES, start=1):
        category = Category.objects.create(scheme=scheme, code=code, name=name, position=position)
        for number, (ind_code, ind_name, points, guidance) in enumerate(indicators, start=1):
            Indicator.objects.create(
                scheme=scheme,
                category=category,
                code=ind_code,
                name=ind_name,
                max_points=Decimal(points),
                guidance=guidance,
                position=number,
            )
    for code, name, points in BONUS:
        BonusItem.objects.create(scheme=scheme, code=code, name=name, max_points=Decimal(points))
    # Migration 0002's historical model predates `from_sanctions`; migration 0005 sets it there.
    knows_sanctions = any(field.name == "from_sanctions" for field in VetoItem._meta.get_fields())
    for code, name, from_sanctions in VETO:
        extra = {"from_sanctions": from_sanctions} if knows_sanctions else {}
        VetoItem.objects.create(scheme=scheme, code=code, name=name, **extra)
