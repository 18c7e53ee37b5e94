"""Rules of cleaners/offers.py against data files: in the wild, synthetic, must-not-change,
known failures."""

from __future__ import annotations

from casefiles import family_tests

from cleaners import offers

(
    test_removes_residue,
    test_idempotent,
    test_must_not_change,
    test_known_failures,
    test_rules_registered_in_default_chain_with_docs,
) = family_tests("offers", offers.RULES, categories=("promo", "nav"))
