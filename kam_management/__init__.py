from odoo.tools.sql import drop_index

from . import controllers
from . import models
from . import wizards


def uninstall_hook(env):
    """Drop the index the addon added to Odoo's mail_message table, and the
    KPI results: they keep their rule (the database refuses to delete a rule
    with results), so they go first when the whole addon is uninstalled."""
    from .models.mail_message import ACTIVITY_DATE_INDEX

    drop_index(env.cr, ACTIVITY_DATE_INDEX, "mail_message")
    env.cr.execute("DELETE FROM kam_kpi_result")
