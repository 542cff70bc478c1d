"""WeasyPrint in chunks: each part of a statement is laid out on its own (in parallel
processes when there are several), the parts are joined, and a footer with "Page X of Y" is
stamped over every page once the total is known.

WeasyPrint's time and memory grow faster than linearly with one document's length (10,000
table rows took ~109 s and 1.2 GB as one document); parts of a few hundred rows each stay
small and fast. This module knows nothing of Django: it is imported by the worker processes.
"""

import io
import queue
import subprocess
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)
from weasyprint import HTML

Progress = Callable[[int, int], None]
ROOT = Path(__file__).resolve().parents[2]

# Up to this many parts, starting worker processes (each imports WeasyPrint) costs more
# than it saves.
SERIAL_PARTS = 4


def render_part(html: str, base_url: str | None = None) -> bytes:
    return HTML(string=html, base_url=base_url).write_pdf()


def render_parts(
    parts: Sequence[str],
    *,
    base_url: str | None = None,
    workers: int = 1,
    on_progress: Progress | None = None,
) -> list[bytes]:
    """Each HTML part as a PDF, in order; `on_progress(done, total)` is called in the
    calling thread after each part. With workers > 1 (and enough parts to be worth it) the
    parts are laid out by that many child processes of this module (`python -m`): plain
    subprocesses, because a Celery prefork child may not start multiprocessing children.
    They share nothing with the caller, not even a database connection, and exit when the
    statement is done, so memory never creeps from one statement to the next."""
    report = on_progress or (lambda done, total: None)
    total = len(parts)
    if workers <= 1 or total <= SERIAL_PARTS:
        rendered = []
        for html in parts:
            rendered.append(render_part(html, base_url))
            report(len(rendered), total)
        return rendered
    results: list[bytes | None] = [None] * total
    finished: queue.Queue = queue.Queue()
    with ThreadPoolExecutor(workers) as pool:
        for worker in range(workers):
            pool.submit(feed_child, parts, range(worker, total, workers), base_url, finished)
        for done in range(1, total + 1):
            index, outcome = finished.get()
            if isinstance(outcome, BaseException):
                raise RuntimeError(f"A render process failed: {outcome}") from outcome
            results[index] = outcome
            report(done, total)
    return [pdf for pdf in results if pdf is not None]


def feed_child(
    parts: Sequence[str], indices: range, base_url: str | None, finished: queue.Queue
) -> None:
    """In a thread: one child process renders `indices`' parts; each outcome is queued."""
    command = [sys.executable, "-m", "reporting.rendering.pdf", base_url or ""]
    try:
        with subprocess.Popen(
            command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        ) as child:
            for index in indices:
                send(child.stdin, parts[index].encode())
                pdf = receive(child.stdout)
                if pdf is None:
                    raise RuntimeError(f"the render process stopped (exit {child.wait()})")
                finished.put((index, pdf))
            child.stdin.close()
    except BaseException as error:  # reported to the caller, which raises it
        for index in indices:
            finished.put((index, error))


def send(stream, payload: bytes) -> None:
    stream.write(len(payload).to_bytes(8, "big") + payload)
    stream.flush()


def receive(stream) -> bytes | None:
    header = stream.read(8)
    if len(header) < 8:
        return None
    return stream.read(int.from_bytes(header, "big"))


def serve(base_url: str | None = None) -> None:
    """The child's side: length-prefixed HTML in on stdin, PDFs out on stdout, until EOF."""
    while (html := receive(sys.stdin.buffer)) is not None:
        send(sys.stdout.buffer, render_part(html.decode(), base_url))


# Helvetica glyph widths (thousandths of the font size) for the characters of "Page N of M".
HELVETICA_WIDTHS = {
    **dict.fromkeys("0123456789", 556),
    " ": 278,
    "P": 667,
    "a": 556,
    "g": 556,
    "e": 556,
    "o": 556,
    "f": 278,
}
FOOTER_SIZE = 8
FOOTER_BOTTOM = 28  # points above the page's lower edge: inside the 20 mm bottom margin
FOOTER_SIDE = 45  # points in from each side: the 16 mm side margins


def pdf_text(text: str) -> bytes:
    """A PDF literal string in WinAnsi encoding (Helvetica's), with specials escaped."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def footer_stream(label: str, number: int, pages: int, width: float) -> bytes:
    """Drawing commands for the footer: the label at the left, "Page N of M" at the right."""
    counter = f"Page {number} of {pages}"
    counter_width = sum(HELVETICA_WIDTHS[c] for c in counter) * FOOTER_SIZE / 1000
    right = width - FOOTER_SIDE - counter_width
    return (
        b"Q q BT /LabitoryFooter %d Tf 0.33 g %d %d Td %s Tj ET "
        b"BT /LabitoryFooter %d Tf 0.33 g %.2f %d Td %s Tj ET Q"
        % (
            FOOTER_SIZE,
            FOOTER_SIDE,
            FOOTER_BOTTOM,
            pdf_text(label),
            FOOTER_SIZE,
            right,
            FOOTER_BOTTOM,
            pdf_text(counter),
        )
    )


def stamp_footers(writer: PdfWriter, label: str) -> None:
    """Write the footer onto every page as one more content stream, in a standard font (no
    layout pass needed): the page's own drawing is wrapped in q/Q so that its transforms do
    not move the footer."""
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    pages = len(writer.pages)
    save = writer._add_object(stream_of(b"q"))
    for number, page in enumerate(writer.pages, start=1):
        resources = page["/Resources"].get_object()
        if "/Font" not in resources:
            resources[NameObject("/Font")] = DictionaryObject()
        resources["/Font"].get_object()[NameObject("/LabitoryFooter")] = font
        footer = stream_of(footer_stream(label, number, pages, float(page.mediabox.width)))
        page[NameObject("/Contents")] = ArrayObject(
            [save, *indirect_contents(writer, page), writer._add_object(footer)]
        )


def indirect_contents(writer: PdfWriter, page: PageObject) -> list[IndirectObject]:
    """The page's content streams as references: a stream is only ever an indirect object
    (ISO 32000-1 §7.3.8), so one written straight into the /Contents array makes the file
    invalid. `page["/Contents"]` resolves the reference; `raw_get` keeps it."""
    raw = page.raw_get("/Contents")
    streams = list(raw.get_object()) if isinstance(raw.get_object(), ArrayObject) else [raw]
    return [
        stream if isinstance(stream, IndirectObject) else writer._add_object(stream)
        for stream in streams
    ]


def stream_of(data: bytes) -> StreamObject:
    stream = StreamObject()
    stream.set_data(data)
    return stream


def join_parts(parts: Sequence[bytes], *, footer_label: str, title: str) -> tuple[bytes, int]:
    """One PDF of all parts' pages with the footer stamped on each; returns it and its pages."""
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    stamp_footers(writer, footer_label)
    writer.add_metadata({"/Title": title, "/Producer": "Labitory"})
    # Each part embeds its own copy of the fonts; keep one.
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue(), len(writer.pages)


if __name__ == "__main__":
    serve(sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else None)
