# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo's own test suites run on a loaded registry (``./kam odoo-tests``).

Odoo runs the at_install tests of a module while it installs it, before
kam_management exists. Here every selected test (at_install and
post_install) runs once the whole registry, kam_management included, is
loaded: the database is only loaded, nothing is installed or updated. The
arguments are Odoo's (``-c``, ``-d``, ``--test-tags``, ...)."""

import argparse
import os
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    # every argument is Odoo's: none is this script's own but --help
    _args, odoo_args = parser.parse_known_args(argv)
    os.environ["TZ"] = "UTC"  # before Odoo is imported
    import odoo

    # before odoo.tests is imported (which logs an ERROR otherwise); set
    # again from the arguments
    odoo.tools.config["test_enable"] = True
    from odoo.tests import loader
    from odoo.tests.suite import OdooSuite

    make_suite = loader.make_suite

    def make_suite_after_load(module_names, position="at_install"):
        if position == "at_install":  # during loading: nothing
            return OdooSuite([])
        return OdooSuite(
            list(make_suite(module_names, "at_install"))
            + list(make_suite(module_names, "post_install"))
        )

    loader.make_suite = make_suite_after_load
    sys.argv = [sys.argv[0], *odoo_args]  # odoo.cli.main reads sys.argv
    odoo.cli.main()


if __name__ == "__main__":
    main()
