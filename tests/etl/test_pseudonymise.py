"""The fast pseudonym computation is the standard HMAC-SHA256."""

from __future__ import annotations

import hashlib
import hmac

from etl.pseudonymise import PSEUDONYM_HEX, pseudonyms


def test_batch_pseudonyms_are_hmac_sha256_of_the_keys() -> None:
    for key in (b"k" * 32, b"short", b"x" * 100):
        keys = ["TOK001", "MA12LY", "é-accentué", ""]
        expected = [hmac.new(key, k.encode(), hashlib.sha256).hexdigest()[:PSEUDONYM_HEX] for k in keys]
        assert pseudonyms(key, keys) == expected
