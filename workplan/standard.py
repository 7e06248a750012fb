"""The default plan staff copy into a year and edit: the four areas and twelve tasks of Luqiao's
《关于加快推进全区“清廉乡村”建设的实施意见》 ("4方面12项工作", seeds/000), in the article's own words where
it gives them. Deadlines are days after 1 January of the plan's year; units as the document names them.
"A township" among the responsible units stands for every township of the county (各镇（街道）)."""

from dataclasses import dataclass

EVERY_TOWNSHIP = "各镇（街道）"
TITLE = "%(year)s年关于加快推进“清廉乡村”建设的实施意见"


@dataclass(frozen=True)
class StandardTask:
    title: str
    lead_unit: str
    responsible_units: str
    due_after_days: int
    townships: bool = False  # every township of the county is a responsible unit


STANDARD_PLAN: tuple[tuple[str, tuple[StandardTask, ...]], ...] = (
    (
        "组织领导",
        (
            StandardTask("研究部署“清廉乡村”建设，制定年度实施意见和工作要点", "区纪委区监委", "区委组织部", 60),
            StandardTask(
                "召开全区“清廉乡村”建设推进会，落实牵头单位和责任单位", "区纪委区监委", EVERY_TOWNSHIP, 90, True
            ),
            StandardTask("开展年度考核，纳入党风廉政建设责任制考核", "区纪委区监委", "区委组织部", 350),
        ),
    ),
    (
        "监督执纪",
        (
            StandardTask("开展村居清廉指数评定并向社会公布", "区纪委党风政风监督室", EVERY_TOWNSHIP, 120, True),
            StandardTask(
                "对排名末三位的村居开展“清廉问诊”，组织结对帮扶", "区纪委党风政风监督室", EVERY_TOWNSHIP, 180, True
            ),
            StandardTask("开展农村基层作风巡查和“回头看”", "区委巡察办", EVERY_TOWNSHIP, 270, True),
        ),
    ),
    (
        "文化育廉",
        (
            StandardTask("举办“清廉文化大讲堂”宣讲季活动，实现“两个全覆盖”", "区纪委宣传部", EVERY_TOWNSHIP, 240, True),
            StandardTask("评选“十大清廉人物”“十大清廉家训家规”“十大清廉故事”", "区纪委宣传部", "区委宣传部", 300),
            StandardTask("培育建设廉园、廉廊、廉墙等清廉文化阵地", "区纪委宣传部", EVERY_TOWNSHIP, 330, True),
        ),
    ),
    (
        "示范建设",
        (
            StandardTask("落实“四清”标准，制定“清廉乡村”创建规范", "区纪委区监委", "区农业农村局", 90),
            StandardTask("对A类村居开展“清廉乡村”培育提升工程", "区纪委党风政风监督室", EVERY_TOWNSHIP, 300, True),
            StandardTask("命名一批“清廉乡村”示范村并总结推广经验", "区纪委区监委", EVERY_TOWNSHIP, 350, True),
        ),
    ),
)
