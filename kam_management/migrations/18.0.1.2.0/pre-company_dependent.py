# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Key-account status and figures become company-dependent (jsonb).

PostgreSQL cannot cast the old columns to jsonb by itself (Odoo would move
them aside and lose the values): each becomes a jsonb column here.

* the key account flag, the tier and the pin (manual decisions of the
  past, which applied to every company) are kept for every company;
* the classification figures and the health fields start empty: the
  post-migration writes them again, per company, from each policy's last
  run and each company's latest health scores.
"""

from odoo.tools import SQL

KEPT_FOR_EVERY_COMPANY = ("kam_is_key_account", "kam_tier", "kam_pin", "kam_pin_reason")
REBUILT = (
    "kam_revenue",
    "kam_margin",
    "kam_revenue_share",
    "kam_abc_class",
    "kam_dependence_level",
    "kam_last_classified",
    "kam_health_last_id",
    "kam_health_score",
    "kam_health_colour",
    "kam_health_date",
)


def _column_type(cr, column):
    cr.execute(
        "SELECT udt_name FROM information_schema.columns "
        "WHERE table_name = 'res_partner' AND column_name = %s",
        (column,),
    )
    row = cr.fetchone()
    return row and row[0]


def _to_jsonb(cr, column, keep):
    kind = _column_type(cr, column)
    if not kind or kind == "jsonb":
        return
    old = f"{column}_old"
    for index in (f"res_partner__{column}_index", f"res_partner_{column}_index"):
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))
    cr.execute(
        SQL(
            "ALTER TABLE res_partner RENAME COLUMN %s TO %s",
            SQL.identifier(column),
            SQL.identifier(old),
        )
    )
    cr.execute(
        SQL("ALTER TABLE res_partner ADD COLUMN %s jsonb", SQL.identifier(column))
    )
    if keep:
        cr.execute(
            SQL(
                """
            UPDATE res_partner
               SET %(column)s = (SELECT jsonb_object_agg(company.id::text,
                                                          to_jsonb(%(old)s))
                                   FROM res_company company)
             WHERE %(old)s IS NOT NULL
                """,
                column=SQL.identifier(column),
                old=SQL.identifier(old),
            )
        )
    cr.execute(SQL("ALTER TABLE res_partner DROP COLUMN %s", SQL.identifier(old)))


def migrate(cr, version):
    if not version:
        return
    for column in KEPT_FOR_EVERY_COMPANY:
        _to_jsonb(cr, column, keep=True)
    for column in REBUILT:
        _to_jsonb(cr, column, keep=False)
