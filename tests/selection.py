"""Which tests run on which database, and in which order (called from tests/conftest.py)."""

from __future__ import annotations

import pytest

# Modules whose tests only read the demo data through pages, the API or search, marked
# ``read_only`` here in one place, each with the tests in it that do write (an editor step, a
# moved clock that writes, the query log a search keeps). A read_only test that writes fails
# on SQLite, so a test that starts writing is caught and must be named here.
READ_ONLY_MODULES: dict[str, set[str]] = {
    "test_search_hostile": set(), "test_language_urls": set(), "test_site_addresses": set(),
    "test_public_pages": set(), "test_relevance": set(), "test_no_cookies": set(),
    "test_demo_data": set(),
    "test_a11y": {"test_calculator_and_feedback_work_without_javascript"},
    "test_search_scope": {"test_editors_manage_pointers_and_search_uses_them_at_once",
                          "test_the_hotline_is_a_link_when_the_centre_has_one"},
    "test_search_understanding": {
        "test_an_abbreviation_an_editor_adds_works_at_once",
        "test_counts_are_kept_per_day_and_old_days_pruned",
        "test_editors_see_what_was_asked_most_and_what_found_nothing",
        "test_noise_from_a_scan_is_not_recorded"},
    "test_search": {"test_consecutive_syllables_rank_above_scattered",
                    "test_exact_diacritics_rank_first",
                    "test_names_outrank_keywords_outrank_documents_outrank_the_rest",
                    "test_queries_are_counted_per_day_with_the_folded_text_only",
                    "test_snippets_are_escaped_and_marked", "test_sort_by_name_and_by_update"},
    "test_public": {"test_a_demo_code_is_never_shown_as_a_national_code",
                    "test_a_procedure_no_longer_in_force_says_so_and_points_on",
                    "test_one_primary_online_action_to_the_national_portal",
                    "test_unpublished_procedures_are_not_public"},
    "test_i18n": {"test_missing_english_shows_vietnamese_with_a_note"},
    "test_quality_pages": {"test_a_new_rating_shows_in_this_months_rate",
                           "test_editor_entry_validates_and_keeps_history",
                           "test_editor_import_reports_then_applies", "test_editor_overview",
                           "test_editors_manage_the_reasons_the_tablet_offers",
                           "test_tablet_admin_pages"},
    "test_answer_first": {
        "test_a_fee_on_some_channels_names_them",
        "test_a_fee_shared_by_three_channels_is_stored_once_and_shown_once",
        "test_an_editor_sets_where_to_get_a_form",
        "test_english_processing_time_comes_from_the_same_field",
        "test_unverified_is_said_once_per_fee_box_and_verified_fees_name_their_article"},
}


def _read_only(item) -> bool:
    writers = READ_ONLY_MODULES.get(item.module.__name__.rsplit(".", 1)[-1])
    return writers is not None and item.originalname not in writers


def _needs_postgresql(item) -> bool:
    return ("template" in getattr(item, "fixturenames", ())
            and item.get_closest_marker("read_only") is None)


def arrange(config, items: list, postgresql: bool) -> None:
    """On the PostgreSQL pass, run only the tests whose outcome can depend on the database.

    A test that never asks for the demo ``template`` (directly or through ``app``, ``client``,
    ``ctx`` …) cannot behave differently on PostgreSQL: it already ran on the SQLite pass.
    Nor can a test marked ``read_only``: it only reads pages or the API (the app fixture checks
    on SQLite that it wrote nothing), and tests/test_databases_agree.py proves on PostgreSQL
    that every such page and answer is byte for byte what SQLite gives.
    """
    for item in items:
        if _read_only(item):
            item.add_marker(pytest.mark.read_only)
    # The long tests first (end to end, then browsers; otherwise as collected): pytest-xdist
    # hands tests out in this order, and a long one handed out last ends the run alone.
    items.sort(key=lambda item: 0 if item.get_closest_marker("slow")
               else 1 if item.get_closest_marker("browser") else 2)
    if not postgresql:
        return
    keep = [item for item in items if _needs_postgresql(item)]
    dropped = [item for item in items if not _needs_postgresql(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
