"""The Telegram commands that read the store directly: /reports and /check."""

from __future__ import annotations

import re
from typing import Any

from .messages_tg import TG
from .render import table_name
from .render_tg import Line


def reports_reply(store: Any) -> list[Line]:
    """/reports: the agencies and years ingested."""
    docs = store.documents()
    if not docs:
        return [("", TG["no_reports"])]
    out: list[Line] = [("b", TG["reports"].format(n=len(docs)))]
    by_agency: dict[str, list[Any]] = {}
    unknown = []
    for d in docs:
        if d.agency is None or d.year is None:
            unknown.append(d)
        else:
            by_agency.setdefault(d.agency, []).append(d)
    for agency, ds in by_agency.items():
        d0 = ds[0]
        place = "".join(x for x in (d0.province, d0.city if d0.city != d0.province else None, d0.place) if x)
        years = "、".join(str(d.year) for d in sorted(ds, key=lambda d: d.year))
        out.append(
            ("", TG["agency_years"].format(agency=agency, years=years) + (f"（{place}）" if place else ""))
        )
    for d in unknown:
        out.append(("", TG["unknown_report"].format(agency=d.agency or "?", year=d.year or "?", name=d.name)))
    return out


def check_reply(store: Any, args: list[str]) -> list[Line]:
    """/check AGENCY YEAR: that report's failed checks."""
    usage = [("", TG["usage"])]
    text = " ".join(args).strip()
    m = re.search(r"((?:19|20)\d{2})\s*年?\s*$", text)
    year = int(m.group(1)) if m else None
    name = (text[: m.start()] if m else text).strip()
    if not name:
        return usage
    from .agencies import resolver_for  # names read as questions read them

    resolved = resolver_for(store).resolve(name)
    agency, candidates = resolved.agency, resolved.candidates
    if agency is None:
        if candidates:
            return [
                ("", TG["which_agency"]),
                *(("", TG["candidate"].format(name=c)) for c in candidates),
                *usage,
            ]
        return [("", TG["no_agency"].format(name=name))]
    years = sorted(d.year for d in store.documents(agency=agency) if d.year)
    if year is None:
        if len(years) != 1:
            return [("", TG["which_year"].format(agency=agency, years="、".join(map(str, years)))), *usage]
        year = years[0]
    if year not in years:
        stored = "、".join(map(str, years)) or "—"
        return [("", TG["no_year"].format(agency=agency, year=year, years=stored))]
    checks = store.checks(agency=agency, year=year)
    bad = [c for c in checks if c.status != "PASS"]
    passed = len(checks) - len(bad)
    out: list[Line] = [("b", TG["check_head"].format(agency=agency, year=year, bad=len(bad), passed=passed))]
    if not bad:
        out.append(("", TG["all_pass"]))
    for c in bad:
        at = f"（{c.document} 第{c.line}行 / line {c.line}）" if c.line else f"（{c.document}）"
        table = table_name(c.table) if c.table else c.name
        out.append(("", TG["failed_check"].format(status=c.status, table=table, detail=c.detail, at=at)))
    return out
