"""Adapter to Celery: the tasks (registered under their stable names, ``saleor_segments.*``)
and the beat schedule merged into Saleor's (or the standalone) ``CELERY_BEAT_SCHEDULE``."""
