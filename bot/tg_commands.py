"""The Telegram commands that read the store directly: /reports and /check."""
from __future__ import annotations

import re
from typing import Any

from .render_tg import Line, table_name


def reports_reply(store: Any) -> list[Line]:
    """/reports: the agencies and years ingested."""
    docs = store.documents()
    if not docs:
        return [("", "还没有导入任何报告。/ No reports are ingested yet (xxgk ingest PATH).")]
    out: list[Line] = [("b", f"已导入 {len(docs)} 份报告 / {len(docs)} report(s) ingested")]
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
        out.append(("", f"• {agency} — {years}" + (f"（{place}）" if place else "")))
    for d in unknown:
        out.append(("", f"• {d.agency or '?'} — {d.year or '?'}: {d.name}（机关或年份未知 / agency or year unknown）"))
    return out


def check_reply(store: Any, args: list[str]) -> list[Line]:
    """/check AGENCY YEAR: that report's failed checks."""
    usage = [("", "用法 / Usage: /check 机关 年份 — 例如 / e.g. /check 夏邑县 2020")]
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
            return [("", "是哪个机关？/ Which agency?")] + [("", f"• {c}") for c in candidates] + usage
        return [("", f"没有找到机关“{name}”。/ No ingested agency matches “{name}”. See /reports.")]
    years = sorted(d.year for d in store.documents(agency=agency) if d.year)
    if year is None:
        if len(years) != 1:
            return [("", f"请指明年份 / Which year? {agency}: {'、'.join(map(str, years))}")] + usage
        year = years[0]
    if year not in years:
        return [("", f"没有{agency}{year}年的报告。/ No {year} report of {agency} is ingested. Stored: {'、'.join(map(str, years)) or '—'}.")]
    checks = store.checks(agency=agency, year=year)
    bad = [c for c in checks if c.status != "PASS"]
    passed = len(checks) - len(bad)
    head = f"{agency} {year}：{len(bad)} 项未通过，{passed} 项通过 / {len(bad)} not passing, {passed} passing"
    out: list[Line] = [("b", head)]
    if not bad:
        out.append(("", "所有核对都通过了。/ Every check passes."))
    for c in bad:
        where = f"（{c.document} 第{c.line}行 / line {c.line}）" if c.line else f"（{c.document}）"
        out.append(("", f"• {c.status} [{table_name(c.table) if c.table else c.name}] {c.detail}{where}"))
    return out
