"""``Capability``: one customer-management capability, described at each maturity stage."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from custcentric._validation import fmt, to_enum
from custcentric.domain._base import DomainValue, enum_field, text
from custcentric.domain._enums import CapabilityArea, MaturityStage
from custcentric.exceptions import InvalidInputError

__all__ = ["Capability"]


def _descriptors(value: object) -> tuple[str, ...]:
    stages = list(MaturityStage)
    if isinstance(value, Mapping):
        by_stage = {to_enum(MaturityStage, k, "descriptors"): v for k, v in value.items()}
        missing = [s.value for s in stages if s not in by_stage]
        if missing:
            msg = f"`descriptors` must describe every maturity stage (missing {missing[0]!r})."
            raise InvalidInputError(msg)
        items: Sequence[object] = [by_stage[s] for s in stages]
    elif isinstance(value, Sequence) and not isinstance(value, str):
        items = value
        if len(items) != len(stages):
            msg = (
                f"`descriptors` must hold one text per maturity stage, {len(stages)} in all "
                f"(got {len(items)})."
            )
            raise InvalidInputError(msg)
    else:
        msg = f"`descriptors` must be a mapping of stage to text or a sequence of 4 (got {fmt(value)})."
        raise InvalidInputError(msg)
    return tuple(text(f"descriptors[{s.value!r}]")(v) for s, v in zip(stages, items, strict=True))


@attrs.frozen(kw_only=True)
class Capability(DomainValue):
    """A capability of customer management and what it looks like at each maturity stage.

    The maturity catalogue of source S1 lists 75+ capabilities in areas such as strategy,
    insight, processes and measurement; a company aligns them to reach a stage.

    Parameters
    ----------
    id : str
        A short id (``"D8"``).
    area : CapabilityArea
        The area it belongs to.
    name : str
        A readable name.
    descriptors : mapping of MaturityStage to str, or sequence of 4 str
        What the capability looks like at each stage, product-centric first.

    Examples
    --------
    >>> from custcentric.domain import Capability, MaturityStage
    >>> cap = Capability(id="D8", area="customer_processes", name="Customer SLAs",
    ...                  descriptors=["None", "Internal targets only",
    ...                               "Published targets with compensation",
    ...                               "Automatic compensation"])
    >>> cap.descriptor(MaturityStage.CUSTOMER_VALUE)
    'Published targets with compensation'
    >>> cap.to_dict()["descriptors"]["customer_centric"]
    'Automatic compensation'
    >>> Capability.from_dict(cap.to_dict()) == cap
    True
    """

    id: str = attrs.field(converter=text("id"))
    area: CapabilityArea = attrs.field(converter=enum_field(CapabilityArea, "area"))
    name: str = attrs.field(converter=text("name"))
    descriptors: tuple[str, ...] = attrs.field(converter=_descriptors)

    def descriptor(self, stage: MaturityStage | str) -> str:
        """Return the description of the capability at ``stage``."""
        return self.descriptors[to_enum(MaturityStage, stage, "stage").level - 1]

    def to_dict(self) -> dict[str, Any]:
        """Return the value as plain data; ``descriptors`` keyed by stage value."""
        data = super().to_dict()
        data["descriptors"] = {
            s.value: d for s, d in zip(MaturityStage, self.descriptors, strict=True)
        }
        return data
