"""Maillage's command line, above every layer (etl, indicators, ui)."""
