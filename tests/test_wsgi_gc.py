"""The production entry point freezes what a loaded Django holds for the worker's life, so
that full garbage collections during requests skip it, and collects less often than Python's
default, so that a large answer is not walked again and again while it is built (issue 20)."""

import gc
import importlib


def test_the_wsgi_module_leaves_the_loaded_objects_out_of_garbage_collection():
    thresholds = gc.get_threshold()
    gc.unfreeze()
    try:
        import config.wsgi

        importlib.reload(config.wsgi)
        assert gc.get_freeze_count() > 10_000
        assert callable(config.wsgi.application)
        assert gc.get_threshold() == (50_000, 20, 100)
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
