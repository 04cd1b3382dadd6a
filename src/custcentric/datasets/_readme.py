"""The README written next to the sample company's files."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["readme_text"]

_TEMPLATE = """\
# The Brightline sample company (synthetic)

Every person, number and event in these files is made up. They were written by
`custcentric.datasets.generate_sample_company(directory, seed={seed}, n_customers={n_customers})`
and `custcentric.datasets.load_sample_company()` reads them. Regenerating with the same seed
gives the same bytes (for the same NumPy and zlib versions); a test checks this.

*Brightline* sells broadband plans, devices and accessories through shops, a web shop, an app
and a contact centre. The data cover 2024-01-01 to 2025-12-31 (timestamps in ISO 8601, local
time, at minute resolution; the observation ends at 2025-12-31T23:59). All money is in {currency}
(purchase amounts and SLA compensation; `slas.json` declares it as `currency`). CSV files are
UTF-8 with a header row; `.gz` files are gzip-compressed CSV. An empty field means "missing".

## How it was generated

One `numpy.random.default_rng(seed)` is split with `spawn` into independent streams, one per
part (people, profile records, purchases, lifecycle, process starts, events, feedback, maturity,
the channel profile each record is kept under).

* **People.** Names are drawn from short lists of first and last names (so different people
  can share a name), e-mails use the reserved `example.*` domains and phones the fictional
  `555` prefix; region, preferred channel, marketing opt-in and birth date are drawn at random.
  About 94 % become buyers.
* **Purchases.** A BG/NBD-like buy-till-you-die process (Fader, Hardie & Lee 2005): a first
  purchase at sign-up (in the first 18 months), then repeat purchases as a Poisson process with
  rate `lambda ~ Gamma(r=0.9, alpha=26 days)`, and after each purchase a dropout with probability
  `p ~ Beta(0.5, 7)`. Spend per purchase is `m * Gamma(6, 1/6)` around a customer mean
  `m ~ LogNormal(log 38, 0.75)`, rounded to a shop price ending in .99.
  The top 20 % of buyers hold {top_share:.1%} of revenue.
* **Tiers and lifecycle.** Buyers are ranked by revenue over the two years: the top 20 % are
  `gold`, the next 30 % `silver`, the rest `bronze` (non-buyers `none`). Lifecycle stage:
  prospects `identify`/`select`, one purchase `convert`, 2-5 `develop`, 6 or more `retain`,
  and `lapsed` when the last purchase is more than 300 days before the end.
* **Profile records.** 77 % of people have one record, 18 % two and 5 % three, from distinct
  channels (web, store, phone, app, email). The first record is clean; further records have
  typos (swapped, dropped or doubled letters), reordered or initialled names, case changes,
  channel-specific phone formats, day/month swaps in birth dates and missing fields.
  `true_customer_id` keeps the truth for evaluating identity resolution. The marketing
  opt-in is recorded on each person's first record only.
* **Records by channel.** Each purchase, contact and survey answer also names the channel
  profile it was recorded against (`profile_id`), as the channels' own systems hold them: a
  contact or answer on a channel where the person has a profile goes to that profile, anything
  else to one of the person's profiles at random (the first twice as likely as each other).
  `customer_id` keeps the true customer, for evaluation.
* **Processes and events.** Ten customer processes (`processes.json`: eight horizontal,
  spanning departments, and two vertical, industry-specific ones), each case walking
  through the steps in order; the wait before each step is lognormal (shorter for gold
  customers in service processes), back-office steps are moved into business hours
  (Mon-Fri 08:00-18:00), some cases repeat a loop of steps (rework), a few stall for months and
  some of those never finish. Events after the end are cut off: {open_cases} of {n_cases}
  cases had not finished; {open_in_log} of them show it in the log (their last event is not
  the process's last step), the others were cut off inside a rework loop after reaching the
  last step once. Cases start at purchases (orders, returns), at sign-up (onboarding,
  installation), after lapsing (cancellation) or at random times weighted by how active a
  customer is (service processes).
* **Interactions.** The contact that opened each case, survey invitations, marketing offers
  (about 2 % of them to customers who did not opt in - a consent problem to find), birthday
  greetings to opted-in gold and silver customers, a reminder a week into each contract
  renewal, and background inbound traffic (inquiries, complaints, compliments, ideas).
* **Surveys.** 40 % of closed cases get an invitation and 55 % of those answer: CSAT always,
  NPS (60 %) and CES (50 %) too. Satisfaction falls with the case's cycle time relative to its
  process's median and with rework, and rises with tier. A relationship NPS survey (no process)
  reached about a third of the buyers in 2025; it depends on tier, complaints and lapsing.
* **Maturity.** Six departments rated 30 capabilities on the four maturity stages. Sales and
  marketing rate the company higher than operations; on six capabilities the front office
  (sales, marketing, it) and the back office (customer service, operations, finance) are
  deliberately two or more stages apart.

## Files

### customers.csv.gz ({customers} rows) - the true customers
`customer_id` (C00001 ...), `name`, `email`, `phone` (+1 555-123-4567), `birth_date`
(YYYY-MM-DD), `lifecycle_stage` (identify, select, convert, develop, retain, lapsed),
`region` (north, south, east, west, central), `preferred_channel` (web, store, phone, app,
email), `marketing_opt_in` (true/false), `signup_date`, `service_tier` (gold, silver, bronze,
none).

### profiles.csv.gz ({profiles} rows) - customer records as the channels captured them
`customer_id` (the channel's own customer number: W, S, T, A or E and six digits), `name`,
`email`, `phone` (formatted the channel's way), `birth_date` (may be empty), `channel`,
`source_record_id` (R000001 ...), `true_customer_id` (the person behind the record; for
evaluation only), `marketing_opt_in` (true/false as recorded where the person signed up, on
their first record; empty on the records of channels that did not ask: no recorded opt-in).

### transactions.csv.gz ({transactions} rows) - purchases
`customer_id`, `timestamp`, `amount` ({currency}, two decimals), `profile_id` (the channel
profile the purchase was recorded against: a `customer_id` of `profiles.csv.gz`). Sorted by
customer, time.

### events.csv.gz ({events} rows) - process event log
`case_id` (K000001 ..., numbered by start time), `process` (a process id of
`processes.json`), `activity` (a step id of that process), `timestamp`, `customer_id`,
`department` (the step's department). Sorted by case, time. A case is closed when its last
event is the process's last step.

### processes.json - the customer processes
`{{"schema_version": 1, "company": ..., "processes": [...]}}`; each process has `id`, `name`,
`kind` (horizontal or vertical), `lifecycle_stage`, `owner`, `departments`, `partners`,
`suppliers` and `steps` (`id`, `name`, `department`, `customer_facing`).

### slas.json - the customer SLAs
`{{"schema_version": 1, "company": ..., "currency": "{currency}", "slas": [...]}}`; `currency` is
the ISO 4217 code of all the company's money. Each SLA has `id`, `name`, `process_id`,
`metric` (cycle_time, first_response = from the first event to the second step,
step_duration = the wait before `step_id`), `target` and `unit` (h or D), `target_share`,
`clock` (calendar or business: Mon-Fri 08:00-18:00), `tiers` (empty = every customer) and
`compensation` (in {currency}: `fixed_per_breach`, `per_unit_late` per `unit`, `grace`,
attainment `bands` of `lower`, `upper`, `rate`, and `cap`; null when none).

### interactions.csv.gz ({interactions} rows) - contacts
`customer_id`, `timestamp`, `channel`, `direction` (inbound, outbound), `kind` (inquiry,
complaint, compliment, idea, service_request, order, offer, reminder, greeting, survey,
other), `outcome` (resolved, unresolved, responded, no_response, converted, declined,
pending), `profile_id` (the channel profile the contact was recorded against). Sorted by
customer, time.

### surveys.csv.gz ({surveys} rows) - survey answers
`customer_id`, `timestamp`, `instrument` (nps 0-10, csat 1-5, ces 1-7 where 7 = very easy),
`score`, `process` (the process of the case surveyed; empty for the relationship survey),
`channel`, `profile_id` (the channel profile the answer was recorded against). Sorted by
customer, time.

### maturity.csv ({maturity} rows) - maturity self-assessment
`department`, `capability_id` (e.g. insight-03), `area` (a capability area), `level`
(1 product-centric, 2 customer focus, 3 customer value, 4 customer-centric), `note`.
"""


def readme_text(
    *,
    seed: int,
    n_customers: int,
    counts: Mapping[str, int],
    top_share: float,
    currency: str,
    open_cases: int,
    open_in_log: int,
    n_cases: int,
) -> str:
    """Return the README for one generated company."""
    rows = {name.split(".")[0]: f"{count:,}" for name, count in counts.items()}
    return _TEMPLATE.format(
        seed=seed,
        n_customers=n_customers,
        top_share=top_share,
        currency=currency,
        open_cases=f"{open_cases:,}",
        open_in_log=f"{open_in_log:,}",
        n_cases=f"{n_cases:,}",
        **rows,
    )
