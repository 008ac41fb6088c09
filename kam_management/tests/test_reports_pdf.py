# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import html
import re
import shutil
import subprocess
import tempfile
from datetime import date

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestReportsPdf(HttpCase):
    """Every PDF report of the addon renders with wkhtmltopdf on demo data
    (an HttpCase: wkhtmltopdf loads the report's style sheets from the
    server)."""

    def _text(self, pdf):
        if not shutil.which("pdftotext"):
            return None
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            return subprocess.run(
                ["pdftotext", "-layout", handle.name, "-"],
                capture_output=True,
                check=True,
                text=True,
            ).stdout

    def _check(self, report, records, expected):
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = Report._render_qweb_pdf(report, records.ids)
        self.assertEqual(kind, "pdf", report.report_name)
        self.assertTrue(pdf.startswith(b"%PDF"), report.report_name)
        self.assertGreater(len(pdf), 1000, report.report_name)
        text = self._text(pdf)
        if not (text or "").strip():
            # no pdftotext, or no text layer: Debian's wkhtmltopdf (unpatched
            # Qt) draws the web fonts of the layout as outlines
            content = Report._render_qweb_html(report, records.ids)[0]
            text = html.unescape(re.sub(r"<[^>]+>", " ", content.decode()))
        self.assertIn(
            " ".join(expected.split()), " ".join(text.split()), report.report_name
        )

    def test_wkhtmltopdf_available(self):
        self.assertEqual(self.env["ir.actions.report"].get_wkhtmltopdf_state(), "ok")

    def test_every_addon_pdf_report(self):
        reports = self.env["ir.actions.report"].search(
            [
                ("report_type", "=", "qweb-pdf"),
                (
                    "id",
                    "in",
                    self.env["ir.model.data"]
                    .search(
                        [
                            ("module", "=", "kam_management"),
                            ("model", "=", "ir.actions.report"),
                        ]
                    )
                    .mapped("res_id"),
                ),
            ]
        )
        self.assertTrue(reports)
        # the demo data has no commission lines nor monthly reports: compute
        # those of the demo plan, draft those of this month
        today = fields.Date.today()
        self.env["kam.commission.plan"].search([])._compute_lines(
            date(2000, 1, 1), today
        )
        self.env["kam.monthly.report"]._draft_reports(today.replace(day=1))
        for report in reports:
            with self.subTest(report=report.report_name):
                records = self.env[report.model].search([], limit=1)
                self.assertTrue(records, f"no demo record for {report.report_name}")
                self._check(report, records, self._expected_text(records))

    def _expected_text(self, record):
        if record._name == "kam.commission.line":
            return record.user_id.name
        if record._name == "kam.monthly.report":
            return record.user_id.name
        return record.display_name

    def test_quotation_pdf(self):
        """Send by Email attaches this PDF."""
        order = self.env["sale.order"].search(
            [("partner_id.kam_is_key_account", "=", True)], limit=1
        ) or self.env["sale.order"].search([], limit=1)
        report = self.env.ref("sale.action_report_saleorder")
        self._check(report, order, order.name)
