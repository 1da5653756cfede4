"""The dashboard's charts: SVG drawn on the server with pygal, made fit to inline under our CSP.

pygal writes a ``<script>`` (its configuration) and a ``<style>`` into every SVG, and a ``style`` attribute on its
tooltip; the CSP (``script-src 'self'``, ``style-src 'self'``) refuses all three inline. So the chart is drawn
without pygal's stylesheets and scripts, those elements and attributes are taken out of the SVG, and the page's
own stylesheet (static/css/site.css, "Dashboard charts") colours it through pygal's classes. The SVG is one
image for assistive technology (``role="img"``, named by its ``<title>`` and ``<desc>``); the table after it
carries the numbers.
"""

import xml.etree.ElementTree as ET

import pygal
from django.utils.safestring import mark_safe

from .dashboard import Figure

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", XLINK)

_CHARTS = {"bar": pygal.Bar, "hbar": pygal.HorizontalBar}
#: what pygal adds that the CSP refuses, or that needs its script: taken out of the drawing
_DROP = {f"{{{SVG}}}script", f"{{{SVG}}}style", f"{{{SVG}}}defs"}


def render(figure: Figure, *, chart_id: str) -> str:
    """The figure as an inline SVG (safe to put in a template), or "" for a figure without rows."""
    if figure.empty:
        return ""
    chart = _CHARTS[figure.chart](
        js=[], css=[], no_prefix=True, disable_xml_declaration=True, explicit_size=False,
        width=800, height=max(300, 80 + 45 * len(figure.rows)) if figure.chart == "hbar" else 400,
        show_legend=len(figure.series) > 1, legend_at_bottom=True, print_values=False,
        x_label_rotation=0 if len(figure.rows) <= 8 else 45, truncate_label=40, margin=16,
        spacing=12, tooltip_fancy_mode=False, show_minor_x_labels=True, no_data_text="",
    )
    # pygal draws a horizontal chart's first row at the bottom: reversed, it reads top-down like the table
    order = (lambda items: list(reversed(items))) if figure.chart == "hbar" else list
    chart.x_labels = order(figure.labels)
    for name, values in figure.series.items():
        chart.add(str(name), order(values))
    ticks = _whole_ticks(figure)
    if ticks:
        chart.config.y_labels = ticks  # counts: whole numbers on the axis, not 0.2, 0.4, ...
    return mark_safe(_clean(chart.render(is_unicode=True), figure, chart_id))  # noqa: S308 - built here, cleaned


def _whole_ticks(figure: Figure) -> list[int]:
    """For a figure of counts, about eight whole-number ticks from 0 past the largest; none for other figures."""
    values = [v for series in figure.series.values() for v in series if v is not None]
    if not values or not all(isinstance(v, int) for v in values):
        return []
    top = max(max(values), 1)
    step = max(1, -(-top // 8))
    return list(range(0, top + step, step))


def _clean(svg: str, figure: Figure, chart_id: str) -> str:
    root = ET.fromstring(svg)
    _strip(root)
    for key in [k for k in root.attrib if k not in ("viewBox", "class")]:
        del root.attrib[key]
    root.set("id", chart_id)
    root.set("class", "pygal-chart dashboard-chart")
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title")
    root.set("aria-describedby", f"{chart_id}-desc")
    root.set("focusable", "false")
    desc = ET.Element(f"{{{SVG}}}desc", {"id": f"{chart_id}-desc"})
    desc.text = str(figure.description)
    title = ET.Element(f"{{{SVG}}}title", {"id": f"{chart_id}-title"})
    title.text = str(figure.title)
    root.insert(0, desc)
    root.insert(0, title)
    return ET.tostring(_plain_names(root), encoding="unicode", short_empty_elements=True)


def _plain_names(root):
    """The SVG with its namespaces written out by hand (``xmlns``, ``xlink:``) rather than through ElementTree's
    process-wide prefix registry: another library may re-register the empty prefix (WeasyPrint does, for the
    letters' XMP), after which the registry would write "<ns0:svg>" and the page would show no chart."""
    uses_xlink = False
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith(f"{{{SVG}}}"):
            element.tag = element.tag[len(SVG) + 2:]
        for key in [k for k in element.attrib if k.startswith(f"{{{XLINK}}}")]:
            element.attrib[f"xlink:{key[len(XLINK) + 2:]}"] = element.attrib.pop(key)
            uses_xlink = True
    root.set("xmlns", SVG)
    if uses_xlink:
        root.set("xmlns:xlink", XLINK)
    return root


def _strip(element) -> None:
    """Take out, everywhere below ``element``: scripts, styles, the tooltips' ``<title>`` (the graph is one image;
    its numbers are in the table), the tooltip group, every ``style`` attribute and pygal's ids."""
    for child in list(element):
        classes = child.get("class", "").split()
        if child.tag in _DROP or child.tag == f"{{{SVG}}}title" or "tooltip" in classes:
            element.remove(child)
            continue
        child.attrib.pop("style", None)
        child.attrib.pop("id", None)  # pygal's ids repeat in every chart of the page
        _strip(child)
