"""The five swappable steps of :class:`~custcentric.idic.IDICPipeline`, and today's defaults.

Each step is a small protocol: any object (or plain function) with that call signature can
replace the default, e.g. ``IDICPipeline(value=my_value_step)``.
"""

from __future__ import annotations

import warnings
from typing import Any, Protocol, runtime_checkable

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from custcentric._validation import fmt
from custcentric.exceptions import ConvergenceError, DegenerateDataWarning, InvalidInputError
from custcentric.idic._interact import InteractionSummary, interaction_summary
from custcentric.idic._offers import OfferAssignment, assign_offers
from custcentric.idic._resolve import resolve_identities
from custcentric.segmentation import kmeans
from custcentric.tables import (
    CustomerSummary,
    CustomerTable,
    InteractionLog,
    PerCustomer,
    TransactionLog,
)
from custcentric.typing import FloatArray
from custcentric.value import (
    PERIOD_DAYS,
    BetaGeo,
    GammaGamma,
    ParetoNBD,
    PurchaseModel,
    customer_lifetime_value,
)

__all__ = [
    "AssignOffers",
    "ChannelMixNeeds",
    "CustomizeStep",
    "IdentifyStep",
    "InteractStep",
    "ModelValue",
    "NeedsStep",
    "Persons",
    "ResolveIdentities",
    "SummariseInteractions",
    "ValueStep",
]


@runtime_checkable
class Persons(Protocol):
    """What an identify step returns: which profile record is which person.

    :class:`~custcentric.idic.IdentityResolution` has both members.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> from custcentric.idic import Persons, resolve_identities
    >>> isinstance(resolve_identities(load_sample_company().profiles), Persons)
    True
    """

    @property
    def person_id(self) -> NDArray[Any]:
        """The person id of each profile record, in the order of the records."""
        ...

    @property
    def golden(self) -> CustomerTable:
        """One row per person (``customer_id`` = person id), with ``birth_date``."""
        ...


class IdentifyStep(Protocol):
    """Identify: resolve the channel profile records into persons.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> from custcentric.idic import ResolveIdentities
    >>> ResolveIdentities(threshold=0.9)(load_sample_company().profiles).golden.customer_id[:2]
    array(['P001566', 'P001380'], dtype='<U7')
    """

    def __call__(self, profiles: CustomerTable, /) -> Persons:
        """Return the person of each record of ``profiles`` and one row per person."""
        ...


class ValueStep(Protocol):
    """Differentiate by value: each person's expected value over the horizon.

    Examples
    --------
    >>> import numpy as np
    >>> from custcentric.tables import PerCustomer
    >>> def flat_value(transactions, *, customer_id, observation_end, horizon, discount_rate):
    ...     return PerCustomer(customer_id=customer_id, values=np.full(len(customer_id), 10.0),
    ...                        name="value", unit="EUR")
    >>> flat_value(None, customer_id=np.array(["P1"]), observation_end=None, horizon=12,
    ...            discount_rate=0.01).total
    10.0
    """

    def __call__(
        self,
        transactions: TransactionLog,
        /,
        *,
        customer_id: NDArray[Any],
        observation_end: np.datetime64,
        horizon: int,
        discount_rate: float,
    ) -> PerCustomer | ArrayLike:
        """Return one value per person: a PerCustomer (matched by id) or an array in order."""
        ...


class InteractStep(Protocol):
    """Interact: summarise each person's contacts.

    Examples
    --------
    >>> from custcentric.idic import SummariseInteractions
    >>> callable(SummariseInteractions())
    True
    """

    def __call__(
        self, interactions: InteractionLog, /, *, customer_id: NDArray[Any], observation_end: Any
    ) -> InteractionSummary:
        """Return the contacts per person and channel (one row per ``customer_id``)."""
        ...


class NeedsStep(Protocol):
    """Differentiate by needs: one needs segment label per person.

    Examples
    --------
    >>> from custcentric.idic import ChannelMixNeeds
    >>> callable(ChannelMixNeeds())
    True
    """

    def __call__(
        self, interact: InteractionSummary, /, *, n_segments: int, rng: np.random.Generator
    ) -> ArrayLike:
        """Return a label per row of ``interact`` (its ``customer_id`` order)."""
        ...


class CustomizeStep(Protocol):
    """Customize: choose the offer of each person from the expected values and the limits.

    Examples
    --------
    >>> from custcentric.idic import AssignOffers
    >>> AssignOffers()([[5.0, 1.0], [0.0, 2.0]]).offer.tolist()
    [0, 1]
    """

    def __call__(self, expected_value: ArrayLike, /, **limits: Any) -> OfferAssignment:
        """Return the assignment; ``limits`` are the keywords of :func:`assign_offers`."""
        ...


# ------------------------------------------------------------------------------ defaults
@attrs.frozen
class ResolveIdentities:
    """The default identify step: :func:`resolve_identities` at a match threshold.

    Parameters
    ----------
    threshold : float, default 0.9
        Match probability above which two profile records are the same person.

    Examples
    --------
    >>> from custcentric.datasets import load_sample_company
    >>> from custcentric.idic import ResolveIdentities
    >>> ResolveIdentities()(load_sample_company().profiles).n_people
    5084
    """

    threshold: float = 0.9

    def __call__(self, profiles: CustomerTable, /) -> Any:
        """Return :func:`resolve_identities` of ``profiles``."""
        return resolve_identities(profiles, threshold=self.threshold)


_MODELS: dict[str, type[Any]] = {"BetaGeo": BetaGeo, "ParetoNBD": ParetoNBD}


def _purchase_model(value: object) -> Any:
    if isinstance(value, str):
        if value not in _MODELS:
            msg = f"`purchase_model` must be one of {', '.join(map(repr, _MODELS))} (got {fmt(value)})."
            raise InvalidInputError(msg)
        return _MODELS[value]
    if isinstance(value, type) and callable(getattr(value, "fit", None)):
        return value
    if isinstance(value, PurchaseModel):
        return value
    msg = (
        "`purchase_model` must be a model class with `fit` (BetaGeo, ParetoNBD, ...) or a "
        f"fitted model with the members of custcentric.value.PurchaseModel (got {fmt(value)})."
    )
    raise InvalidInputError(msg)


@attrs.frozen
class ModelValue:
    """The default value step: a purchase model × gamma-gamma spend, discounted CLV.

    Parameters
    ----------
    purchase_model : class, fitted model or str, default BetaGeo
        A model class with ``fit(summary)`` (``BetaGeo``, ``ParetoNBD``, ``ModifiedBetaGeo``,
        or ``"BetaGeo"`` / ``"ParetoNBD"`` by name), or an already fitted model with the
        members of :class:`~custcentric.value.PurchaseModel`, used as it is.

    Notes
    -----
    When the fitted model is degenerate — on data where nobody seems to drop out, BG/NBD
    drives ``a`` to 0 and ``r`` to millions and its expectations overflow — the step warns
    (:class:`~custcentric.exceptions.DegenerateDataWarning`, naming the parameters) and
    values with Pareto/NBD instead; if that fails too, with each person's observed repeat
    purchase rate (repeat purchases per week since the first) times their mean spend,
    discounted over the horizon. It never returns NaN.

    Examples
    --------
    >>> from custcentric.idic import IDICPipeline, ModelValue
    >>> from custcentric.value import ParetoNBD
    >>> IDICPipeline(value=ModelValue(ParetoNBD)).value.purchase_model.__name__
    'ParetoNBD'
    """

    purchase_model: Any = attrs.field(default=BetaGeo, converter=_purchase_model)

    @property
    def name(self) -> str:
        """The purchase model's name."""
        model = self.purchase_model
        return model.__name__ if isinstance(model, type) else type(model).__name__

    def __call__(
        self,
        transactions: TransactionLog,
        /,
        *,
        customer_id: NDArray[Any],
        observation_end: np.datetime64,
        horizon: int,
        discount_rate: float,
    ) -> PerCustomer:
        """Return each buyer's CLV over ``horizon`` months (persons who never bought: 0)."""
        del customer_id
        summary = transactions.summary(observation_end, time_unit="W")
        spend = _spend(summary)
        given = self.purchase_model
        value, problem = _clv(given, spend, summary, horizon, discount_rate)
        if problem and not (isinstance(given, type) and given is ParetoNBD):
            value, second = _clv(ParetoNBD, spend, summary, horizon, discount_rate)
            if not second:
                _warn(f"{problem}; valued with Pareto/NBD instead")
            else:
                problem = f"{problem}; Pareto/NBD too: {second}"
        if problem and value is None:
            _warn(
                f"{problem}; valued with each customer's observed repeat purchase rate "
                "times their mean spend instead"
            )
            value = _empirical(summary, spend, horizon, discount_rate)
        assert value is not None
        return PerCustomer(
            customer_id=summary.customer_id, values=value, name="clv", unit="currency"
        )


def _warn(text: str) -> None:
    warnings.warn(f"The value step: {text}.", DegenerateDataWarning, stacklevel=4)


def _spend(summary: CustomerSummary) -> FloatArray:
    """Gamma-gamma expected spend per purchase; the observed mean where it cannot be fitted."""
    observed = np.where(summary.monetary > 0, summary.monetary, 0.0)
    mean = float(observed[observed > 0].mean()) if (observed > 0).any() else 0.0
    fallback = np.where(observed > 0, observed, mean)
    try:
        model = GammaGamma.fit(summary).model
        spend = np.asarray(model.expected_spend(summary), dtype=np.float64)
    except (ConvergenceError, InvalidInputError):
        return fallback
    return np.where(np.isfinite(spend), spend, fallback)


def _clv(
    model: Any, spend: FloatArray, summary: CustomerSummary, horizon: int, discount_rate: float
) -> tuple[FloatArray | None, str]:
    name = model.__name__ if isinstance(model, type) else type(model).__name__
    try:
        fitted = model.fit(summary).model if isinstance(model, type) else model  # type: ignore[attr-defined]
    except ConvergenceError as error:
        return None, f"{name} could not be fitted ({error})"
    try:
        value = np.asarray(
            customer_lifetime_value(
                fitted,
                spend,
                summary,
                horizon=horizon,
                time_unit="M",
                discount_rate=discount_rate,
            ),
            dtype=np.float64,
        )
    except InvalidInputError:
        value = np.full(summary.customer_id.size, np.nan)
    if not np.isfinite(value).all():
        return None, (
            f"the {name} fit is degenerate ({fitted!r}): its expected purchases are not "
            "finite (on data where nobody seems to drop out the dropout rate goes to 0)"
        )
    return value, ""


def _empirical(
    summary: CustomerSummary, spend: FloatArray, horizon: int, discount_rate: float
) -> FloatArray:
    weeks = np.asarray(summary.T, dtype=np.float64)
    rate = np.divide(
        summary.frequency.astype(np.float64), weeks, out=np.zeros(weeks.size), where=weeks > 0
    )
    month = PERIOD_DAYS["M"] / 7.0
    discount = float(np.sum(1.0 / (1.0 + discount_rate) ** np.arange(1, horizon + 1)))
    result: FloatArray = rate * month * spend * discount
    return result


@attrs.frozen
class SummariseInteractions:
    """The default interact step: :func:`interaction_summary` per person.

    Examples
    --------
    >>> from custcentric.idic import SummariseInteractions
    >>> from custcentric.tables import InteractionLog
    >>> log = InteractionLog.from_arrays(["a"], ["2024-03-01T10:00"], ["sms"], ["outbound"], ["offer"])
    >>> SummariseInteractions()(log, customer_id=["a", "b"], observation_end="2024-04-01").contacts.sum(axis=1).tolist()
    [1, 0]
    """

    def __call__(
        self, interactions: InteractionLog, /, *, customer_id: Any, observation_end: Any
    ) -> InteractionSummary:
        """Return :func:`interaction_summary` of ``interactions`` for ``customer_id``."""
        return interaction_summary(
            interactions, observation_end=observation_end, customer_id=customer_id
        )


@attrs.frozen
class ChannelMixNeeds:
    """The default needs step: k-means on each person's channel mix and inbound share.

    Segments are named by the channel their members use most (``"web-first"``); where two
    lead with the same channel, the second tells them apart (``"email+sms"``).

    Examples
    --------
    >>> from custcentric.idic import ChannelMixNeeds
    >>> ChannelMixNeeds().__class__.__name__
    'ChannelMixNeeds'
    """

    def __call__(
        self, interact: InteractionSummary, /, *, n_segments: int, rng: np.random.Generator
    ) -> NDArray[np.str_]:
        """Return a needs label per row of ``interact``."""
        contacts = interact.contacts.astype(np.float64)
        totals = contacts.sum(axis=1, keepdims=True)
        mix = np.divide(contacts, totals, out=np.zeros_like(contacts), where=totals > 0)
        inbound = np.divide(
            interact.inbound, totals[:, 0], out=np.zeros(totals.shape[0]), where=totals[:, 0] > 0
        )
        features = np.column_stack([mix, inbound])
        k = min(n_segments, np.unique(features, axis=0).shape[0])
        clusters = kmeans(features, k, rng=rng)
        channels = np.asarray(interact.channels)
        ranked = np.argsort(-clusters.centres[:, :-1], axis=1, kind="stable")
        names = [f"{channels[r[0]]}-first" for r in ranked]
        names = [
            f"{name[:-6]}+{channels[r[1]]}" if names.count(name) > 1 else name
            for name, r in zip(names, ranked, strict=True)
        ]
        labels: NDArray[np.str_] = np.asarray(names)[clusters.labels]
        return labels


@attrs.frozen
class AssignOffers:
    """The default customize step: :func:`assign_offers` (at most one offer per person).

    Examples
    --------
    >>> from custcentric.idic import AssignOffers
    >>> AssignOffers()([[3.0, 4.0]], consent=[False]).refused
    {'no_consent': 2}
    """

    def __call__(self, expected_value: ArrayLike, /, **limits: Any) -> OfferAssignment:
        """Return :func:`assign_offers` of ``expected_value`` under ``limits``."""
        return assign_offers(expected_value, **limits)
