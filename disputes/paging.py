"""Numbered pages for a long list (Django's Paginator), with links that keep the list's filters and sort."""

from urllib.parse import urlencode

from django.core.paginator import Page


def page_links(page: Page, params: dict) -> list[dict]:
    """The links of a page bar: the first and last pages, two either side of the current one and ``None`` for
    the gaps between (``Paginator.get_elided_page_range``); each link keeps ``params`` (filters, sort)."""
    if page.paginator.num_pages <= 1:
        return []
    kept = {key: value for key, value in params.items() if value and key != "pagina"}
    links = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            links.append({"number": None, "url": "", "current": False})
        else:
            links.append({"number": number, "url": "?" + urlencode({**kept, "pagina": number}),
                          "current": number == page.number})
    return links


def neighbour_url(page: Page, params: dict, number: int | None) -> str:
    """The link to page ``number`` (previous or next) keeping ``params``; empty when there is none."""
    if number is None:
        return ""
    kept = {key: value for key, value in params.items() if value and key != "pagina"}
    return "?" + urlencode({**kept, "pagina": number})


def pager(page: Page, params: dict) -> dict:
    """What ``templates/_pagination.html`` shows."""
    return {
        "page": page,
        "links": page_links(page, params),
        "previous_url": neighbour_url(page, params, page.previous_page_number() if page.has_previous() else None),
        "next_url": neighbour_url(page, params, page.next_page_number() if page.has_next() else None),
    }
