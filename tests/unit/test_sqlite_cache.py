"""Pruning the SQLite cache by age and by size."""

from __future__ import annotations

from pathlib import Path

from service.store.sqlite_cache import SqliteCache


def _cache_with_ages(path: Path, ages_s: dict[str, float], now: float) -> SqliteCache:
    """A cache whose entries were written `ages_s[key]` seconds before `now`."""
    cache = SqliteCache(path)
    for key, age in ages_s.items():
        cache.put_many({key: f"value of {key}"})
        cache._conn.execute("UPDATE kv_cache SET created = ? WHERE key = ?", (now - age, key))
    return cache


def test_prune_by_age_removes_only_the_old_entries(tmp_path: Path) -> None:
    now = 1_000_000.0
    cache = _cache_with_ages(tmp_path / "c.sqlite3", {"old": 500, "new": 10}, now)
    assert cache.prune(max_age_s=100, now=now) == 1
    assert cache.get_many(["old", "new"]) == {"new": "value of new"}
    cache.close()


def test_prune_by_size_keeps_the_newest_entries(tmp_path: Path) -> None:
    now = 1_000_000.0
    ages = {"a": 40.0, "b": 30.0, "c": 20.0, "d": 10.0}
    cache = _cache_with_ages(tmp_path / "c.sqlite3", ages, now)
    assert cache.prune(max_entries=2, now=now) == 2
    assert set(cache.get_many(list(ages))) == {"c", "d"}
    assert cache.count() == 2
    cache.close()


def test_prune_without_limits_removes_nothing(tmp_path: Path) -> None:
    now = 1_000_000.0
    cache = _cache_with_ages(tmp_path / "c.sqlite3", {"a": 1e9}, now)
    assert cache.prune(now=now) == 0
    assert cache.count() == 1
    cache.close()


def test_a_rewritten_entry_counts_from_its_rewrite(tmp_path: Path) -> None:
    cache = _cache_with_ages(tmp_path / "c.sqlite3", {"a": 1e6}, 1_000_000.0)
    cache.put_many({"a": "again"})  # written now
    assert cache.prune(max_age_s=3600) == 0
    assert cache.get_many(["a"]) == {"a": "again"}
    cache.close()
