# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Check that the wheel in ``dist/`` holds every data, demo and static file of
the addon (``./kam wheel``)."""

import argparse
import ast
import sys
import zipfile
from pathlib import Path

PREFIX = "odoo/addons/kam_management/"


def missing_files(root):
    """The wheel and the addon files it lacks (sorted)."""
    wheel = next(root.glob("dist/odoo_addon_kam_management-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    addon = root / "kam_management"
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    wanted = ["__manifest__.py", "__init__.py", "static/description/icon.png"]
    wanted += manifest.get("data", []) + manifest.get("demo", [])
    wanted += [
        str(path.relative_to(addon))
        for path in (addon / "static").rglob("*")
        if path.is_file()
    ]
    return wheel, sorted({w for w in wanted if PREFIX + w not in names}), names


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path, help="the repository")
    args = parser.parse_args(argv)
    wheel, missing, names = missing_files(args.root)
    if missing:
        sys.exit(f"{wheel.name} lacks: {', '.join(missing)}")
    print(
        f"dist/{wheel.name}: {len(names)} files, "
        "every data, demo and static file included"
    )


if __name__ == "__main__":
    main()
