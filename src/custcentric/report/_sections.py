"""The report's sections, computed from a company by the library's public functions."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from custcentric.report._model import Cell, Figure, Kpi, Section, Table
from custcentric.typing import FloatArray

__all__ = ["SECTION_IDS", "sections"]

_TIER_ORDER = ("gold", "silver", "bronze")
_HANDLE_MINUTES = 6.0
_ANSWER_SECONDS = 20.0
_SERVICE_TARGET = 0.8
_LAPSE_DAYS = 180
_HOURS_PER = {"s": 1 / 3600, "m": 1 / 60, "h": 1.0, "D": 24.0, "W": 168.0}

SECTION_IDS = (
    "customers",
    "value",
    "segments",
    "satisfaction",
    "processes",
    "staffing",
    "maturity",
    "idic",
)
"""The sections of the report, in the order of the story."""


# ---------------------------------------------------------------------------------- format
def number(value: float, digits: int = 0) -> str:
    """Format a number with thousands separators (``-`` for NaN or None)."""
    if value is None or not math.isfinite(float(value)):
        return "-"
    return f"{float(value):,.{digits}f}"


def percent(value: float | None, digits: int = 1) -> str:
    """Format a share in [0, 1] as a percentage (``-`` for NaN or None)."""
    if value is None or not math.isfinite(float(value)):
        return "-"
    return f"{100 * float(value):.{digits}f} %"


def _plain(value: Any) -> Cell:
    """Return a JSON-ready cell: Python numbers, NaN and infinities as None."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    number_ = float(value)
    return number_ if math.isfinite(number_) else None


def _table(
    id_: str,
    caption: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: Sequence[Callable[[Any], str]],
) -> Table:
    raw = tuple(tuple(_plain(v) for v in row) for row in rows)
    text = tuple(tuple(f(v) for f, v in zip(formats, row, strict=True)) for row in rows)
    return Table(id=id_, caption=caption, columns=tuple(columns), rows=raw, text=text)


def _kpi(label: str, value: Any, text: str, note: str = "") -> Kpi:
    return Kpi(label=label, value=_plain(value), text=text, note=note)


def _str(value: Any) -> str:
    return str(value)


# ---------------------------------------------------------------------------------- shared
@attrs.frozen(kw_only=True, eq=False)
class _Buyers:
    """Each buyer's purchase history, once per company."""

    customer_id: NDArray[Any]
    which: NDArray[np.intp]
    revenue: FloatArray
    purchases: FloatArray
    first: NDArray[np.datetime64]
    last: NDArray[np.datetime64]
    end: np.datetime64


def _buyers(company: Any) -> _Buyers:
    log = company.transactions
    ids, which = np.unique(log.customer_id, return_inverse=True)
    first = np.full(ids.size, np.datetime64("2100-01-01", "s"))
    last = np.full(ids.size, np.datetime64("1900-01-01", "s"))
    np.minimum.at(first, which, log.timestamp)
    np.maximum.at(last, which, log.timestamp)
    return _Buyers(
        customer_id=ids,
        which=which,
        revenue=np.bincount(which, weights=log.amount).astype(np.float64),
        purchases=np.bincount(which).astype(np.float64),
        first=first,
        last=last,
        end=log.timestamp.max(),
    )


def _lookup(
    keys: NDArray[Any], values: NDArray[Any], wanted: NDArray[Any], missing: str
) -> NDArray[Any]:
    """Return ``values`` at the positions of ``wanted`` in ``keys`` (``missing`` where absent)."""
    order = np.argsort(keys, kind="stable")
    ranked = keys[order]
    where = np.clip(np.searchsorted(ranked, wanted), 0, max(ranked.size - 1, 0))
    found = ranked[where] == wanted if ranked.size else np.zeros(wanted.size, dtype=bool)
    return np.where(found, np.asarray(values)[order][where].astype(str), missing)


def _attribute(table: Any, name: str, default: str) -> NDArray[Any]:
    """Return a table's attribute column as text, or ``default`` for everyone without it."""
    values = table.attributes.get(name)
    if values is None:
        return np.full(len(table), default)
    return np.asarray(values).astype(str)


def _service_tier(company: Any, customer_id: NDArray[Any]) -> NDArray[Any]:
    customers = company.customers
    return _lookup(
        np.asarray(customers.customer_id),
        _attribute(customers, "service_tier", "none"),
        np.asarray(customer_id),
        "none",
    )


def _titles(company: Any) -> dict[str, str]:
    return {p.id: p.name for p in company.processes}


# ------------------------------------------------------------------------------- sections
def _customers(company: Any, buyers: _Buyers) -> Section:
    from custcentric.domain import LifecycleStage
    from custcentric.idic import resolve_identities

    customers, profiles = company.customers, company.profiles
    resolved = resolve_identities(profiles)
    truth = profiles.attributes.get("true_customer_id")
    channel, records = np.unique(_attribute(profiles, "channel", "unknown"), return_counts=True)
    stages = [
        (stage.value, int(np.count_nonzero(customers.lifecycle_stage == stage.value)))
        for stage in LifecycleStage
    ]
    kpis = [
        _kpi("customers", len(customers), number(len(customers))),
        _kpi("profile records", len(profiles), number(len(profiles))),
    ]
    intro = (
        f"{number(len(customers))} customers left {number(len(profiles))} profile records "
        "across channels. Record linkage (Fellegi–Sunter) resolves them to "
        f"{number(resolved.n_people)} people."
    )
    if truth is None:
        kpis.append(_kpi("people found", resolved.n_people, number(resolved.n_people)))
    else:
        quality = resolved.evaluate(np.asarray(truth))
        intro += (
            f" Against the known identities its pairwise precision is "
            f"{percent(quality.precision)} and recall {percent(quality.recall)}."
        )
        kpis += [
            _kpi(
                "people found",
                resolved.n_people,
                number(resolved.n_people),
                f"true: {number(quality.n_true_people)}",
            ),
            _kpi(
                "linkage precision",
                quality.precision,
                percent(quality.precision),
                f"recall {percent(quality.recall)}",
            ),
        ]
    return Section(
        id="customers",
        title="Customers and identities",
        intro=intro,
        computed_with=("custcentric.idic.resolve_identities",),
        kpis=(
            *kpis,
            _kpi("buyers", buyers.customer_id.size, number(buyers.customer_id.size)),
        ),
        tables=(
            _table(
                "profile-channels",
                "Profile records by channel",
                ("channel", "records"),
                list(zip(channel.tolist(), records.tolist(), strict=True)),
                (_str, number),
            ),
            _table(
                "lifecycle",
                "Customers by lifecycle stage",
                ("lifecycle stage", "customers"),
                stages,
                (_str, number),
            ),
        ),
    )


def _value(company: Any, buyers: _Buyers, plot: Any) -> tuple[Section, FloatArray, NDArray[Any]]:
    from custcentric.segmentation import value_tiers
    from custcentric.value import BetaGeo, GammaGamma, customer_lifetime_value, holdout_check

    log = company.transactions
    cur = company.currency
    end = log.timestamp.max().astype("datetime64[D]") + np.timedelta64(1, "D")
    summary = log.summary(end, time_unit="W")
    fit = BetaGeo.fit(summary)
    model = fit.model
    spend = GammaGamma.fit(summary).model
    clv = np.asarray(
        customer_lifetime_value(
            model, spend, summary, horizon=12, time_unit="M", discount_rate=0.01
        ),
        dtype=np.float64,
    )
    alive = np.asarray(model.probability_alive(summary), dtype=np.float64)
    calibration_end = (end - np.timedelta64(183, "D")).astype("datetime64[D]")
    split = log.calibration_holdout(str(calibration_end), str(end), time_unit="W")
    calibrated = BetaGeo.fit(split.calibration).model
    check = holdout_check(calibrated, split)
    tiers = value_tiers(clv, customer_id=summary.customer_id)
    tier = np.asarray(tiers.tier) - 1
    counts = np.bincount(tier, minlength=len(tiers.names))
    mean_clv = np.bincount(tier, weights=clv, minlength=counts.size) / np.maximum(counts, 1)
    mean_alive = np.bincount(tier, weights=alive, minlength=counts.size) / np.maximum(counts, 1)
    age = float(np.max(summary.T))
    top = int(min(max(np.quantile(summary.frequency, 0.99), 5), 40))
    total = float(clv.sum())
    revenue = float(buyers.revenue.sum())
    error = check.total_expected / check.total_actual - 1 if check.total_actual else float("nan")
    section = Section(
        id="value",
        title="Customer value over the next 12 months",
        intro=(
            f"BG/NBD (purchases, in weeks) and gamma-gamma (spend) fitted on "
            f"{number(clv.size)} buyers' histories; each buyer's value over the next 12 "
            f"months is discounted at 1 % a month. On a holdout of the last six months "
            f"the model expected {number(check.total_expected)} purchases against "
            f"{number(check.total_actual)} made ({percent(error)})."
        ),
        computed_with=(
            "custcentric.value.BetaGeo.fit",
            "custcentric.value.GammaGamma.fit",
            "custcentric.value.customer_lifetime_value",
            "custcentric.value.holdout_check",
        ),
        kpis=(
            _kpi(f"revenue to date ({cur})", revenue, number(revenue)),
            _kpi(f"expected value, 12 months ({cur})", total, number(total)),
            _kpi("mean P(alive)", float(alive.mean()), percent(float(alive.mean()))),
            _kpi(
                "holdout error",
                error,
                percent(error),
                "expected vs actual purchases, last 6 months",
            ),
        ),
        figures=(
            Figure(
                id="value-alive",
                caption="P(alive) by frequency and recency (BG/NBD)",
                draw=functools.partial(
                    plot.frequency_recency_heatmap,
                    model,
                    T=age,
                    max_frequency=top,
                    figsize=(6.4, 4.2),
                ),
            ),
            Figure(
                id="value-expected",
                caption="Expected purchases in the next 52 weeks by frequency and recency",
                draw=functools.partial(
                    plot.frequency_recency_heatmap,
                    model,
                    T=age,
                    max_frequency=top,
                    quantity="expected_purchases",
                    t=52.0,
                    figsize=(6.4, 4.2),
                ),
            ),
            Figure(
                id="value-holdout",
                caption="Calibration vs holdout purchases",
                draw=functools.partial(plot.calibration_holdout, check),
            ),
            Figure(
                id="value-cumulative",
                caption="Cumulative repeat purchases, actual vs expected (fitted before the line)",
                draw=functools.partial(
                    plot.cumulative_purchases, calibrated, log, calibration_end=calibration_end
                ),
            ),
            Figure(
                id="value-clv",
                caption="Distribution of the 12-month customer value",
                draw=functools.partial(plot.clv_distribution, clv, currency=cur, clip=0.99),
            ),
        ),
        tables=(
            _table(
                "value-tiers",
                "Tiers of expected 12-month value",
                ("tier", "buyers", f"mean value ({cur})", "mean P(alive)", "share of value"),
                [
                    (
                        name,
                        int(counts[k]),
                        float(mean_clv[k]),
                        float(mean_alive[k]),
                        float(tiers.value_share[k]),
                    )
                    for k, name in enumerate(tiers.names)
                ],
                (_str, number, lambda v: number(v, 2), percent, percent),
            ),
            _table(
                "value-model",
                "BG/NBD parameters (weeks)",
                ("r", "alpha", "a", "b", "converged"),
                [(model.r, model.alpha, model.a, model.b, bool(fit.success))],
                (
                    lambda v: number(v, 3),
                    lambda v: number(v, 2),
                    lambda v: number(v, 3),
                    lambda v: number(v, 3),
                    lambda v: "yes" if v else "no",
                ),
            ),
        ),
    )
    return section, clv, np.asarray(summary.customer_id)


def _segments(company: Any, buyers: _Buyers, plot: Any) -> Section:
    from custcentric.segmentation import (
        abc_classes,
        concentration,
        rfm_segments,
        value_tiers,
    )
    from custcentric.value import rfm_scores

    cur = company.currency
    tiers = value_tiers(buyers.revenue, customer_id=buyers.customer_id)
    conc = concentration(buyers.revenue)
    abc = abc_classes(buyers.revenue, cutoffs=(0.8, 0.95))
    analysis = buyers.end.astype("datetime64[D]") + np.timedelta64(1, "D")
    days_since = np.asarray((analysis - buyers.last) / np.timedelta64(1, "D"), dtype=np.float64)
    scores = rfm_scores(
        time_since_last=days_since,
        frequency=buyers.purchases,
        monetary=buyers.revenue,
        customer_id=buyers.customer_id,
    )
    segments = rfm_segments(scores)
    migration, years = _migration(company, buyers)
    return Section(
        id="segments",
        title="Value tiers, concentration and segments",
        intro=(
            f"Ranked by revenue, the top 20 % of buyers hold {percent(float(tiers.value_share[0]))} "
            f"of it (Gini {conc.gini:.2f}); {percent(float(abc.customer_share[0]))} of buyers "
            f"make 80 % of revenue. RFM segments score recency, frequency and revenue in "
            f"quintiles; the migration matrix follows buyers' revenue tiers from {years[0]} to "
            f"{years[1]}."
        ),
        computed_with=(
            "custcentric.segmentation.value_tiers",
            "custcentric.segmentation.concentration",
            "custcentric.segmentation.abc_classes",
            "custcentric.value.rfm_scores",
            "custcentric.segmentation.rfm_segments",
            "custcentric.segmentation.MigrationModel.fit",
        ),
        kpis=(
            _kpi("Gini of revenue", conc.gini, f"{conc.gini:.2f}"),
            _kpi(
                "top 20 % share", float(tiers.value_share[0]), percent(float(tiers.value_share[0]))
            ),
            _kpi(
                "ABC class A",
                float(abc.customer_share[0]),
                percent(float(abc.customer_share[0])),
                "of buyers make 80 % of revenue",
            ),
            _kpi("RFM segments", len(segments.names), number(len(segments.names))),
        ),
        figures=(
            Figure(
                id="segments-lorenz",
                caption="Lorenz curve of revenue",
                draw=functools.partial(plot.lorenz_curve, conc, max_points=400),
            ),
            Figure(
                id="segments-tiers",
                caption="Revenue tiers: customers and value",
                draw=functools.partial(plot.value_tiers, tiers),
            ),
            Figure(
                id="segments-rfm",
                caption="RFM segment sizes",
                draw=functools.partial(plot.rfm_segments, segments),
            ),
            Figure(
                id="segments-rfm-grid",
                caption="Recency x frequency grid, each cell named by its most common segment",
                draw=functools.partial(plot.rfm_grid, scores, segments),
            ),
            Figure(
                id="segments-migration",
                caption=f"Migration between revenue tiers, {years[0]} to {years[1]}",
                draw=functools.partial(plot.migration_matrix, migration),
            ),
        ),
        tables=(
            _table(
                "segments-tiers",
                "Revenue tiers",
                ("tier", "buyers", "share of buyers", f"revenue ({cur})", "share of revenue"),
                list(
                    zip(
                        tiers.names,
                        tiers.sizes.tolist(),
                        tiers.customer_share.tolist(),
                        tiers.value_total.tolist(),
                        tiers.value_share.tolist(),
                        strict=True,
                    )
                ),
                (_str, number, percent, number, percent),
            ),
        ),
    )


def _migration(company: Any, buyers: _Buyers) -> tuple[Any, tuple[int, int]]:
    from custcentric.segmentation import MigrationModel, value_tiers

    log = company.transactions
    year = log.timestamp.astype("datetime64[Y]").astype(np.int64) + 1970
    last_year = int(year.max())
    states = []
    for y in (last_year - 1, last_year):
        inside = year == y
        spent = np.bincount(
            buyers.which[inside], weights=log.amount[inside], minlength=buyers.customer_id.size
        )
        label = np.full(spent.size, "no purchase", dtype=object)
        bought = spent > 0
        if bought.any():
            label[bought] = np.asarray(value_tiers(spent[bought]).labels)
        states.append(label.astype(str))
    names = [*dict.fromkeys(value_tiers([3.0, 2.0, 1.0]).names), "no purchase"]
    used = [s for s in names if (states[0] == s).any() or (states[1] == s).any()]
    return MigrationModel.fit(states[0], states[1], states=used), (last_year - 1, last_year)


def _satisfaction(company: Any, buyers: _Buyers, plot: Any) -> Section:
    from custcentric.metrics import (
        csat,
        csat_by_group,
        kaplan_meier,
        nps,
        nps_by_group,
        retention_curve,
    )

    surveys = company.surveys
    end = buyers.end
    lapsed = end - buyers.last > np.timedelta64(_LAPSE_DAYS, "D")
    tenure = np.asarray((buyers.last - buyers.first) / np.timedelta64(1, "D"), dtype=np.float64)
    tier = _service_tier(company, buyers.customer_id)
    groups = [
        t for t in (*_TIER_ORDER, "none") if (tier == t).sum() > 0 and (lapsed & (tier == t)).any()
    ]
    # The figure counts tenure in whole weeks (a smaller page, the same curve to the eye).
    weeks = np.floor(tenure / 7.0)
    km = {t: kaplan_meier(weeks[tier == t], lapsed[tier == t]) for t in groups}
    censored = {t: np.unique(weeks[(tier == t) & ~lapsed]) for t in groups}
    overall = kaplan_meier(tenure, lapsed)
    curve = retention_curve(
        buyers.first,
        np.where(lapsed, buyers.last, np.datetime64("NaT")),
        period="Q",
        observation_end=end,
    )
    answer_tier = _service_tier(company, surveys.customer_id)
    is_nps, is_csat = surveys.instrument == "nps", surveys.instrument == "csat"
    score = nps(surveys.score[is_nps])
    satisfied = csat(surveys.score[is_csat])
    nps_tier = nps_by_group(surveys.score[is_nps], answer_tier[is_nps])
    csat_tier = csat_by_group(surveys.score[is_csat], answer_tier[is_csat])
    titles = _titles(company)
    process = np.array(
        [
            titles.get(str(p), str(p)) if p else "relationship survey"
            for p in np.asarray(surveys.process).tolist()
        ]
    )
    csat_process = csat_by_group(surveys.score[is_csat], process[is_csat])
    order = [t for t in (*_TIER_ORDER, "none") if t in set(nps_tier.group.tolist())]
    rows = []
    for t in order:
        i = nps_tier.group.tolist().index(t)
        j = csat_tier.group.tolist().index(t) if t in csat_tier.group.tolist() else None
        rows.append(
            (
                t,
                int(nps_tier.n[i]),
                float(nps_tier.estimate[i]),
                float(nps_tier.low[i]),
                float(nps_tier.high[i]),
                None if j is None else float(csat_tier.estimate[j]),
            )
        )
    low, high = score.confidence_interval()
    one_year = float(overall.survival_at([365.0])[0])
    return Section(
        id="satisfaction",
        title="Satisfaction and retention",
        intro=(
            f"A buyer has lapsed when their last purchase is more than {_LAPSE_DAYS} days "
            "before the end of the data; tenure runs from first to last purchase, and buyers "
            "still active are censored. NPS runs from -100 to 100 (adjusted-Wald interval); "
            "CSAT is the share answering 4 or 5 of 5 (Wilson interval)."
        ),
        computed_with=(
            "custcentric.metrics.kaplan_meier",
            "custcentric.metrics.retention_curve",
            "custcentric.metrics.nps_by_group",
            "custcentric.metrics.csat_by_group",
        ),
        kpis=(
            _kpi(
                "NPS",
                float(score.score),
                f"{float(score.score):.1f}",
                f"95 % interval {float(low):.1f} to {float(high):.1f}",
            ),
            _kpi(
                "CSAT",
                float(satisfied.share),
                percent(float(satisfied.share)),
                f"{number(satisfied.n)} answers",
            ),
            _kpi("active after a year", one_year, percent(one_year), "Kaplan–Meier, all buyers"),
            _kpi("lapsed buyers", int(lapsed.sum()), number(int(lapsed.sum()))),
        ),
        figures=(
            Figure(
                id="satisfaction-survival",
                caption="Buyers still active, by service tier",
                draw=functools.partial(
                    plot.survival_curves,
                    km,
                    censored=censored,
                    xlabel="Tenure, first to last purchase (whole weeks)",
                ),
            ),
            Figure(
                id="satisfaction-cohorts",
                caption="Retention by quarterly cohort",
                draw=functools.partial(plot.retention_curves, curve),
            ),
            Figure(
                id="satisfaction-nps",
                caption="NPS by service tier",
                draw=functools.partial(plot.metric_by_group, nps_tier, order=order),
            ),
            Figure(
                id="satisfaction-csat",
                caption="CSAT by customer process",
                draw=functools.partial(plot.metric_by_group, csat_process),
            ),
        ),
        tables=(
            _table(
                "satisfaction-tiers",
                "NPS and CSAT by service tier",
                ("service tier", "NPS answers", "NPS", "NPS low", "NPS high", "CSAT"),
                rows,
                (
                    _str,
                    number,
                    lambda v: number(v, 1),
                    lambda v: number(v, 1),
                    lambda v: number(v, 1),
                    percent,
                ),
            ),
        ),
    )


def _processes(company: Any, plot: Any) -> Section:
    from custcentric.process import cycle_times
    from custcentric.sla import BusinessCalendar, evaluate_slas

    cur = company.currency
    ct = cycle_times(company.events, processes=company.processes, time_unit="D")
    titles = _titles(company)
    targets: dict[str, float] = {}
    for sla in company.slas:
        if sla.metric.value == "cycle_time" and sla.process_id not in targets:
            targets[sla.process_id] = sla.target * _HOURS_PER[sla.time_unit] / 24.0
    customers = company.customers
    report = evaluate_slas(
        company.events,
        company.slas,
        segments=(customers.customer_id, _attribute(customers, "service_tier", "none")),
        calendar=BusinessCalendar(opens="08:00", closes="18:00"),
        processes=company.processes,
        tier_order=_TIER_ORDER,
    )
    names = {s.id: s.name for s in company.slas}
    rows = []
    for sla in company.slas:
        row = report.row(sla.id)
        rows.append(
            (
                sla.name,
                titles.get(sla.process_id, sla.process_id),
                f"{sla.target:g} {sla.time_unit}",
                sla.target_share,
                row.compliance,
                None if row.met is None else ("yes" if row.met else "no"),
                row.compensation,
            )
        )
    met = sum(1 for r in rows if r[5] == "yes")
    return Section(
        id="processes",
        title="Processes and service levels",
        intro=(
            f"{number(len(ct))} cases of {len(company.processes)} customer processes; "
            f"{number(ct.n_open)} are still open and count as late only once past their "
            "target. Compliance is the share of cases within target, per customer service "
            "tier, on business hours Mon-Fri 08:00-18:00."
        ),
        computed_with=("custcentric.process.cycle_times", "custcentric.sla.evaluate_slas"),
        kpis=(
            _kpi("cases", len(ct), number(len(ct))),
            _kpi("open cases", ct.n_open, number(ct.n_open)),
            _kpi("SLAs met", met, f"{met} of {len(rows)}"),
            _kpi(
                f"compensation owed ({cur})",
                report.total_compensation,
                number(report.total_compensation, 2),
                f"{number(len(report.breached))} breached cases",
            ),
        ),
        figures=(
            Figure(
                id="processes-cycle",
                caption="Cycle time per process against the SLA target",
                draw=functools.partial(
                    plot.cycle_time_distribution, ct, targets=targets, names=titles
                ),
            ),
            Figure(
                id="processes-compliance",
                caption="SLA compliance by customer tier",
                draw=functools.partial(
                    plot.sla_compliance, report, tiers=[*_TIER_ORDER, "all"], names=names
                ),
            ),
            Figure(
                id="processes-compensation",
                caption="Compensation owed per SLA",
                draw=functools.partial(plot.compensation_paid, report, currency=cur, names=names),
            ),
        ),
        tables=(
            _table(
                "processes-slas",
                "Service-level agreements",
                ("SLA", "process", "target", "promised", "compliance", "met", f"owed ({cur})"),
                rows,
                (
                    _str,
                    _str,
                    _str,
                    lambda v: percent(v, 0),
                    percent,
                    lambda v: "-" if v is None else str(v),
                    lambda v: number(v, 2),
                ),
            ),
        ),
    )


def _staffing(company: Any, plot: Any) -> Section:
    from custcentric.sla import required_agents

    log = company.interactions
    phone = (log.channel == "phone") & (log.direction == "inbound")
    times = log.timestamp[phone]
    days = times.astype("datetime64[D]")
    hours = ((times - days) // np.timedelta64(1, "h")).astype(np.int64)
    in_hours = np.is_busday(days) & (hours >= 8) & (hours < 18)
    n_open_hours = 10 * int(np.busday_count(days.min(), days.max() + np.timedelta64(1, "D")))
    mean_rate = float(in_hours.sum() / max(n_open_hours, 1))
    weekday = ((days.astype(np.int64) + 3) % 7)[in_hours]
    slot = weekday * 24 + hours[in_hours]
    peak_rate = float(np.bincount(slot, minlength=7 * 24).max() / max(n_open_hours / 50.0, 1.0))
    rates = np.array([mean_rate, peak_rate, 10 * peak_rate, 100 * peak_rate])
    handle = _HANDLE_MINUTES * 60.0
    agents = np.asarray(
        required_agents(
            rates,
            handle,
            interval="h",
            answer_time=_ANSWER_SECONDS,
            target_service_level=_SERVICE_TARGET,
        )
    )
    labels = ("average open hour", "busiest hour of the week", "busiest x 10", "busiest x 100")
    erlangs = rates * handle / 3600.0
    rows = [
        (label, float(r), float(e), int(a))
        for label, r, e, a in zip(labels, rates, erlangs, agents, strict=True)
    ]
    shown = float(erlangs[2])
    return Section(
        id="staffing",
        title="Contact-centre staffing",
        intro=(
            f"Inbound phone calls in opening hours, {_HANDLE_MINUTES:g} minutes handle time; "
            f"agents needed for {percent(_SERVICE_TARGET, 0)} of calls answered within "
            f"{_ANSWER_SECONDS:g} s (Erlang C). The curve shows ten times the busiest hour, "
            "where queueing is visible."
        ),
        computed_with=("custcentric.sla.required_agents", "custcentric.sla.service_level"),
        kpis=(
            _kpi("calls, busiest hour", peak_rate, number(peak_rate, 1)),
            _kpi("agents, busiest hour", int(agents[1]), number(int(agents[1]))),
            _kpi("agents, busiest x 10", int(agents[2]), number(int(agents[2]))),
        ),
        figures=(
            Figure(
                id="staffing-service-level",
                caption="Service level against agents at ten times the busiest hour",
                draw=functools.partial(
                    plot.service_level_curve,
                    shown,
                    handle_time=handle,
                    answer_time=_ANSWER_SECONDS,
                    target=_SERVICE_TARGET,
                ),
            ),
        ),
        tables=(
            _table(
                "staffing-scenarios",
                "Agents needed per scenario",
                ("scenario", "calls an hour", "Erlangs", "agents"),
                rows,
                (_str, lambda v: number(v, 1), lambda v: number(v, 2), number),
            ),
        ),
    )


def _maturity(company: Any, plot: Any) -> Section:
    from custcentric.domain import MaturityStage
    from custcentric.maturity import alignment, assess, default_catalogue, roadmap

    result = assess(default_catalogue(), company.maturity)
    target = MaturityStage.from_level(min(result.level + 2, 4))
    fit = alignment(result, target_stage=target)
    plan = roadmap(result, target)
    stage = "none" if result.stage is None else result.stage.value.replace("_", " ")
    steps = [
        (s.wave, s.name, s.area.value.replace("_", " "), s.from_level, s.to_level)
        for s in plan.steps[:8]
    ]
    return Section(
        id="maturity",
        title="Maturity",
        intro=(
            f"{len(result.raters)} departments rated {len(result.capability_ids)} "
            f"capabilities. The company is at stage {result.level} ({stage}); "
            f"{len(result.blocking)} capabilities block the next. The roadmap to stage "
            f"{target.level} has {len(plan.steps)} steps in {plan.n_waves} waves."
        ),
        computed_with=(
            "custcentric.maturity.assess",
            "custcentric.maturity.alignment",
            "custcentric.maturity.roadmap",
        ),
        kpis=(
            _kpi("stage", result.level, f"{result.level} of 4", stage),
            _kpi(
                "alignment index",
                float(fit.index),
                f"{float(fit.index):.2f}",
                "1 = every department at the same stage",
            ),
            _kpi("blocking capabilities", len(result.blocking), number(len(result.blocking))),
            _kpi(
                "roadmap steps", len(plan.steps), number(len(plan.steps)), f"{plan.n_waves} waves"
            ),
        ),
        figures=(
            Figure(
                id="maturity-levels",
                caption="Capability levels by department and area",
                draw=functools.partial(plot.maturity_heatmap, result),
            ),
            Figure(
                id="maturity-radar",
                caption=f"Area levels against stage {target.level}",
                draw=functools.partial(plot.maturity_radar, result, target=target.value),
            ),
            Figure(
                id="maturity-roadmap",
                caption="Roadmap waves",
                draw=functools.partial(plot.roadmap_waves, plan),
            ),
        ),
        tables=(
            _table(
                "maturity-roadmap",
                "First roadmap steps",
                ("wave", "capability", "area", "from level", "to level"),
                steps,
                (number, _str, _str, number, number),
            ),
        ),
    )


def _idic(company: Any, clv: FloatArray, clv_ids: NDArray[Any], plot: Any) -> Section:
    from custcentric.idic import differentiate

    customers = company.customers
    needs = _lookup(
        np.asarray(customers.customer_id),
        _attribute(customers, "preferred_channel", "unknown"),
        clv_ids,
        "unknown",
    )
    needs = np.char.add(needs.astype(str), "-first")
    d = differentiate(clv, needs)
    rows = []
    for i, tier in enumerate(d.tier_labels.tolist()):
        for j, segment in enumerate(d.needs_labels.tolist()):
            rows.append(
                (
                    str(tier),
                    str(segment),
                    int(d.counts[i, j]),
                    float(d.value_share[i, j]),
                    str(d.treatments[i, j]),
                )
            )
    rows.sort(key=lambda r: -float(r[3]))
    mvc = int(np.count_nonzero(d.category == "MVC"))
    return Section(
        id="idic",
        title="Differentiate: value x needs",
        intro=(
            "Identify, Differentiate, Interact, Customize: customers placed by their 12-month "
            "value (tiers of 20 %, 30 %, 50 %) and their needs, read here from the channel "
            f"they prefer. The base calls for {d.strategy}."
        ),
        computed_with=("custcentric.idic.differentiate",),
        kpis=(
            _kpi("strategy", d.strategy, d.strategy),
            _kpi("value Gini", d.value_gini, f"{d.value_gini:.2f}"),
            _kpi("needs diversity", d.needs_diversity, f"{d.needs_diversity:.2f}"),
            _kpi("most valuable customers", mvc, number(mvc)),
        ),
        figures=(
            Figure(
                id="idic-matrix",
                caption="Value x needs differentiation matrix",
                draw=functools.partial(plot.differentiation_matrix, d),
            ),
        ),
        tables=(
            _table(
                "idic-cells",
                "Largest cells of the matrix and their treatment",
                ("value tier", "needs segment", "customers", "share of value", "treatment"),
                rows[:8],
                (_str, _str, number, percent, _str),
            ),
        ),
    )


def sections(company: Any, progress: Callable[[str], None] | None = None) -> tuple[Section, ...]:
    """Return the report's sections for ``company``, in the order of :data:`SECTION_IDS`."""
    from custcentric import plot

    say = progress or (lambda _name: None)
    buyers = _buyers(company)
    say("customers")
    parts = [_customers(company, buyers)]
    say("value")
    value, clv, clv_ids = _value(company, buyers, plot)
    parts.append(value)
    say("segments")
    parts.append(_segments(company, buyers, plot))
    say("satisfaction")
    parts.append(_satisfaction(company, buyers, plot))
    say("processes")
    parts.append(_processes(company, plot))
    say("staffing")
    parts.append(_staffing(company, plot))
    say("maturity")
    parts.append(_maturity(company, plot))
    say("idic")
    parts.append(_idic(company, clv, clv_ids, plot))
    return tuple(parts)
