# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Runs before the 18.0.1.0.1 models and data are loaded, on the old schema."""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:  # a fresh install has nothing to migrate
        return
    _logger.info("kam_management pre-migration to 18.0.1.0.1 from %s", version)
