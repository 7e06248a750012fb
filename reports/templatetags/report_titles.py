from django import template

from reports.models import ReportVersion
from reports.selectors import version_title

register = template.Library()


@register.filter
def report_title(version: ReportVersion) -> str:
    """路桥街道 2025年度分析报告 · 2026-03-02 版: a download link says whose report, which year, which day."""
    return version_title(version)
