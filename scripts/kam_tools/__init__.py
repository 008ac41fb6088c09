# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Python helpers of ``./kam``: one module per task, each run as a script
(``python scripts/kam_tools/<name>.py ...``) with a ``main()``."""
