"""The spaCy processes of stage 4, shared by every bundle of an SDK worker.

The Python SDK worker runs every stage in one process, so spaCy in it shares one GIL with
decoding, near-duplicate lookups, rules and the Elasticsearch sink: the pipeline then uses about
one core however many bundles are in flight. Here spaCy runs in a few processes instead; each
loads the model once, only texts go there and only `Annotation` tuples come back, so the result
is the same as in-process. This module imports no Beam, so a pool process stays small.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from pipelines.extraction.nlp import Annotation, annotate, load_nlp

ORPHAN_CHECK_SECONDS = 1.0


def _start_pool_process() -> None:
    """Load the model, and exit once the worker process is gone (even if it was SIGKILLed: a
    pool process holds both ends of its queues, so it would never see the worker vanish)."""
    parent = os.getppid()

    def exit_when_orphaned() -> None:
        while os.getppid() == parent:
            threading.Event().wait(ORPHAN_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=exit_when_orphaned, name="orphan-check", daemon=True).start()
    load_nlp()


def _annotate_documents(documents: list[str]) -> list[Annotation]:
    """Runs in a pool process; load_nlp is cached, so the model loads once per process."""
    return annotate(load_nlp(), documents)


class AnnotationPool:
    """One process pool per worker process, created on first use."""

    _lock = threading.Lock()
    _executor: ProcessPoolExecutor | None = None

    @classmethod
    def annotate(cls, documents: list[str], processes: int) -> list[Annotation]:
        if not documents:
            return []
        executor = cls._get(processes)
        size = -(-len(documents) // processes)  # one contiguous chunk per process
        chunks = [documents[i : i + size] for i in range(0, len(documents), size)]
        try:
            futures = [executor.submit(_annotate_documents, chunk) for chunk in chunks]
            return [a for future in futures for a in future.result()]
        except BrokenProcessPool:
            with cls._lock:  # a pool process died (e.g. killed): the next call starts a new pool
                if cls._executor is executor:
                    cls._executor = None
            raise

    @classmethod
    def _get(cls, processes: int) -> ProcessPoolExecutor:
        with cls._lock:
            if cls._executor is None:
                # spawn, not fork: the worker process runs gRPC threads, which fork breaks.
                cls._executor = ProcessPoolExecutor(
                    processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_pool_process,
                )
            return cls._executor
