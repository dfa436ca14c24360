"""Every page and fragment of HTML the app serves comes from a Jinja2 template in `ui/templates/`,
rendered with autoescaping: text from the minutes, the model or a user is escaped by the template
engine, never by hand, and markup exists only in the templates."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

TEMPLATES = Path(__file__).parent / "templates"


def viewer_link(paragraph_id: str) -> str:
    """The viewer's URL for a paragraph id `<document>#p<n>`."""
    doc, _, anchor = paragraph_id.partition("#")
    return f"/minutes/{quote(doc)}#{quote(anchor)}"


def nl2br(text: str) -> Markup:
    """Text with its line breaks shown: escaped first, then each newline becomes <br>."""
    return escape(text).replace("\n", Markup("<br>"))


def read_asset(name: str) -> str:
    """A stylesheet or script kept beside the templates."""
    return (TEMPLATES / name).read_text(encoding="utf-8")


class Templates:
    """The template environment: autoescape on for every template, undefined names an error."""

    def __init__(self, folder: Path = TEMPLATES):
        self.environment = Environment(
            loader=FileSystemLoader(folder),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.environment.filters["nl2br"] = nl2br
        self.environment.filters["viewer_link"] = viewer_link

    def render(self, name: str, **context: Any) -> str:
        return self.environment.get_template(name).render(**context)


TEMPLATE_ENGINE = Templates()


def render(name: str, **context: Any) -> str:
    return TEMPLATE_ENGINE.render(name, **context)
