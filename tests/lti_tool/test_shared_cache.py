"""The shared cache: per process by default, in a real Redis when `redis_url` is set."""

from __future__ import annotations

import dataclasses
from typing import Any

import jwt
from flask import Flask
from sqlalchemy import delete

from lti_tool.models import PlatformKeySet
from lti_tool.shared_cache import LocalCache, RedisCache, make_cache, redis_client
from tests.lti_tool.signing_platform import SigningPlatform, login_params, state_and_nonce


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_local_entries_expire() -> None:
    clock = FakeClock()
    cache = LocalCache(clock)
    cache.set("k", "v", ttl_seconds=10)
    assert cache.get("k") == "v"
    clock.now += 11
    assert cache.get("k") is None


def test_local_counter_expires_after_its_window() -> None:
    clock = FakeClock()
    cache = LocalCache(clock)
    assert [cache.incr("n", 60) for _ in range(3)] == [1, 2, 3]
    clock.now += 61
    assert cache.incr("n", 60) == 1


def test_redis_cache_is_shared_between_clients(redis_url: str) -> None:
    first, second = RedisCache(redis_client(redis_url, 2)), RedisCache(redis_client(redis_url, 2))
    first.set("shared-key", "valeur é", ttl_seconds=30)
    assert second.get("shared-key") == "valeur é"
    assert first.incr("counter-x", 60) == 1
    assert second.incr("counter-x", 60) == 2


def test_make_cache_follows_the_setting(redis_url: str) -> None:
    local, none = make_cache("", 2)
    assert isinstance(local, LocalCache) and none is None
    shared, client = make_cache(redis_url, 2)
    assert isinstance(shared, RedisCache) and client is not None


def _launch(app: Flask, lms: SigningPlatform) -> int:
    client = app.test_client(use_cookies=False)
    login = client.get("/lti/login", query_string=login_params())
    state, nonce = state_and_nonce(login.headers["Location"])
    token = jwt.encode(lms.claims(nonce), lms.key, algorithm="RS256", headers={"kid": lms.kid})
    return client.post("/lti/launch", data={"state": state, "id_token": token}).status_code


def test_platform_key_learnt_by_one_process_serves_the_others(
    settings: Any, lms: SigningPlatform, redis_url: str
) -> None:
    from lti_tool.app import create_app
    from lti_tool.instance import prepare_instance

    configured = dataclasses.replace(settings, platforms=[lms.registration()], redis_url=redis_url)
    prepare_instance(configured)
    first, second = create_app(configured), create_app(configured)
    assert _launch(first, lms) == 200
    fetches = lms.jwks_fetches
    cached = RedisCache(redis_client(redis_url, 2)).get(f"platform-key:{lms.jwks_url}#{lms.kid}")
    assert cached is not None and "BEGIN PUBLIC KEY" in cached
    # Without the shared cache, the second process would have to fetch the keys again.
    with first.extensions["ambassadeurs.engine"].begin() as connection:
        connection.execute(delete(PlatformKeySet))
    assert _launch(second, lms) == 200
    assert lms.jwks_fetches == fetches
    assert second.test_client().get("/readyz").get_json()["checks"] == {
        "database": True,
        "redis": True,
    }
