# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Print the security matrix of the README (Markdown table) from ``ROLES`` and
``EXPECTED`` in tests/test_security_matrix.py (``./kam matrix``)."""

import argparse
import ast
from pathlib import Path


def read_constants(path, names=("EXPECTED", "ROLES")):
    tree = ast.parse(Path(path).read_text())
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id in names
    }


def matrix_lines(expected, roles):
    yield "| model | " + " | ".join(f"`{role}`" for role in roles) + " |"
    yield "| --- |" + " :---: |" * len(roles)
    for model, row in sorted(expected.items()):
        cells = " | ".join(f"`{row[role]}`" for role in roles)
        yield f"| `{model}` | {cells} |"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("test_file", help="tests/test_security_matrix.py")
    args = parser.parse_args(argv)
    values = read_constants(args.test_file)
    for line in matrix_lines(values["EXPECTED"], values["ROLES"]):
        print(line)


if __name__ == "__main__":
    main()
