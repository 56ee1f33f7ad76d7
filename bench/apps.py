from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmarks' commands (`bench_http`, `bench_map`, `bench_load`, `bench_import`)."""

    name = "bench"
