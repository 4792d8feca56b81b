#!/usr/bin/env python
"""Standalone management entry point (inside Saleor, use Saleor's manage.py)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_segments.standalone.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
