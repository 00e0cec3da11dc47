"""The cached-pad HMAC equals the standard library's HMAC for any secret and message."""

import hashlib
import hmac

from hypothesis import given
from hypothesis import strategies as st

from mexc_helpers.protocol.digest import hmac_sha256_hex
from mexc_helpers.protocol.signing import SignedRequest, sign_spot

texts = st.text(st.characters(blacklist_categories=("Cs",)))


@given(secret=texts.filter(bool), message=texts)
def test_matches_hmac_new_for_any_secret_and_message(secret, message):
    expected = hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()
    assert hmac_sha256_hex(secret, message) == expected


def test_secrets_longer_than_a_block_are_hashed_first_as_rfc_2104_says():
    secret = "k" * 200
    assert hmac_sha256_hex(secret, "m") == hmac.new(secret.encode(), b"m", hashlib.sha256).hexdigest()


def test_the_signers_fast_constructor_builds_an_ordinary_signed_request():
    signed = sign_spot(
        "GET",
        "/api/v3/account",
        {},
        api_key="mx0aBYs33eIilxBWC5",
        secret="45d0b3c26f2644f19bfb98b07741b2f5",
        timestamp=1_700_000_000_000,
    )
    same = SignedRequest(
        signed.method, signed.url, dict(signed.headers), signed.body, signed.signed_string, signed.signature
    )
    assert signed == same and hash(signed.url) == hash(same.url)


def test_the_state_cache_is_bounded_holds_no_secret_and_can_be_cleared():
    import gc

    from mexc_helpers.protocol import digest

    digest.forget_all()
    secrets = [f"student-secret-{n:04d}" for n in range(200)]
    for secret in secrets:
        digest.hmac_sha256_hex(secret, "x")
    assert len(digest._states) == digest.CACHE_SIZE  # the oldest went first
    assert all(type(slot) is int for slot in digest._states)
    assert not any(referrer is digest._states for referrer in gc.get_referrers(secrets[-1]))
    digest.forget(secrets[-1])
    assert hash(secrets[-1]) not in digest._states
    assert digest.hmac_sha256_hex(secrets[-1], "x") == hmac.new(secrets[-1].encode(), b"x", "sha256").hexdigest()
    digest.forget_all()
    assert digest._states == {}
