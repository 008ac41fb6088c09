# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, models


class KamDealRoleMixin(models.AbstractModel):
    """Deal roles on a document (opportunity, quotation, tender).

    The inheriting model declares ``kam_deal_role_ids``, a One2many to
    ``kam.deal.role`` on the Many2one of that model (``lead_id``,
    ``order_id``, ...), has a ``partner_id`` (the customer) and a ``user_id``
    (the responsible user), and may override ``_kam_deal_role_defaults``.

    The buying group is copied from the dossier with the rights of the user
    who creates (or reloads) the document, never as superuser: a user who may
    not read the dossier of the customer gets no copied lines."""

    _name = "kam.deal.role.mixin"
    _description = "Deal Roles Mixin"

    def _kam_dossiers_by_partner(self):
        """{key account: dossier} for the customers of ``self`` whose dossier
        the current user may read (record rules of the dossier and of its
        members apply); one query. Call it without superuser mode (see
        ``_kam_deal_role_vals``)."""
        env = self.env(su=False)
        Dossier = env["kam.dossier"]
        if not (
            Dossier.has_access("read") and env["kam.dossier.member"].has_access("read")
        ):
            return {}
        partners = self.partner_id.commercial_partner_id
        dossiers = Dossier.search([("partner_id", "in", partners.ids)])
        return {dossier.partner_id: dossier for dossier in dossiers}

    def _kam_deal_role_defaults(self, dossiers_by_partner):
        """Values of the default lines of ``self``: a copy of its dossier (as
        far as the current user may read it)."""
        self.ensure_one()
        dossier = dossiers_by_partner.get(self.partner_id.commercial_partner_id)
        if not dossier:
            return []
        return [
            {
                "sequence": member.sequence,
                "partner_id": member.partner_id.id,
                "role_id": member.role_id.id,
                "influence": member.influence,
                "attitude": member.attitude,
            }
            for member in dossier.member_ids
            if member.partner_id.active
        ]

    def _kam_deal_role_vals(self, records):
        """{record: values of its default lines} for ``records``, read with
        the rights of the current user, also in ``sudo()``. Code running as
        the system user (crons, the mail gateway) copies with the rights of
        the document's responsible user (``user_id``), who works on it, and
        copies nothing into an unassigned document."""
        inverse = self._fields["kam_deal_role_ids"].inverse_name
        if self.env.uid != SUPERUSER_ID:
            by_user = {self.env.user: records}
        else:
            by_user = {}
            for record in records:
                by_user[record.user_id] = by_user.get(record.user_id, records.browse())
                by_user[record.user_id] |= record
        result = {record: [] for record in records}
        for user, user_records in by_user.items():
            if not user:
                continue
            user_records = user_records.with_user(user)
            dossiers = user_records._kam_dossiers_by_partner()
            for record in user_records:
                result[record] = [
                    dict(vals, **{inverse: record.id})
                    for vals in record._kam_deal_role_defaults(dossiers)
                ]
        return result

    def _kam_create_deal_roles(self, records):
        vals_by_record = self._kam_deal_role_vals(records)
        self.env["kam.deal.role"].create(
            [vals for vals_list in vals_by_record.values() for vals in vals_list]
        )

    def _kam_fill_deal_roles(self):
        """Give the documents of key accounts without deal roles those of the
        dossier (other customers cost no query)."""
        todo = self.filtered(
            lambda r: r.partner_id.commercial_partner_id.kam_is_key_account
        ).filtered(lambda r: not r.kam_deal_role_ids)
        if todo:
            self._kam_create_deal_roles(todo)

    def action_kam_reset_deal_roles(self):
        """Replace the deal roles by the defaults (the dossier, today), as far
        as the current user may read them. A document with nothing to reload
        (no dossier the user may read, no member) keeps its lines, and the
        user is told so instead of getting an error."""
        self.check_access("write")
        vals_by_record = self._kam_deal_role_vals(self)
        reloaded = self.browse(
            [record.id for record, vals_list in vals_by_record.items() if vals_list]
        )
        if reloaded:
            reloaded.kam_deal_role_ids.unlink()
            self.env["kam.deal.role"].create(
                [vals for record in reloaded for vals in vals_by_record[record]]
            )
        unchanged = self - reloaded
        if not unchanged:
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "title": self.env._("Buying group unchanged"),
                "message": self.env._(
                    "Nothing to reload for %(documents)s: there is no buying "
                    "group of the customer that you may read (a dossier is "
                    "read by the users who serve the key account and by KAM "
                    "managers). The roles of the deal are unchanged.",
                    documents=", ".join(unchanged.mapped("display_name")),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
