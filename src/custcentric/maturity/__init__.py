"""Customer-centricity maturity: stages, capabilities, assessment, alignment, roadmap, readiness.

Source S1 plans the journey in four steps: know where you are, choose the target stage, align
more than 75 customer-management capabilities to it, and let metrics guide progress; and it
warns that departments at different stages damage customers' confidence. Source S3 adds the
readiness of the organisation (seven characteristics, the CRM core team) and a scorecard that
does not stop at efficiency. Methods: CMMI's staged and continuous representations, ISO/IEC
33020's N/P/L/F scale, r_WG and Kendall's W for agreement.

Examples
--------
>>> from custcentric.maturity import alignment, assess, default_catalogue, roadmap
>>> catalogue = default_catalogue()
>>> ratings = {"sales": {"insight-01": 3, "insight-02": 2},
...            "it": {"insight-01": 2, "insight-02": 1}}
>>> result = assess(catalogue, ratings)
>>> result.stage.value, result.capability_levels()
('product_centric', {'insight-01': 2, 'insight-02': 1})
>>> round(alignment(result).index, 3)
0.667
>>> print(roadmap(result, "customer_focus").steps[0])
wave 1: insight-02 Value-based segmentation 1 -> 2
"""

from custcentric.maturity._agreement import KendallW, kendall_w, rwg
from custcentric.maturity._alignment import Alignment, StageSpread, alignment
from custcentric.maturity._assess import AGGREGATES, RULES, assess
from custcentric.maturity._assessment import Assessment, Blocker
from custcentric.maturity._catalogue import Catalogue, default_catalogue, load_catalogue
from custcentric.maturity._ratings import ACHIEVEMENT_LEVELS
from custcentric.maturity._readiness import (
    CHARACTERISTICS,
    EXPERTISE,
    Readiness,
    TeamCheck,
    TeamMember,
    check_team,
    readiness,
)
from custcentric.maturity._roadmap import Roadmap, RoadmapStep, roadmap
from custcentric.maturity._scorecard import KNOWN_MEASURES, MEASURE_KINDS, Measure, Scorecard

__all__ = [
    "ACHIEVEMENT_LEVELS",
    "AGGREGATES",
    "CHARACTERISTICS",
    "EXPERTISE",
    "KNOWN_MEASURES",
    "MEASURE_KINDS",
    "RULES",
    "Alignment",
    "Assessment",
    "Blocker",
    "Catalogue",
    "KendallW",
    "Measure",
    "Readiness",
    "Roadmap",
    "RoadmapStep",
    "Scorecard",
    "StageSpread",
    "TeamCheck",
    "TeamMember",
    "alignment",
    "assess",
    "check_team",
    "default_catalogue",
    "kendall_w",
    "load_catalogue",
    "readiness",
    "roadmap",
    "rwg",
]
