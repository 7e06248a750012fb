from django import template
from django.urls import reverse

from reports.models import CityReportVersion, ReportVersion
from reports.selectors import version_title

register = template.Library()


@register.filter
def report_title(version: ReportVersion | CityReportVersion) -> str:
    """路桥街道 2025年度分析报告 · 2026-03-02 版: a download link says whose report, which year, which day."""
    return version_title(version)


@register.filter
def report_url(version: ReportVersion | CityReportVersion) -> str:
    """Where a version is downloaded: a county's reports and the city's have their own address."""
    name = "reports:city_download" if isinstance(version, CityReportVersion) else "reports:download"
    return reverse(name, args=[version.pk])


@register.filter
def cell(cells: dict, key: str):
    """A county's cell of the city report's comparison, by figure key."""
    return cells[key]
