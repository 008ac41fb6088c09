# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Periods, working days and the arithmetic of KPI results.

Plain Python, no Odoo: the models call these functions and the fast tests of
``tests/test_kpi_tools.py`` prove them on hand-computed dates.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

PERIODS = ("day", "week", "month", "quarter", "half_year")
_MONTHS = {"month": 1, "quarter": 3, "half_year": 6}

#: attainment (in %) below which a result is red; at or above, amber;
#: green needs 100 % (or being on pace while the period runs).
AMBER_FROM = 80.0


def period_bounds(period, day):
    """First and last day of the ``period`` (one of :data:`PERIODS`) that
    contains ``day``. Weeks start on Monday; quarters in January, April, July
    and October; half-years in January and July."""
    if period == "day":
        return day, day
    if period == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if period not in _MONTHS:
        raise ValueError(f"unknown period {period!r}")
    months = _MONTHS[period]
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    return start, start + relativedelta(months=months, days=-1)


def previous_period_start(period, day):
    """First day of the period before the one containing ``day``."""
    start, _end = period_bounds(period, day)
    return period_bounds(period, start - timedelta(days=1))[0]


def period_starts(period, date_from, date_to):
    """First days of every period overlapping ``[date_from, date_to]``."""
    start = period_bounds(period, date_from)[0]
    starts = []
    while start <= date_to:
        starts.append(start)
        start = period_bounds(period, start)[1] + timedelta(days=1)
    return starts


def same_period_year_before(date_from, date_to):
    """The same dates one year earlier (29 February becomes 28 February)."""
    return date_from - relativedelta(years=1), date_to - relativedelta(years=1)


def working_days(date_from, date_to, weekdays, off_days=()):
    """Days of ``[date_from, date_to]`` whose weekday (Monday = 0) is in
    ``weekdays`` and which are not in ``off_days`` (public holidays, leaves,
    absences)."""
    weekdays = set(weekdays)
    off_days = set(off_days)
    days = []
    day = date_from
    while day <= date_to:
        if day.weekday() in weekdays and day not in off_days:
            days.append(day)
        day += timedelta(days=1)
    return days


def attainment(value, target, direction):
    """Attainment in percent.

    ``at_least``: value / target (a target of 0 is attained by any value).
    ``at_most``: 100 while value <= target, else target / value (so twice the
    allowed amount gives 50 %).
    """
    value = value or 0.0
    if direction == "at_most":
        if value <= target:
            return 100.0
        return 100.0 * target / value if value else 100.0
    if target <= 0:
        return 100.0
    return 100.0 * value / target


def result_status(value, target, direction, closed):
    """``met``, ``missed`` or ``in_progress``.

    ``at_least`` is met as soon as the value reaches the target and missed
    when the period closes below it; ``at_most`` is missed as soon as the
    value exceeds the target and met when the period closes within it.
    Re-evaluation recomputes the status, so a refund can move a result back.
    """
    value = value or 0.0
    if direction == "at_most":
        if value > target:
            return "missed"
        return "met" if closed else "in_progress"
    if value >= target:
        return "met"
    return "missed" if closed else "in_progress"


def elapsed_share(date_from, date_to, today):
    """Share (0..1) of the days of ``[date_from, date_to]`` up to ``today``
    included."""
    total = (date_to - date_from).days + 1
    done = (min(today, date_to) - date_from).days + 1
    return max(0.0, min(1.0, done / total))


def rag(attainment_pct, status, share=1.0, direction="at_least"):
    """Traffic light of a result: ``green``, ``amber`` or ``red``.

    Met is green and missed is red. While a period runs, an ``at_least``
    result is compared with its pace: attainment against the elapsed share of
    the period (``share``); green on pace, amber from :data:`AMBER_FROM` % of
    the pace, red below. A running ``at_most`` result is green.
    """
    if status == "met":
        return "green"
    if status == "missed":
        return "red"
    if direction == "at_most":
        return "green"
    pace = 100.0 * share
    if attainment_pct >= pace:
        return "green"
    if attainment_pct >= AMBER_FROM * share:
        return "amber"
    return "red"


def report_due_date(month_start, due_day):
    """Due date of the monthly report of the month starting ``month_start``:
    day ``due_day`` of the next month (the last day when the month is
    shorter)."""
    next_month = month_start + relativedelta(months=1, day=1)
    return next_month + relativedelta(day=due_day)


def next_attestation_date(last_date, months):
    """Date of the next attestation, ``months`` after ``last_date``."""
    return last_date + relativedelta(months=months)


def tier_rate(amount, tiers):
    """Commission rate (in %) of a deal of ``amount``.

    ``tiers`` are ``(from_amount, rate)`` pairs; the tier with the highest
    ``from_amount`` not above ``abs(amount)`` applies (a refund takes the rate
    of its size). No tier: 0.
    """
    rate = 0.0
    best = None
    for from_amount, tier_pct in tiers:
        if from_amount <= abs(amount) and (best is None or from_amount > best):
            best, rate = from_amount, tier_pct
    return rate


def multiplier_for(attainment_pct, steps):
    """Commission multiplier for a target attainment (in %).

    ``steps`` are ``(from_attainment, multiplier)`` pairs; the step with the
    highest ``from_attainment`` not above the attainment applies. No step: 1.
    """
    factor = 1.0
    best = None
    for from_pct, step_factor in steps:
        if from_pct <= attainment_pct and (best is None or from_pct > best):
            best, factor = from_pct, step_factor
    return factor
