# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Key-account status and figures become company-dependent (jsonb).

PostgreSQL cannot cast the old columns to jsonb by itself (Odoo would move
them aside and lose the values): each becomes a jsonb column here.

* the key account flag, the tier and the pin (manual decisions of the
  past, which applied to every company) are kept for every company;
* the classification figures and the health fields start empty: the
  post-migration writes them again, per company, from each policy's last
  run and each company's latest health scores;
* runs of the same policy and day (several were possible) are merged into
  the latest one (its lines kept, the others' chatter moved onto it), so
  that the new one-run-per-day constraint can be created.
"""

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
    cr.execute(f'DROP INDEX IF EXISTS "res_partner__{column}_index"')
    cr.execute(f'DROP INDEX IF EXISTS "res_partner_{column}_index"')
    cr.execute(f'ALTER TABLE res_partner RENAME COLUMN "{column}" TO "{column}_old"')
    cr.execute(f'ALTER TABLE res_partner ADD COLUMN "{column}" jsonb')
    if keep:
        cr.execute(
            f"""
            UPDATE res_partner
               SET "{column}" = (SELECT jsonb_object_agg(company.id::text,
                                                          to_jsonb("{column}_old"))
                                   FROM res_company company)
             WHERE "{column}_old" IS NOT NULL
            """
        )
    cr.execute(f'ALTER TABLE res_partner DROP COLUMN "{column}_old"')


def _merge_same_day_runs(cr):
    cr.execute("SELECT to_regclass('kam_classification_run')")
    if not cr.fetchone()[0]:
        return
    cr.execute(
        """
        WITH ranked AS (
            SELECT id, FIRST_VALUE(id) OVER (PARTITION BY policy_id, date
                                             ORDER BY id DESC) AS kept
              FROM kam_classification_run
        )
        SELECT id, kept FROM ranked WHERE id != kept
        """
    )
    pairs = cr.fetchall()
    if not pairs:
        return
    for dropped, kept in pairs:
        cr.execute(
            "UPDATE mail_message SET res_id = %s "
            "WHERE model = 'kam.classification.run' AND res_id = %s",
            (kept, dropped),
        )
    # the last run stays last: a dropped run that was last passes it on
    cr.execute(
        """
        UPDATE kam_classification_run run SET is_last = TRUE
          FROM unnest(%s::int[], %s::int[]) AS p(dropped, kept)
          JOIN kam_classification_run old ON old.id = p.dropped AND old.is_last
         WHERE run.id = p.kept
        """,
        ([d for d, __ in pairs], [k for __, k in pairs]),
    )
    cr.execute(
        "DELETE FROM kam_classification_run WHERE id = ANY(%s)",
        ([d for d, __ in pairs],),
    )


def migrate(cr, version):
    if not version:
        return
    for column in KEPT_FOR_EVERY_COMPANY:
        _to_jsonb(cr, column, keep=True)
    for column in REBUILT:
        _to_jsonb(cr, column, keep=False)
    _merge_same_day_runs(cr)
