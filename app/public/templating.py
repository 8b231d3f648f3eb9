"""Shaping functions the public templates and macros may call, registered as Jinja globals."""

from __future__ import annotations

from flask import Blueprint

from app.public import answer, summary
from app.public.qr import qr_svg
from app.vocab import AgencyRole, OnlineClass

GLOBALS = {
    "display_name": summary.display_name,
    "fee_text": summary.fee_text,
    "channel_label": summary.channel_label,
    "processing_time": summary.processing_time,
    "cost_lines": summary.cost_lines,
    "time_lines": summary.time_lines,
    "short_cost": summary.short_cost,
    "short_time": summary.short_time,
    "online_text": summary.online_text,
    "current_fees": summary.current_fees,
    "upcoming_fees": summary.upcoming_fees,
    "scheduled_text": summary.scheduled_text,
    "fee_basis_texts": summary.fee_basis_texts,
    "online_classes": OnlineClass.labels(),
    "online_explained": summary.ONLINE_EXPLAINED,
    "legacy_explained": summary.LEGACY_EXPLAINED,
    "agency_roles": AgencyRole.labels(),
    "qr_svg": qr_svg,
    "fee_channels": summary.fee_channels,
    "amount_text": summary.amount_text,
    "fee_box": answer.fee_box,
    "one_line": answer.one_line,
    "form_where": answer.form_where,
    "case_arg": answer.CASE_ARG,
    "short_source": answer.short_source,
    "all_cases": answer.ALL_CASES,
}


def register(bp: Blueprint) -> None:
    for name, value in GLOBALS.items():
        bp.add_app_template_global(value, name)
