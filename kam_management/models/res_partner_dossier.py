# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    kam_dossier_member_ids = fields.One2many(
        comodel_name="kam.dossier.member",
        inverse_name="partner_id",
        string="Dossier Roles",
        groups="kam_management.group_kam_user",
    )

    kam_dossier_id = fields.Many2one(
        comodel_name="kam.dossier",
        string="Dossier",
        compute="_compute_kam_dossier_id",
        groups="kam_management.group_kam_user",
        help="The decision-maker dossier of the account, when you may read it.",
    )

    @api.depends("commercial_partner_id")
    def _compute_kam_dossier_id(self):
        # searched with the user's rights: a dossier the user may not read
        # stays hidden
        dossiers = self.env["kam.dossier"].search(
            [("partner_id", "in", self.commercial_partner_id.ids)]
        )
        by_partner = {dossier.partner_id.id: dossier for dossier in dossiers}
        for partner in self:
            partner.kam_dossier_id = by_partner.get(
                partner.commercial_partner_id.id, False
            )

    def action_kam_open_dossier(self):
        """Open the dossier of the account, or create it for a user who serves
        the account (a KAM Manager for any account)."""
        self.ensure_one()
        account = self.commercial_partner_id
        self.invalidate_recordset(["kam_dossier_id"])
        dossier = self.kam_dossier_id
        if not dossier:
            if (
                self.env["kam.dossier"]
                .sudo()
                .with_context(active_test=False)
                .search_count([("partner_id", "=", account.id)])
            ):
                raise AccessError(
                    self.env._(
                        "%(account)s has a dossier you may not open (it may be "
                        "archived or belong to another company).",
                        account=account.display_name,
                    )
                )
            if not (
                self.env.user.has_group("kam_management.group_kam_manager")
                or account._kam_is_served_by()
            ):
                raise AccessError(
                    self.env._(
                        "Only the users who serve %(account)s (its KAM, the deputy, "
                        "the KAM team) or a KAM Manager may create its dossier.",
                        account=account.display_name,
                    )
                )
            dossier = self.env["kam.dossier"].create({"partner_id": account.id})
            self.invalidate_recordset(["kam_dossier_id"])
        return {
            "type": "ir.actions.act_window",
            "res_model": "kam.dossier",
            "res_id": dossier.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _kam_last_contact_dates(self):
        """{partner id: date of the last contact}: last message logged on or
        sent by the person (activities done included), or last past meeting
        the person attended, as a day of the time zone of
        ``fields.Date.context_today`` (the context's, else the user's), so that
        it can be compared with today. One query for all partners."""
        if not self.ids:
            return {}
        self.env["mail.message"].flush_model(
            ["model", "res_id", "author_id", "message_type", "date"]
        )
        self.env["calendar.event"].flush_model(["start", "active", "partner_ids"])
        query = SQL(
            """
            SELECT partner_id, MAX(day) FROM (
                SELECT res_id AS partner_id, date AS day
                  FROM mail_message
                 WHERE model = 'res.partner' AND res_id = ANY(%(ids)s)
                   AND (message_type IN ('comment', 'email')
                        OR mail_activity_type_id IS NOT NULL)
                UNION ALL
                SELECT author_id, date
                  FROM mail_message
                 WHERE author_id = ANY(%(ids)s)
                   AND message_type IN ('comment', 'email')
                UNION ALL
                SELECT rel.res_partner_id, event.start
                  FROM calendar_event_res_partner_rel rel
                  JOIN calendar_event event ON event.id = rel.calendar_event_id
                 WHERE rel.res_partner_id = ANY(%(ids)s)
                   AND event.active AND event.start <= %(now)s
            ) contacts
            GROUP BY partner_id
            """,
            ids=list(self.ids),
            now=fields.Datetime.now(),
        )
        return {
            partner_id: fields.Datetime.context_timestamp(self, last).date()
            for partner_id, last in self.env.execute_query(query)
        }

    def _kam_health_dossier_coverage(self):
        """{partner id: dossier completeness 0-100} of the key accounts of
        ``self`` (0 without a dossier), for the account health score."""
        dossiers = (
            self.env["kam.dossier"]
            .sudo()
            .search([("partner_id", "in", self.commercial_partner_id.ids)])
        )
        by_partner = {d.partner_id.id: d.completeness for d in dossiers}
        return {
            partner.id: by_partner.get(partner.commercial_partner_id.id, 0.0)
            for partner in self
        }
