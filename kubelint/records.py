"""Small immutable records that cost nothing to define.

On Python 3.11, ``@dataclass(frozen=True, slots=True)`` compiles six to ten
methods with ``exec`` for every class it decorates (~0.5-1 ms each): the ~50
records on the ``kubelint check one.yaml`` path made a fifth of a cold start.
A ``Record`` subclass annotates its fields in constructor order (as for a
dataclass), names them in ``__slots__`` and writes its ``__init__``;
equality, hashing and ``repr`` come from here and behave as the dataclass
ones did:

- ``==`` holds between instances of the same class whose fields are equal
  (``NotImplemented`` otherwise), and ``hash`` is the hash of the fields;
- ``repr`` is ``Name(field=value, ...)``;
- instances pickle (``--jobs`` sends diagnostics between processes) and copy;
- an ``OrderedRecord`` also compares as its tuple of fields (``order=True``);
- a ``MutableRecord``'s fields may be reassigned, and it is unhashable.

Fields of immutable records are declared ``Final``: mypy rejects assignments outside
``__init__``, which is what ``frozen=True`` was for. ``dataclasses.replace``
does not apply (build a new record instead), nor does class-pattern
matching on positional fields (there is no ``__match_args__``).

Why not a library: ``msgspec.Struct`` defines classes as cheaply, but
importing msgspec costs more than the dataclasses it would replace (+24M
instructions next to click and PyYAML, measured with callgrind), and
``typing.NamedTuple`` makes instances tuples (equal to plain tuples,
iterable), which data-walking code treats as sequences.
"""

from __future__ import annotations

import inspect
from operator import attrgetter
from typing import Any, ClassVar, Self


def _one_field(name: str) -> Any:
    get = attrgetter(name)
    return lambda record: (get(record),)


class Record:
    """Base of the immutable records: see the module docstring."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    # fields of an instance as a tuple (a plain attribute, not a method: call
    # it as ``self._field_values(self)``)
    _field_values: ClassVar[Any] = staticmethod(lambda record: ())

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # the fields are the annotated names, in order (as for a dataclass);
        # ``__slots__`` must name the same set; an annotated name that starts
        # with an underscore is an instance's private cache, not a field (left
        # out of ==, hash and repr)
        annotations = inspect.get_annotations(cls)
        slotted = tuple(name for name, kind in annotations.items() if not str(kind).startswith("ClassVar"))
        fields = tuple(name for name in slotted if not name.startswith("_"))
        slots = cls.__dict__.get("__slots__", ())
        if cls._fields or isinstance(slots, str) or set(slots) != set(slotted):
            raise TypeError(f"{cls.__qualname__}: __slots__ must name the annotated fields, "
                            "and a record cannot extend another record")
        cls._fields = fields
        getter = attrgetter(*fields) if len(fields) > 1 else _one_field(fields[0]) if fields else (lambda _: ())
        cls._field_values = staticmethod(getter)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._field_values(self) == self._field_values(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._field_values(self))

    def __repr__(self) -> str:
        values = self._field_values(self)
        shown = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, values, strict=True))
        return f"{self.__class__.__qualname__}({shown})"


class OrderedRecord(Record):
    """A record also ordered by its fields, compared as a tuple (what
    ``@dataclass(order=True)`` gives): only against the same class."""

    __slots__ = ()

    def __lt__(self, other: Self) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(self._field_values(self) < self._field_values(other))

    def __le__(self, other: Self) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(self._field_values(self) <= self._field_values(other))

    def __gt__(self, other: Self) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(self._field_values(self) > self._field_values(other))

    def __ge__(self, other: Self) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(self._field_values(self) >= self._field_values(other))


class MutableRecord(Record):
    """A record whose fields may be reassigned (what a plain ``@dataclass``
    gives): equal as a Record, but unhashable, as such a dataclass is. Its
    fields are annotated without ``Final``."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]
