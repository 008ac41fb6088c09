from odoo.tools.sql import drop_index

from . import controllers
from . import models
from . import wizards


def uninstall_hook(env):
    """Drop the index the addon added to Odoo's mail_message table."""
    from .models.mail_message import ACTIVITY_DATE_INDEX

    drop_index(env.cr, ACTIVITY_DATE_INDEX, "mail_message")
