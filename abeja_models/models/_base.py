"""What every platform document shares: unknown fields kept, timestamps and ids normalised."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, ClassVar, Generic, Optional, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PlainSerializer, PrivateAttr
from typing_extensions import Annotated, Self

from ..errors import UnboundModelError


def _format_timestamp(value: datetime) -> str:
    """Write timestamps the way the platform does: UTC, microseconds, ``Z``.

    An instant whose UTC form falls outside years 1 to 9999 (``9999-12-31T23:00-05:00``
    is one) keeps its own offset instead: the same instant, read back equal.
    """
    # isoformat, not strftime("%Y"): strftime does not pad years below 1000 to four
    # digits, and the result could not be read back.
    try:
        utc = value.astimezone(timezone.utc).replace(tzinfo=None)
    except OverflowError:
        return value.isoformat(timespec="microseconds")
    return utc.isoformat(timespec="microseconds") + "Z"


# Both types are validated inside pydantic-core, with no Python call per value: a page
# of a thousand runs holds five thousand of them.
Timestamp = Annotated[
    AwareDatetime,
    PlainSerializer(_format_timestamp, return_type=str, when_used="json"),
]
"""An aware ``datetime``, read from ``...Z`` with any fraction (or an offset), written
back as UTC ``.ffffffZ`` (with its own offset when its UTC form would fall outside years 1
to 9999). A timestamp without a zone is not a platform form and is refused."""

Id = Annotated[str, Field(coerce_numbers_to_str=True)]
"""A platform id; some documents show ids as integers, they are held as ``str``."""


class PlatformModel(BaseModel):
    """Base of every document the platform returns.

    Fields the reference documents do not list are kept (``model_extra``) and written
    back by ``model_dump``/``model_dump_json``, so a JSON round trip loses nothing.
    """

    # Schemas are built on first use, not at import.
    # Assignments are validated too, so a naive datetime cannot slip in after parsing.
    # Only keys are worth caching while parsing JSON: values (ids, timestamps) are
    # nearly all different, and looking each up costs more than it saves.
    # The string under each field is its description (schema, API reference, IDE hover).
    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        protected_namespaces=(),
        defer_build=True,
        validate_assignment=True,
        cache_strings="keys",
        use_attribute_docstrings=True,
    )

    def __eq__(self, other: object) -> bool:
        # Equality is about the data: a model bound to a client equals the same
        # document parsed from JSON.
        if not isinstance(other, PlatformModel):
            return NotImplemented
        return (
            type(self) is type(other)
            and self.__dict__ == other.__dict__
            and self.__pydantic_extra__ == other.__pydantic_extra__
        )

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> dict[Any, Any]:
        # A pickle holds the document only: the binding (a client, hence its credential)
        # stays behind, and the unpickled model is unbound, as if parsed from JSON.
        state = super().__getstate__()
        state["__pydantic_private__"] = {
            name: private.get_default()
            for name, private in type(self).__private_attributes__.items()
        } or None
        return state

    def to_json(self) -> str:
        """This document as the platform's JSON (unknown fields included)."""
        return self.model_dump_json()

    def to_dict(self) -> dict[str, object]:
        """This document as a JSON-compatible dict (timestamps as strings)."""
        return self.model_dump(mode="json")

    def _replace_with(self, other: PlatformModel) -> None:
        """Take over another instance's data, keeping this object's identity and binding."""
        object.__setattr__(self, "__dict__", dict(other.__dict__))
        object.__setattr__(self, "__pydantic_extra__", dict(other.__pydantic_extra__ or {}))
        object.__setattr__(self, "__pydantic_fields_set__", set(other.__pydantic_fields_set__))


CollectionT = TypeVar("CollectionT")


class BoundDocument(PlatformModel, Generic[CollectionT]):
    """A document that acts on the platform through the collection it is bound to.

    The collection binds every document it returns; one built from plain data is unbound
    until a collection's ``bind`` takes it, and refuses its actions until then. A copy,
    shallow or deep (``copy.deepcopy``, ``model_copy(deep=True)``), is bound to the same
    collection, hence the same client, and acts on the id the original was bound with;
    a pickled document comes back unbound.
    """

    _id_field: ClassVar[str]
    """The field holding the document's id."""
    _how_to_bind: ClassVar[str]
    """The call that binds such a document, for the message of an unbound one."""

    _collection: Optional[CollectionT] = PrivateAttr(default=None)
    # The id this object was bound with: every action targets it, whatever the data says
    # later (a refresh, an answer, an assignment), so it never acts on another document.
    _bound_id: Optional[str] = PrivateAttr(default=None)

    @property
    def _own_id(self) -> str:
        """The id the document's data holds now (it may differ from ``_bound_id``)."""
        return str(getattr(self, self._id_field))

    def _bind_to(self, collection: CollectionT) -> None:
        self._collection = collection
        self._bound_id = self._own_id

    def _bound(self) -> tuple[CollectionT, str]:
        """The collection to act through and the id to act on; refused if unbound."""
        if self._collection is None or self._bound_id is None:
            raise UnboundModelError(
                f"this {type(self).__name__} ({self._own_id}) was built from"
                f" plain data and has no client; bind it first: {self._how_to_bind}"
            )
        return self._collection, self._bound_id

    def _take(self, other: Self) -> Self:
        """Become ``other`` (an answer about this document), keeping identity and binding."""
        self._replace_with(other)
        return self
