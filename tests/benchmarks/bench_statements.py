"""Statement rendering speed: 10,000 and 500 usage lines, ours (in parts, in parallel, joined
and stamped) against the naive single WeasyPrint document of the same lines.

Run with `make bench` (or this file alone). Needs no database: the figures are made up here
and go through the same templates and renderer as a real statement. Each measurement runs
in a fresh process, so its peak memory is its own. Prints each figure and merges them into
bench-results.json.

Figures:
  statement_10k_lines_s      wall seconds for a 10,000-line statement, ours
  statement_10k_peak_mb      peak resident memory of the largest process doing it (MB)
  statement_500_lines_s      wall seconds for a 500-line statement, ours
  statement_pages_per_s      pages of the 10,000-line statement per wall second
  statement_naive_10k_s      the same 10,000 lines as one WeasyPrint document
  statement_naive_10k_peak_mb   its peak memory
  statement_naive_over_ours  naive seconds / our seconds
"""

import datetime
import multiprocessing
import os
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.benchmarks.results import record  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labitory.settings.test")

LONDON = "Europe/London"


def setup() -> None:
    import django

    django.setup()
    from reporting.branding import Branding, set_branding_provider

    set_branding_provider(
        lambda: Branding(name="Benchmark Facility", address="1 Test Lane", email="f@example.org")
    )


def made_up_data(lines: int):
    """A statement's figures with `lines` usage lines over ten instruments."""
    from reporting.queries import StatementData

    data = StatementData(
        period_label="October 2026",
        final=True,
        closed_on="02 November 2026",
        subject="Project BENCH-1",
        facts=[("Project", "BENCH-1 · Benchmarking"), ("PI", "Pat Pi")],
        by_department=False,
    )
    rows = {}
    start = datetime.datetime(2026, 10, 1, 8, 0)
    for n in range(lines):
        name = f"Instrument {n % 10} with a long model name"
        moment = start + datetime.timedelta(minutes=37 * n)
        data.lines.append(
            {
                "date": f"{moment:%d %b %Y %H:%M}",
                "resource": name,
                "user": f"Researcher {n % 57}",
                "project": "BENCH-1",
                "kind": "Usage",
                "hours": "1.50",
                "rate": "42.00",
                "amount": "63.00",
                "priced": True,
            }
        )
        row = rows.setdefault(name, {"lines": 0, "hours": Decimal(0), "unpriced": 0})
        row["lines"] += 1
        row["hours"] += Decimal("1.50")
        data.usage_total += Decimal("63.00")
        data.total_hours += Decimal("1.50")
    data.summary = [
        {**row, "resource": name, "amount": f"{row['lines'] * 63:,.2f}"}
        for name, row in rows.items()
    ]
    return data


class FakeStatement:
    def __str__(self) -> str:
        return "October 2026 · Project BENCH-1"


def ours(lines: int, queue) -> None:
    setup()
    from reporting.services.statements import statement_pdf

    data = made_up_data(lines)
    started = time.perf_counter()
    pdf, pages = statement_pdf(FakeStatement(), data, lambda done, total: None)
    seconds = time.perf_counter() - started
    peak_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    queue.put({"seconds": seconds, "pages": pages, "peak_mb": peak_kb / 1024, "bytes": len(pdf)})


def naive(lines: int, queue) -> None:
    """The same front page and lines as one document, one table, WeasyPrint's own footer."""
    setup()
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from reporting.services.statements import statement_parts

    data = made_up_data(lines)
    front = statement_parts(FakeStatement(), data)[0]
    # The naive way: every line a row of one big table, as a first version would do it.
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{line[key]}</td>"
            for key in ("date", "resource", "user", "kind", "hours", "rate", "amount")
        )
        + "</tr>"
        for line in data.lines
    )
    table = f"<h2>Usage lines</h2><table><tbody>{rows}</tbody></table>"
    css = render_to_string("reporting/statement/style.css") + (
        '@page { @bottom-right { content: "Page " counter(page) " of " counter(pages); } }'
    )
    html = front.replace("</body></html>", table + "</body></html>")
    html = html.replace("<style>", f"<style>{css}", 1)
    started = time.perf_counter()
    document = HTML(string=html).render()
    pdf = document.write_pdf()
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put(
        {
            "seconds": seconds,
            "pages": len(document.pages),
            "peak_mb": peak_kb / 1024,
            "bytes": len(pdf),
        }
    )


def measure(target, lines: int) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(lines, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    small = measure(ours, 500)
    print(f"500 lines, ours:     {small['seconds']:.1f} s, {small['pages']} pages", flush=True)
    big = measure(ours, 10_000)
    print(
        f"10,000 lines, ours:  {big['seconds']:.1f} s, {big['pages']} pages, "
        f"peak {big['peak_mb']:.0f} MB, {big['bytes'] / 1e6:.1f} MB file",
        flush=True,
    )
    slow = measure(naive, 10_000)
    print(
        f"10,000 lines, naive: {slow['seconds']:.1f} s, {slow['pages']} pages, "
        f"peak {slow['peak_mb']:.0f} MB",
        flush=True,
    )
    figures = {
        "statement_10k_lines_s": round(big["seconds"], 1),
        "statement_10k_peak_mb": round(big["peak_mb"]),
        "statement_500_lines_s": round(small["seconds"], 2),
        "statement_pages_per_s": round(big["pages"] / big["seconds"], 1),
        "statement_naive_10k_s": round(slow["seconds"], 1),
        "statement_naive_10k_peak_mb": round(slow["peak_mb"]),
        "statement_naive_over_ours": round(slow["seconds"] / big["seconds"], 2),
        "statement_render_workers": os.cpu_count(),
    }
    record(figures)


if __name__ == "__main__":
    main()
