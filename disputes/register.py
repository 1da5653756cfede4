"""The public register of published decisions (issue 17, docs/publication.md "Het register"): ``/uitspraken/``.

No log-in. Everything shown comes from a publication's ``published_sections`` (the text with the personal data
replaced, frozen when a second person approved it) and its public fields; ``sections`` (the original text) is never
read here, nor loaded. Every page is cacheable: ``Cache-Control: public, max-age=300`` for anonymous visitors, an
ETag and Last-Modified from the register's latest change (one query), and no session or CSRF cookie.

- ``register_list``: published and withdrawn decisions, newest decision first, 20 a page, with a search (``q``) and
  filters (``jaar``, ``soort``, ``gemeente``); a fixed number of queries whatever the register holds.
- ``register_detail``: the published text of one decision, or the notice that it was withdrawn (with the reason).
- ``register_pdf``: the published PDF, inline; 410 Gone once withdrawn.
- ``register_json``: the decision's Woo metadata (DiWoo-like; docs/register-metadata.schema.json).
- ``register_feed``: an Atom feed of the latest 50 publications (a withdrawn one stays, saying so).
"""

import json
from functools import wraps

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, OuterRef, Q, TextField
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse, HttpResponseGone, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from . import clock, paging
from .models import DisputeKind, Publication, PublicationStatus

#: what the register shows: published decisions and the ones withdrawn afterwards (with the withdrawal)
SHOWN = (PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN)
PER_PAGE = 20
#: the search box takes this many characters; a search counts (and pages through) at most this many results
MAX_QUERY = 200
MAX_RESULTS = 1000
FEED_ENTRIES = 50
#: the Woo's responsible body and publisher of the decisions
RESPONSIBLE_BODY = "Minister van Volkshuisvesting en Ruimtelijke Ordening"
INFORMATION_CATEGORY = "beschikkingen"
#: the metadata's words for the two statuses: the statuses' names ("published", "withdrawn"; a withdrawn
#: publication's stored value is "retracted", so as not to read as the case's state)
METADATA_PUBLISHED = PublicationStatus.PUBLISHED.name.lower()
METADATA_WITHDRAWN = PublicationStatus.WITHDRAWN.name.lower()
#: the columns a list row, the feed and the metadata read: never ``sections`` (the original text), nor the PDF bytes
LIST_FIELDS = ("id", "slug", "status", "title", "decided_on", "municipality", "kind", "published_at", "withdrawn_at",
               "withdrawal_reason")


def _register():
    """One row per address: the latest published or withdrawn publication of each slug (a case's withdrawn
    publication makes room for a new one under the same address; the register shows only the newest)."""
    newer = Publication.objects.filter(slug=OuterRef("slug"), status__in=SHOWN,
                                       published_at__gt=OuterRef("published_at"))
    return Publication.objects.filter(status__in=SHOWN).filter(~Exists(newer))


def _latest(slug: str, *fields: str) -> Publication:
    found = (Publication.objects.filter(slug=slug, status__in=SHOWN).order_by("-published_at")
             .only("id", "slug", "status", *fields).first())
    if found is None:  # unknown, or prepared and not yet published
        raise Http404(_("Deze uitspraak staat niet in het register."))
    return found


def _kind_label(kind: str) -> str:
    return str(dict(DisputeKind.choices).get(kind, kind))


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


# -- caching ----------------------------------------------------------------------------------------------------------

def _changed(request):
    """When the register last changed (the latest publication or withdrawal) and how many it shows and has
    withdrawn (two changes within the same instant still differ): one query, once per request."""
    if not hasattr(request, "_register_changed"):
        found = Publication.objects.filter(status__in=SHOWN).aggregate(
            last_published=Max("published_at"), last_withdrawal=Max("withdrawn_at"), shown=Count("id"),
            withdrawals=Count("withdrawn_at"))
        moments = (found["last_published"], found["last_withdrawal"])
        latest = max((moment for moment in moments if moment is not None), default=None)
        request._register_changed = (latest, found["shown"], found["withdrawals"])
    return request._register_changed


def _last_modified(request, *args, **kwargs):
    return _changed(request)[0]


def _etag(request, *args, **kwargs):
    """The register's last change, the language and who asks (the header differs for a logged-in user)."""
    latest, shown, withdrawals = _changed(request)
    user = getattr(request, "user", None)
    who = f"u{user.pk}" if user is not None and user.is_authenticated else "a"
    return f'"{latest.timestamp() if latest else 0:.6f}-{shown}-{withdrawals}-{get_language()}-{who}"'


def cacheable(view):
    """GET and HEAD only; ETag and Last-Modified from the register's last change (a 304 when nothing changed);
    ``public, max-age=300`` for anonymous visitors. A logged-in user's page names them in the header (and carries
    the log-out form's token): private, revalidated each time."""

    conditional = require_safe(condition(etag_func=_etag, last_modified_func=_last_modified)(view))

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, max_age=300)
        return response

    return wrapper


def _public_context(request) -> dict:
    """For an anonymous visitor no CSRF token on the page (a token is personal: the page is shared by caches, and
    rendering one would set the CSRF cookie); the pages have no form that posts."""
    return {} if request.user.is_authenticated else {"csrf_token": "NOTPROVIDED", "public_page": True}


# -- the list ---------------------------------------------------------------------------------------------------------

def _search(queryset, q: str):
    """Title, gemeente and published text, case-insensitive. The published text is searched in its stored JSON
    form, so also as JSON writes the words (non-ASCII escaped as \\uXXXX on SQLite)."""
    text = Q(published_text__icontains=q)
    for variant in {q, q.lower(), q.capitalize()}:  # SQLite folds the case of ASCII letters only
        escaped = json.dumps(variant)[1:-1]
        if escaped != q:
            text |= Q(published_text__icontains=escaped)
    return (queryset.annotate(published_text=Cast("published_sections", TextField()))
            .filter(Q(title__icontains=q) | Q(municipality__icontains=q) | text))


def _filters(params) -> dict:
    q = " ".join(params.get("q", "")[:MAX_QUERY].split())
    year = params.get("jaar", "").strip()
    year = int(year) if year.isdigit() and len(year) == 4 else None
    kind = params.get("soort", "").strip()
    kind = kind if kind in DisputeKind.values else ""
    municipality = " ".join(params.get("gemeente", "")[:200].split())
    return {"q": q, "jaar": year, "soort": kind, "gemeente": municipality}


@cacheable
def register_list(request):
    chosen = _filters(request.GET)
    found = _register()
    if chosen["jaar"]:
        found = found.filter(decided_on__year=chosen["jaar"])
    if chosen["soort"]:
        found = found.filter(kind=chosen["soort"])
    if chosen["gemeente"]:
        found = found.filter(municipality=chosen["gemeente"])
    if chosen["q"]:
        found = _search(found, chosen["q"])
    found = found.order_by("-decided_on", "-published_at", "slug").only(*LIST_FIELDS)
    paginator = Paginator(found[:MAX_RESULTS], PER_PAGE)  # a COUNT over at most MAX_RESULTS rows
    page = paginator.get_page(request.GET.get("pagina"))
    shown = Publication.objects.filter(status__in=SHOWN)
    years = [d.year for d in shown.dates("decided_on", "year", order="DESC")]
    municipalities = list(shown.order_by("municipality").values_list("municipality", flat=True).distinct())
    params = {key: str(value) for key, value in chosen.items() if value}
    publications = list(page.object_list)
    for publication in publications:
        publication.kind_label = _kind_label(publication.kind)
    return render(request, "register/list.html", {
        **_public_context(request),
        "page": page,
        "publications": publications,
        "pager": paging.pager(page, params),
        "chosen": chosen,
        "filtered": bool(params),
        "capped": paginator.count >= MAX_RESULTS,
        "max_results": MAX_RESULTS,
        "max_query": MAX_QUERY,
        "years": years,
        "kinds": DisputeKind.choices,
        "municipalities": municipalities,
        "status_withdrawn": PublicationStatus.WITHDRAWN,
    })


# -- one decision -----------------------------------------------------------------------------------------------------

@cacheable
def register_detail(request, slug: str):
    publication = _latest(slug, *LIST_FIELDS, "published_sections")
    withdrawn = publication.status == PublicationStatus.WITHDRAWN
    return render(request, "register/detail.html", {
        **_public_context(request),
        "publication": publication,
        "is_withdrawn": withdrawn,
        "withdrawn_on": clock.localdate(publication.withdrawn_at) if withdrawn and publication.withdrawn_at else None,
        "sections": [] if withdrawn else publication.published_sections,
        "kind_label": _kind_label(publication.kind),
    })


@cacheable
def register_pdf(request, slug: str):
    publication = _latest(slug, "pdf")
    if publication.status == PublicationStatus.WITHDRAWN:
        return HttpResponseGone(_("Deze publicatie is ingetrokken."), content_type="text/plain; charset=utf-8")
    if not publication.pdf:
        raise Http404(_("Deze uitspraak staat niet in het register."))
    response = HttpResponse(bytes(publication.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{publication.slug}.pdf"'
    return response


def metadata(publication: Publication) -> dict:
    """The decision's Woo metadata (DiWoo-like; docs/register-metadata.schema.json). The information category is
    given by name only: its TOOI URI could not be verified here (docs/publication.md)."""
    body = {"name": RESPONSIBLE_BODY}
    data = {
        "identifier": publication.slug,
        "title": publication.title,
        "date": publication.decided_on.isoformat(),
        "published": publication.published_at.astimezone(clock.AMSTERDAM).isoformat(),  # set when published
        "informationCategory": INFORMATION_CATEGORY,
        "responsibleBody": body,
        "publisher": dict(body),
        "municipality": publication.municipality,
        "kind": publication.kind,
        "language": "nl",
        "url": _absolute(reverse("register-detail", args=[publication.slug])),
        "status": METADATA_WITHDRAWN if publication.status == PublicationStatus.WITHDRAWN else METADATA_PUBLISHED,
    }
    if data["status"] == METADATA_PUBLISHED:
        data["pdf"] = _absolute(reverse("register-pdf", args=[publication.slug]))
    else:
        data[METADATA_WITHDRAWN] = {
            "date": clock.localdate(publication.withdrawn_at).isoformat() if publication.withdrawn_at else None,
            "reason": publication.withdrawal_reason,
        }
    return data


@cacheable
def register_json(request, slug: str):
    publication = _latest(slug, *LIST_FIELDS)
    return JsonResponse(metadata(publication), content_type="application/json; charset=utf-8",
                        json_dumps_params={"ensure_ascii": False, "indent": 2})


# -- the Atom feed ----------------------------------------------------------------------------------------------------

class RegisterFeed(Feed):
    """The latest publications, newest first; a withdrawn one stays, its summary saying so (and its ``updated`` the
    moment of the withdrawal), so a reader learns of it."""

    feed_type = Atom1Feed
    author_name = RESPONSIBLE_BODY

    def title(self):
        return _("Uitspraken geschilbeslechting prestatieafspraken")

    def subtitle(self):
        return _("Bindende uitspraken van de Minister over prestatieafspraken, zonder persoonsgegevens.")

    def link(self):
        return _absolute(reverse("register-list"))

    def feed_url(self):
        return _absolute(reverse("register-feed"))

    def items(self):
        return list(_register().order_by("-published_at", "slug").only(*LIST_FIELDS)[:FEED_ENTRIES])

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return _absolute(reverse("register-detail", args=[item.slug]))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.withdrawn_at or item.published_at

    def item_description(self, item):
        decided = formats.date_format(item.decided_on, "j F Y")
        kind = _kind_label(item.kind)
        if item.status == PublicationStatus.WITHDRAWN:
            return _("Deze publicatie is ingetrokken op %(date)s. Reden: %(reason)s") % {
                "date": formats.date_format(clock.localdate(item.withdrawn_at), "j F Y") if item.withdrawn_at else "",
                "reason": item.withdrawal_reason}
        return _("Uitspraak van %(date)s; gemeente %(municipality)s; %(kind)s.") % {
            "date": decided, "municipality": item.municipality, "kind": kind.lower()}


_FEED = RegisterFeed()


@cacheable
def register_feed(request):
    return _FEED(request)
