"""The printable 典型案例通报: HTML laid out by WeasyPrint into an A4 PDF in Chinese, marked 内部资料.

One bulletin is a few pages (≈ 0.2 s a page with a CJK font, STACK.md), so it is built in the request that
asks for it, never stored: the PDF always says what the bulletin says now. As in the reports (whose app
culture may not import), the style is inline, the font is named on `html` (so the page's header and
footer use it too), and WeasyPrint gets a URL fetcher that fetches nothing: the staff's texts can never
make it read a file or reach the network."""

from django.template.loader import render_to_string

from .bulletin_selectors import bulletin_cases
from .models import CaseBulletin


class FetchRefused(ValueError):
    pass


def refuse_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """WeasyPrint's URL fetcher: everything the bulletin needs is inline, so nothing is ever fetched."""
    raise FetchRefused(f"the bulletin fetches nothing ({url[:80]})")


def bulletin_html(bulletin: CaseBulletin) -> str:
    return render_to_string(
        "culture/bulletin_pdf.html", {"bulletin": bulletin, "cases": list(bulletin_cases(bulletin))}
    )


def bulletin_pdf(bulletin: CaseBulletin) -> bytes:
    # Imported here: WeasyPrint loads Pango and its fonts, which a process that never prints should not pay for.
    from weasyprint import HTML

    return HTML(string=bulletin_html(bulletin), url_fetcher=refuse_fetch, base_url="lianjie:bulletin").write_pdf()  # type: ignore[no-any-return]
