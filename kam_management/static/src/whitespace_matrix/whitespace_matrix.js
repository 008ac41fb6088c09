/* Copyright 2026 kam_management contributors
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {Component, onWillStart} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {formatMonetary} from "@web/views/fields/formatters";
import {standardFieldProps} from "@web/views/fields/standard_field_props";

/**
 * The whitespace cells of a key account as a matrix: buying units (rows) x
 * product categories (columns). A cell shows its revenue of the last 12
 * months and its status, edited on the cell records of the one2many, so that
 * the form saves or discards them as usual. Only the cells of the current
 * company are shown (the matrix is built per company).
 */
export class WhitespaceMatrixField extends Component {
    static template = "kam_management.WhitespaceMatrixField";
    static props = {...standardFieldProps};

    setup() {
        this.fieldService = useService("field");
        onWillStart(async () => {
            const fields = await this.fieldService.loadFields("kam.whitespace.cell", {
                fieldNames: ["status"],
                attributes: ["selection"],
            });
            this.statuses = fields.status.selection;
        });
    }

    get matrix() {
        const companyId = this.props.record.currentCompanyId;
        const rows = new Map();
        const columns = new Map();
        const cells = new Map();
        let currencyId = false;
        for (const cell of this.props.record.data[this.props.name].records) {
            const {unit_id: unit, categ_id: categ, company_id: company} = cell.data;
            if (companyId && company && company[0] !== companyId) {
                continue;
            }
            const revenue = cell.data.revenue || 0;
            currencyId = currencyId || cell.data.currency_id[0];
            if (!rows.has(unit[0])) {
                rows.set(unit[0], {id: unit[0], name: unit[1], total: 0});
            }
            if (!columns.has(categ[0])) {
                columns.set(categ[0], {
                    id: categ[0],
                    name: categ[1],
                    shortName: categ[1].split(" / ").pop(),
                    total: 0,
                });
            }
            rows.get(unit[0]).total += revenue;
            columns.get(categ[0]).total += revenue;
            cells.set(`${unit[0]}-${categ[0]}`, cell);
        }
        const byName = (a, b) => a.name.localeCompare(b.name);
        const columnList = [...columns.values()].sort(byName);
        return {
            rows: [...rows.values()].map((row) => ({
                ...row,
                cells: columnList.map((column) => ({
                    key: `${row.id}-${column.id}`,
                    title: `${row.name} / ${column.name}`,
                    record: cells.get(`${row.id}-${column.id}`),
                })),
            })),
            columns: columnList,
            total: columnList.reduce((sum, column) => sum + column.total, 0),
            currencyId,
        };
    }

    get statusLabels() {
        return Object.fromEntries(this.statuses);
    }

    get emptyText() {
        if (this.props.readonly) {
            return _t("No whitespace matrix yet.");
        }
        return _t('No whitespace matrix yet: click "Refresh" to build it.');
    }

    formatRevenue(amount, currencyId, showZero = false) {
        if (!amount && !showZero) {
            return "";
        }
        return formatMonetary(amount, {currencyId});
    }

    onStatusChange(cell, ev) {
        cell.update({status: ev.target.value});
    }
}

export const whitespaceMatrixField = {
    component: WhitespaceMatrixField,
    displayName: _t("Whitespace Matrix"),
    supportedTypes: ["one2many"],
    relatedFields: [
        {name: "unit_id", type: "many2one", relation: "res.partner"},
        {name: "categ_id", type: "many2one", relation: "product.category"},
        {name: "company_id", type: "many2one", relation: "res.company"},
        {name: "currency_id", type: "many2one", relation: "res.currency"},
        {name: "revenue", type: "monetary", currency_field: "currency_id"},
        {name: "status", type: "selection", readonly: false},
    ],
};

registry.category("fields").add("kam_whitespace_matrix", whitespaceMatrixField);
