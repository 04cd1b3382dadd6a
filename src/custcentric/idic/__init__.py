"""IDIC — Identify customers across channels, Interact on their terms, Customize offers.

Peppers & Rogers' IDIC model starts with *Identify*: know each customer as one individual
across every channel (source S2). This part links a company's channel profile records
that belong to the same person and merges them into one golden record each:

* :func:`normalize_name`, :func:`normalize_email`, :func:`normalize_phone`,
  :func:`split_name` standardise the raw text;
* :func:`jaro_winkler` compares strings, vectorised over arrays of pairs;
* :class:`FellegiSunter` holds m/u probabilities and scores agreement patterns; its
  :meth:`~FellegiSunter.fit` estimates them by EM;
* :func:`resolve_identities` runs the pipeline: standardise, block, compare, score,
  cluster (union–find) and merge, returning an :class:`IdentityResolution` whose
  :meth:`~IdentityResolution.evaluate` gives pairwise precision and recall against known
  identities (:class:`LinkageEvaluation`).

For *Interact*, :func:`interaction_summary` reads an ``InteractionLog`` (contacts per customer
and channel, response rates with Wilson intervals, inbound/outbound mix, preferred channel,
time since last contact) and :class:`ContactPolicy` (with :class:`FrequencyCap`) decides which
planned contacts may go ahead — caps, minimum gaps, quiet hours, opt-outs, consent — and why
the others may not (:class:`PolicyCheck`). :func:`due_triggers` says who gets which event-triggered
contact on a day — :class:`Birthday`, :class:`LifeEvent`, :class:`Inactivity` — after the policy
(:class:`DueTriggers`), and :func:`tag_feedback` tags free-text feedback by keyword rules
(:data:`FEEDBACK_TAGS`: complaint, idea, competitor) with counts and examples per tag
(:class:`FeedbackTags`).

For *Customize*, :func:`assign_offers` assigns offers to customers optimally — argmax, the
Hungarian algorithm, a transportation LP or a MILP under capacities and a budget — refusing the
pairs a customer would lose by or did not consent to (:class:`OfferAssignment`).

Examples
--------
>>> from custcentric.datasets import load_sample_company
>>> from custcentric.idic import resolve_identities
>>> profiles = load_sample_company().profiles
>>> result = resolve_identities(profiles)
>>> len(profiles), result.n_people
(6386, 5084)
>>> quality = result.evaluate(profiles.attributes["true_customer_id"])
>>> round(quality.precision, 3), round(quality.recall, 3)
(0.996, 0.934)
>>> from custcentric.idic import assign_offers
>>> assign_offers([[12, 7, 9], [8, 10, 4], [6, 9, 11], [10, 3, 8]], capacity=[1, 1, 1]).total_value
33.0
"""

from custcentric.idic._comparisons import LEVEL_KINDS, NORMALIZATIONS, Level
from custcentric.idic._differentiate import CATEGORIES, Differentiation, differentiate
from custcentric.idic._edit import damerau_levenshtein
from custcentric.idic._feedback import FEEDBACK_TAGS, FeedbackTags, tag_feedback
from custcentric.idic._fellegi_sunter import FellegiSunter, FellegiSunterFit
from custcentric.idic._fields import STANDARD_FIELDS, Comparison
from custcentric.idic._interact import RESPONSES, InteractionSummary, interaction_summary
from custcentric.idic._jaro import jaro_winkler
from custcentric.idic._normalize import normalize_email, normalize_name, normalize_phone, split_name
from custcentric.idic._offers import OFFER_METHODS, OfferAssignment, assign_offers
from custcentric.idic._pipeline import IDENTITIES, IDICData, IDICPipeline, IDICRun, Offer
from custcentric.idic._policy import ContactPolicy, FrequencyCap, PolicyCheck
from custcentric.idic._resolve import DEFAULT_BLOCKING, DEFAULT_FIELDS, resolve_identities
from custcentric.idic._result import (
    FieldEvidence,
    IdentityResolution,
    LinkageEvaluation,
    LinkExplanation,
)
from custcentric.idic._steps import (
    AssignOffers,
    ChannelMixNeeds,
    CustomizeStep,
    IdentifyStep,
    InteractStep,
    ModelValue,
    NeedsStep,
    Persons,
    ResolveIdentities,
    SummariseInteractions,
    ValueStep,
)
from custcentric.idic._triggers import (
    TRIGGERS,
    Birthday,
    DueTriggers,
    Inactivity,
    LifeEvent,
    Trigger,
    due_triggers,
    trigger_from_dict,
)

__all__ = [
    "CATEGORIES",
    "DEFAULT_BLOCKING",
    "DEFAULT_FIELDS",
    "FEEDBACK_TAGS",
    "IDENTITIES",
    "LEVEL_KINDS",
    "NORMALIZATIONS",
    "OFFER_METHODS",
    "RESPONSES",
    "STANDARD_FIELDS",
    "TRIGGERS",
    "AssignOffers",
    "Birthday",
    "ChannelMixNeeds",
    "Comparison",
    "ContactPolicy",
    "CustomizeStep",
    "Differentiation",
    "DueTriggers",
    "FeedbackTags",
    "FellegiSunter",
    "FellegiSunterFit",
    "FieldEvidence",
    "FrequencyCap",
    "IDICData",
    "IDICPipeline",
    "IDICRun",
    "IdentifyStep",
    "IdentityResolution",
    "Inactivity",
    "InteractStep",
    "InteractionSummary",
    "Level",
    "LifeEvent",
    "LinkExplanation",
    "LinkageEvaluation",
    "ModelValue",
    "NeedsStep",
    "Offer",
    "OfferAssignment",
    "Persons",
    "PolicyCheck",
    "ResolveIdentities",
    "SummariseInteractions",
    "Trigger",
    "ValueStep",
    "assign_offers",
    "damerau_levenshtein",
    "differentiate",
    "due_triggers",
    "interaction_summary",
    "jaro_winkler",
    "normalize_email",
    "normalize_name",
    "normalize_phone",
    "resolve_identities",
    "split_name",
    "tag_feedback",
    "trigger_from_dict",
]
