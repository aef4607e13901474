"""Page-specific texts: each module here defines `TEXTS = {key: (french, english)}`; ui.i18n
merges them with the common texts (a key defined twice is an error)."""
