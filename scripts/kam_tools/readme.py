# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Build README.rst and static/description/index.html of an addon from its
readme/*.md fragments, in OCA's layout (``./kam readme``).

OCA's own generator (``oca-gen-addon-readme``, OCA/maintainer-tools) is not
published on the package index this project installs from; this small
converter covers the Markdown the fragments use: headings, paragraphs, lists,
tables without their rule line, code fences, images, links, ``code``."""

import argparse
import ast
import re
from pathlib import Path

SECTIONS = [
    ("DESCRIPTION.md", None),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
    ("CONTRIBUTORS.md", "Contributors"),
]
BADGE = "https://img.shields.io/badge/licence-{licence}-blue.png"


def inline(text):
    """Inline Markdown (code, links) as reStructuredText."""
    text = re.sub(r"(?<![`])`([^`]+)`(?![`_])", r"``\1``", text)
    return re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`_", text)


def md_to_rst(md):
    out, fence = [], False
    for line in md.splitlines():
        if line.startswith("```"):
            fence = not fence
            out += ["", ".. code-block::", ""] if fence else [""]
            continue
        if fence:
            out.append("   " + line)
            continue
        image = re.match(r"^!\[([^\]]*)\]\(([^)]+)\)$", line)
        if image:
            out += [f".. image:: {image.group(2)}", f"   :alt: {image.group(1)}", ""]
            continue
        heading = re.match(r"^(#+) (.*)", line)
        if heading:
            title = inline(heading.group(2))
            out += [title, "~" * len(title)]
            continue
        if re.match(r"^\|?\s*-{3,}", line):
            continue
        out.append(inline(line))
    return "\n".join(out).strip() + "\n"


def build_rst(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    title = manifest["name"]
    licence = manifest["license"].replace("-", "--")
    rst = ["=" * len(title), title, "=" * len(title), ""]
    rst += [f".. |badge1| image:: {BADGE.format(licence=licence)}"]
    rst += ["    :alt: License", "", "|badge1|", ""]
    for fname, heading in SECTIONS:
        fragment = addon / "readme" / fname
        if not fragment.exists():
            continue
        if heading:
            rst += [heading, "=" * len(heading), ""]
        rst += [md_to_rst(fragment.read_text()), ""]
    rst += ["Maintainers", "===========", ""]
    rst += ["This module is maintained by " + manifest["author"] + ".", ""]
    return "\n".join(rst)


def rst_to_html(rst):
    from docutils.core import publish_string  # docutils: from the virtualenv

    return publish_string(
        rst.replace("static/description/", ""),
        writer_name="html5",
        settings_overrides={
            "output_encoding": "unicode",
            "embed_stylesheet": False,
            "stylesheet_path": "",
            "report_level": 4,
        },
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("addon", type=Path, help="the addon directory")
    args = parser.parse_args(argv)
    rst = build_rst(args.addon)
    (args.addon / "README.rst").write_text(rst)
    html = rst_to_html(rst)
    (args.addon / "static" / "description" / "index.html").write_text(html)
    print("wrote README.rst and static/description/index.html")


if __name__ == "__main__":
    main()
