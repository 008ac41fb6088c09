/* Copyright 2026 kam_management contributors
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {Component, onWillStart, useState} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";

/**
 * The landing page of the Key Accounts app: the tiles of
 * ``kam.cockpit.get_cockpit_data()`` as cards. Every card, and every row of
 * a card, opens the records behind it.
 */
export class KamCockpit extends Component {
    static template = "kam_management.Cockpit";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({data: null, view: null});
        onWillStart(() => this.load());
    }

    async load(view = null) {
        this.state.data = await this.orm.call("kam.cockpit", "get_cockpit_data", [], {
            view: view,
        });
        this.state.view = this.state.data.view;
    }

    get tiles() {
        return this.state.data.tiles;
    }

    open(action) {
        if (action) {
            this.action.doAction(action);
        }
    }

    switchView(view) {
        return this.load(view);
    }

    barStyle(value) {
        const width = Math.max(0, Math.min(100, value || 0));
        return `width: ${width}%;`;
    }

    deltaText(delta) {
        if (delta === null || delta === undefined) {
            return "";
        }
        const sign = delta > 0 ? "+" : "";
        return `${sign}${delta.toLocaleString()}`;
    }

    borderClass(tile) {
        return `border-${tile.level || "info"}`;
    }
}

registry.category("actions").add("kam_management.cockpit", KamCockpit);
