# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Make ``import odoo`` find an Odoo source tree: a ``.pth`` file in the
site-packages of the running interpreter (``./kam`` runs it from its
virtualenv)."""

import argparse
import sysconfig
from pathlib import Path

PTH_NAME = "kam-odoo-src.pth"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("odoo_src", help="the Odoo 18.0 source tree")
    args = parser.parse_args(argv)
    pth = Path(sysconfig.get_paths()["purelib"], PTH_NAME)
    pth.write_text(args.odoo_src + "\n")


if __name__ == "__main__":
    main()
