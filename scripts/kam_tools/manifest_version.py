# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Print the version of an Odoo manifest file."""

import argparse
import ast
from pathlib import Path


def manifest_version(path):
    return ast.literal_eval(Path(path).read_text())["version"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("manifest", help="a __manifest__.py file")
    args = parser.parse_args(argv)
    print(manifest_version(args.manifest))


if __name__ == "__main__":
    main()
