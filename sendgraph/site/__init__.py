"""The site: HTML pages of the graph that work offline."""

from sendgraph.site.layout import layout_positions
from sendgraph.site.network_page import render_view
from sendgraph.site.pages import View, site_pages, site_views, write_site
from sendgraph.site.style import tooltip_text, truncate_label

__all__ = ["View", "layout_positions", "render_view", "site_pages", "site_views",
           "tooltip_text", "truncate_label", "write_site"]
