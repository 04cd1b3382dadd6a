"""``CustomerProcess`` and ``ProcessStep``: how the company serves a customer, end to end."""

from __future__ import annotations

import attrs

from custcentric.domain._base import (
    DomainValue,
    check_unique,
    enum_field,
    flag,
    nested,
    optional_text,
    text,
    text_tuple,
    values_tuple,
)
from custcentric.domain._enums import LifecycleStage, ProcessKind
from custcentric.exceptions import InvalidInputError

__all__ = ["CustomerProcess", "ProcessStep"]


@attrs.frozen(kw_only=True)
class ProcessStep(DomainValue):
    """One step of a customer process.

    Parameters
    ----------
    id : str
        The activity name that the step's events carry in an
        :class:`~custcentric.tables.EventLog`.
    name : str
        A readable name.
    department : str, optional
        The department that performs it.
    customer_facing : bool, default True
        Whether the customer sees the step (a moment of truth) or it happens behind the scenes.

    Examples
    --------
    >>> from custcentric.domain import ProcessStep
    >>> ProcessStep(id="shipped", name="Handed to courier", department="logistics").customer_facing
    True
    """

    id: str = attrs.field(converter=text("id"))
    name: str = attrs.field(converter=text("name"))
    department: str | None = attrs.field(default=None, converter=optional_text("department"))
    customer_facing: bool = attrs.field(default=True, converter=flag("customer_facing"))


@attrs.frozen(kw_only=True)
class CustomerProcess(DomainValue):
    """A customer process: from the customer's request to the result they wanted.

    Customer processes cross departments (source S5): *horizontal* ones (order to delivery,
    complaint to resolution) exist in every industry, *vertical* ones (fault repair,
    installation) are particular to one. Each belongs to a stage of the customer lifecycle
    and has one owner accountable for its end-to-end cycle time.

    Parameters
    ----------
    id, name : str
        The process id used in event logs and SLAs, and a readable name.
    kind : ProcessKind
        ``HORIZONTAL`` or ``VERTICAL``.
    lifecycle_stage : LifecycleStage
        The stage of the customer lifecycle the process serves.
    owner : str
        Who is accountable for the whole process.
    departments : tuple of str, default ()
        The departments it crosses; every step's department must be one of them.
    partners, suppliers : tuple of str, default ()
        Outside parties taking part.
    steps : tuple of ProcessStep, default ()
        The steps in order, with distinct ids.

    Examples
    --------
    >>> from custcentric.domain import CustomerProcess, ProcessStep
    >>> p = CustomerProcess(
    ...     id="order-to-delivery", name="Order to delivery", kind="horizontal",
    ...     lifecycle_stage="convert", owner="Head of Fulfilment",
    ...     departments=("sales", "logistics"),
    ...     steps=(ProcessStep(id="ordered", name="Order received", department="sales"),
    ...            {"id": "delivered", "name": "Delivered", "department": "logistics"}))
    >>> p.step_ids
    ('ordered', 'delivered')
    >>> p.step("delivered").department
    'logistics'
    >>> CustomerProcess.from_dict(p.to_dict()) == p
    True
    """

    id: str = attrs.field(converter=text("id"))
    name: str = attrs.field(converter=text("name"))
    kind: ProcessKind = attrs.field(converter=enum_field(ProcessKind, "kind"))
    lifecycle_stage: LifecycleStage = attrs.field(
        converter=enum_field(LifecycleStage, "lifecycle_stage")
    )
    owner: str = attrs.field(converter=text("owner"))
    departments: tuple[str, ...] = attrs.field(default=(), converter=text_tuple("departments"))
    partners: tuple[str, ...] = attrs.field(default=(), converter=text_tuple("partners"))
    suppliers: tuple[str, ...] = attrs.field(default=(), converter=text_tuple("suppliers"))
    steps: tuple[ProcessStep, ...] = attrs.field(
        default=(), converter=values_tuple("steps", nested(ProcessStep, "steps"))
    )

    def __attrs_post_init__(self) -> None:
        check_unique(self.departments, "departments")
        check_unique((s.id for s in self.steps), "steps")
        for i, step in enumerate(self.steps):
            if step.department is not None and step.department not in self.departments:
                msg = (
                    f"`steps` must name departments listed in `departments` "
                    f"(step {i}: {step.department!r} not in {list(self.departments)})."
                )
                raise InvalidInputError(msg)

    @property
    def step_ids(self) -> tuple[str, ...]:
        """The step ids in order."""
        return tuple(s.id for s in self.steps)

    def step(self, step_id: str) -> ProcessStep:
        """Return the step with id ``step_id``."""
        for s in self.steps:
            if s.id == step_id:
                return s
        msg = f"`step_id` must be a step of process {self.id!r}, one of {list(self.step_ids)} (got {step_id!r})."
        raise InvalidInputError(msg)
