"""The bulk path: many certificates as pages of one WeasyPrint document per chunk, split page by page
with pypdf, chunks spread over forked worker processes.

One document per chunk pays the fixed per-document costs (stylesheet parsing, font loading and
subsetting, PDF serialisation) once per chunk instead of once per certificate; what every page draws
identically is drawn once (see :mod:`certificates.rendering.layers`). ``benchmarks/certificates.py``
measures the gain.

Every file is tagged PDF/A-3a like the single path: the chunk is written tagged and the split carries
each page's part of the structure tree over (:mod:`certificates.rendering.structure`). Writing each page
with WeasyPrint instead (``document.copy([page]).write_pdf()``) would tag it too, but pays font
subsetting and serialisation per page: measured at about twice the extra cost of the split.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import gc
import multiprocessing
import os
from collections.abc import Iterator, Sequence

from .content import CertificateContent
from .html import STATIC_DIR, asset_base_url, render_html
from .layers import PX_TO_PT, GraphicsLayer, bulk_state, graphics_layer, page_geometry, split_pdf
from .pdf import BULK_PDF_VARIANT, render_certificate_pdf
from .qr import qr_content_stream

DEFAULT_CHUNK_SIZE = 50
"""Certificates per WeasyPrint document in the bulk path (bigger = less fixed cost, more memory)."""


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while WeasyPrint builds a chunk.

    A chunk's layout allocates millions of short-lived objects, which trigger many collections that
    each rescan everything still alive (the whole document). The cycles left behind are collected as
    usual once collection is back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _worker_init() -> None:
    """Forked worker: move the inherited heap (Django, WeasyPrint, the caller's objects) out of the
    collector's sight, so its collections scan only what the worker itself allocates."""
    gc.freeze()


def _render_chunk(contents: Sequence[CertificateContent]) -> list[bytes]:
    with _gc_paused():
        return _render_chunk_layers(contents)


def _render_chunk_layers(contents: Sequence[CertificateContent]) -> list[bytes]:
    """Render a chunk of certificates as one WeasyPrint document and split it into one PDF each.

    WeasyPrint renders only the text layer (``layer="text"``, tagged): the frame and images are laid
    out but not drawn, the QR box is empty. Each split page then gets its part of the structure tree,
    the graphics layer (drawn once per worker) stamped under it and its QR code drawn as rectangles at
    the QR box WeasyPrint laid out.
    """
    import weasyprint

    if not contents:
        return []
    font_config, stylesheet, image_cache, _ = bulk_state()
    html = render_html(contents, inline_css=False, asset_base=asset_base_url(), layer="text")
    document = weasyprint.HTML(string=html, base_url=str(STATIC_DIR)).render(
        stylesheets=[stylesheet], font_config=font_config, cache=image_cache
    )
    if len(document.pages) != len(contents):  # some certificate did not fit on one page
        return [render_certificate_pdf(content) for content in contents]
    overlays: list[tuple[GraphicsLayer, bytes] | None] = []
    for content, page in zip(contents, document.pages, strict=True):
        geometry = page_geometry(page)
        layer = graphics_layer(content, geometry) if geometry.qr else None
        if layer is None or geometry.qr is None:
            overlays.append(None)
            continue
        x, y, width, _ = geometry.qr
        page_height = page.height * PX_TO_PT
        drawing = qr_content_stream(content.verify_url, x * PX_TO_PT, page_height - y * PX_TO_PT, width * PX_TO_PT)
        overlays.append((layer, drawing))
    pdf = document.write_pdf(pdf_variant=BULK_PDF_VARIANT)
    split = split_pdf(pdf, len(contents), overlays)
    if split is None:
        return [render_certificate_pdf(content) for content in contents]
    # A page whose layers or structure tree could not be matched (never seen, but never silently
    # wrong): full render.
    return [pdf if pdf is not None and overlay else render_certificate_pdf(content)
            for content, pdf, overlay in zip(contents, split, overlays, strict=True)]


def _chunks(items: Sequence[int], count: int) -> list[list[int]]:
    """``items`` cut into ``count`` consecutive chunks whose sizes differ by at most one."""
    size, extra = divmod(len(items), count)
    bounds = [i * size + min(i, extra) for i in range(count + 1)]
    return [list(items[bounds[i] : bounds[i + 1]]) for i in range(count)]


def _plan_chunks(groups: Sequence[Sequence[int]], chunk_size: int, workers: int) -> list[list[int]]:
    """Chunks of at most ``chunk_size`` per language group, evenly sized, and - when it costs no more
    than one extra chunk per group - as many as a multiple of ``workers``, so that no worker is left
    rendering a last chunk alone while the others idle (per-page cost does not depend on chunk size).
    Fewer chunks than workers stay as they are (a small batch is not worth forking for).
    """
    counts = [-(-len(group) // chunk_size) for group in groups]
    while workers <= sum(counts) and sum(counts) % workers:
        largest = max(range(len(groups)), key=lambda g: len(groups[g]) / counts[g])
        if counts[largest] >= len(groups[largest]):
            break
        counts[largest] += 1
    return [chunk for group, count in zip(groups, counts, strict=True) for chunk in _chunks(group, count)]


def _group_by_language(contents: Sequence[CertificateContent]) -> list[list[int]]:
    """Indices grouped by language (a document has one ``lang``), order preserved within groups."""
    groups: dict[str, list[int]] = {}
    for index, content in enumerate(contents):
        groups.setdefault(content.language, []).append(index)
    return list(groups.values())


def iter_certificates_pdf(
    contents: Sequence[CertificateContent],
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    workers: int | None = None,
) -> Iterator[tuple[list[int], list[bytes]]]:
    """The bulk path as a stream: yields ``(positions, pdfs)`` per rendered chunk, in submission order.

    All chunks are submitted to one pool up front, so the workers keep rendering while the caller
    stores and e-mails the chunk it just received (the caller's work overlaps with rendering instead
    of leaving the cores idle between batches). ``positions`` index into ``contents``.
    """
    contents = list(contents)
    if not contents:
        return
    if chunk_size < 1:
        raise ValueError("chunk_size must be >= 1")
    if workers is None:
        workers = min(2, os.cpu_count() or 1)
    chunks = _plan_chunks(_group_by_language(contents), chunk_size, max(1, workers))
    workers = max(1, min(workers, len(chunks)))
    payloads = [[contents[i] for i in chunk] for chunk in chunks]

    def checked(chunk: list[int], pdfs: list[bytes]) -> tuple[list[int], list[bytes]]:
        if len(pdfs) != len(chunk):  # never hand back a shifted list
            raise RuntimeError(f"chunk of {len(chunk)} certificates rendered {len(pdfs)} PDFs")
        return chunk, pdfs

    if workers == 1:
        for chunk, payload in zip(chunks, payloads, strict=True):
            yield checked(chunk, _render_chunk(payload))
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context(method), initializer=_worker_init
    ) as pool:
        for chunk, pdfs in zip(chunks, pool.map(_render_chunk, payloads), strict=True):
            yield checked(chunk, pdfs)


def render_certificates_pdf(
    contents: Sequence[CertificateContent],
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    workers: int | None = None,
) -> list[bytes]:
    """Bulk issue: one PDF per certificate, in input order, much cheaper than the naive path.

    ``workers`` defaults to ``min(2, os.cpu_count())``; ``workers=1`` (or a single chunk) renders in
    this process. Workers are forked (on Linux) and only need this module - no Django setup or
    database - because :class:`CertificateContent` carries everything; forked children leave via
    ``os._exit``, so inherited database connections are never closed under the parent's feet. Call
    it from a background task (not from a threaded web worker: forking a multi-threaded process is
    unsafe). Certificates are grouped by language (one ``lang`` per document), so chunks never mix.
    Pages are layered (text layer from WeasyPrint, shared graphics layer, QR code drawn as
    rectangles; see the module docstring): same text, same look, same tagged PDF/A-3a structure as
    the naive path.

    A certificate whose content does not fit on its page makes the page count of its chunk wrong;
    that chunk is then rendered one certificate at a time (the overflowing one gets two pages, but no
    text is ever clipped). Long titles/lists first switch to a denser type scale to avoid that.
    See :func:`iter_certificates_pdf` for the streaming form used by the bulk issue.
    """
    contents = list(contents)
    results: list[bytes | None] = [None] * len(contents)
    for chunk, pdfs in iter_certificates_pdf(contents, chunk_size=chunk_size, workers=workers):
        for index, pdf in zip(chunk, pdfs, strict=True):
            results[index] = pdf
    missing = [index for index, pdf in enumerate(results) if pdf is None]
    if missing:  # cannot happen unless a chunk returned too few PDFs; never hand back a shifted list
        raise RuntimeError(f"no PDF rendered for certificates at positions {missing[:10]}")
    return [pdf for pdf in results if pdf is not None]
