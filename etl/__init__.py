"""Maillage ETL: read → map (codebook) → validate → pseudonymise → load."""
