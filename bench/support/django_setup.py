"""Imported by a benchmark script before anything that loads models: the repository on the import
path and Django set up (`python bench/<script>.py` puts only `bench/` on the path)."""

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zone_portal.settings")
django.setup()
