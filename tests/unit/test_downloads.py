"""Translated files kept for download: random names, safe file names, expiry."""

from __future__ import annotations

import os
from pathlib import Path

from service.store.downloads import Downloads


def test_a_file_is_found_by_its_name_until_it_expires(tmp_path: Path) -> None:
    downloads = Downloads(tmp_path / "downloads", ttl_s=60)
    name = downloads.put("../../etc/pass wd.docx", b"data")
    prefix, safe = name.split(".", 1)
    assert len(prefix) == 32 and safe == "pass_wd.docx"
    path = downloads.path(name)
    assert (
        path is not None and path.read_bytes() == b"data" and path.parent == tmp_path / "downloads"
    )
    written = path.stat().st_mtime
    assert downloads.path(name, now=written + 61) is None
    assert not path.exists()


def test_names_that_were_not_given_out_find_nothing(tmp_path: Path) -> None:
    downloads = Downloads(tmp_path, ttl_s=60)
    downloads.put("a.txt", b"x")
    assert downloads.path("../a.txt") is None
    assert downloads.path("0" * 32 + ".a.txt") is None


def test_storing_a_file_removes_the_expired_ones(tmp_path: Path) -> None:
    downloads = Downloads(tmp_path, ttl_s=60)
    old = downloads.put("old.txt", b"x")
    os.utime(tmp_path / old, (1, 1))
    downloads.put("new.txt", b"y")
    assert sorted(p.name.split(".", 1)[1] for p in tmp_path.iterdir()) == ["new.txt"]
