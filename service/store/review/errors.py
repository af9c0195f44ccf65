"""The review store's errors, each with its own status and fixed message."""

from __future__ import annotations

from service.errors import NewsdeskError, NotFound
from service.store.merge import Conflicts

# -- errors (fixed messages; the API maps them to status codes) ------------------------------


class VersionNotFound(NotFound):
    def __init__(self, article_id: str, lang: str) -> None:
        super().__init__(f"no {lang} version of article {article_id}")


class RevisionNotFound(NotFound):
    def __init__(self, revision: int, article_id: str, lang: str) -> None:
        super().__init__(f"revision {revision} is not a revision of {article_id}/{lang}")


class NotReviewable(NewsdeskError):
    status_code = 409

    def __init__(self, article_id: str, lang: str) -> None:
        super().__init__(
            f"{lang} is the source language of article {article_id}: only translations are reviewed"
        )


class StaleRevision(NewsdeskError):
    """A save or approval named a revision that is no longer the version's head."""

    status_code = 409

    def __init__(self, expected: int, head: int, author: str, kept: int | None = None) -> None:
        message = f"revision {expected} is out of date: {author} saved revision {head} in between"
        if kept is not None:
            message += f"; your text is kept as revision {kept}"
        super().__init__(message)
        self.expected, self.head, self.author, self.kept = expected, head, author, kept


class MergeConflict(StaleRevision):
    """A save on an outdated revision changed parts that were changed differently since."""

    def __init__(self, expected: int, head: int, author: str, kept: int, conflicts: Conflicts):
        super().__init__(expected, head, author, kept)
        parts = [f"paragraph {i}" for i in conflicts.paragraphs] + list(conflicts.fields)
        self.message = (
            f"revision {expected} is out of date: {author} saved revision {head} in between "
            f"and changed what you changed ({', '.join(parts)}); "
            f"your text is kept as revision {kept}"
        )
        self.args = (self.message,)
        self.conflicts = conflicts
        self.extra = {
            "conflicts": {
                "paragraphs": list(conflicts.paragraphs),
                "fields": list(conflicts.fields),
            },
            "head_revision": head,
            "kept_revision": kept,
        }


class AlreadyApproved(NewsdeskError):
    status_code = 409

    def __init__(self, revision: int) -> None:
        super().__init__(f"revision {revision} is already approved")


class NothingToSave(NewsdeskError):
    def __init__(self) -> None:
        super().__init__("nothing to save: give at least one of title, lede, body, summary")


class UserExists(NewsdeskError):
    status_code = 409

    def __init__(self, name: str) -> None:
        super().__init__(f"user already exists: {name}")


class UnknownRole(NewsdeskError):
    def __init__(self, role: str) -> None:
        super().__init__(f"unknown role: {role} (client, editor or admin)")


class NegativeLimit(NewsdeskError):
    def __init__(self, name: str) -> None:
        super().__init__(f"{name} must be 0 (unlimited) or more")
