"""Plan sections are written in Markdown; what reaches a page or a PDF is sanitised HTML."""

import markdown as markdown_lib
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "h3", "h4", "blockquote", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "a", "hr",
}  # fmt: skip


def render_markdown(text: str) -> str:
    """HTML safe to insert in a page: anything Markdown lets through is cleaned by nh3."""
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"])
    return mark_safe(  # noqa: S308 — nh3 has just removed every tag and attribute not allowed
        nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}}, link_rel="noopener")
    )
