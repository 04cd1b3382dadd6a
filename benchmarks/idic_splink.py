"""Run splink (DuckDB backend) on a CSV of standardised records and write its clusters.

Runs in splink's own environment (not custcentric's), called by ``benchmarks/idic.py
--splink-python PATH``::

    python benchmarks/idic_splink.py records.csv clusters.csv

The input has ``unique_id, first_name, surname, email, phone, dob`` (standardised by
custcentric: lower case, "Last, First" turned round, phone digits, ISO dates; empty where
missing). The model uses splink's documented default comparisons from its comparison
library (``NameComparison`` with term-frequency adjustments for both names,
``EmailComparison``, ``ExactMatch`` for the phone, ``DateOfBirthComparison``), the same
four blocking rules as ``resolve_identities``, ``u`` by random sampling, ``m`` by EM on two
training blocking rules, and links at match probability 0.9, clustered at 0.9.
"""

from __future__ import annotations

import sys
import time

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on


def main(source: str, target: str) -> int:
    """Fit, predict and cluster; write ``unique_id, cluster_id`` and print the seconds."""
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    frame = frame.replace({"": None})
    start = time.perf_counter()
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email"),
            cl.ExactMatch("phone"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("phone"),
            block_on("email"),
            block_on("surname", "substr(first_name, 1, 1)"),
            block_on("first_name", "dob"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(DuckDBAPI().register(frame), settings, log_level="WARNING")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("phone"), block_on("email")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("phone"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("email"))
    predictions = linker.inference.predict(threshold_match_probability=0.9)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=0.9
    ).as_pandas_dataframe()
    seconds = time.perf_counter() - start
    clusters[["unique_id", "cluster_id"]].to_csv(target, index=False)
    print(f"{seconds:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
