"""CBOR, the subset Pagefind 1.5 writes: definite-length arrays, text strings and integers,
each head in its shortest form, as minicbor writes them. Anything else is refused, so a
change of format is noticed. (Decoding is cbor2's C decoder: the word index is millions
of items.)"""

from __future__ import annotations

Cbor = int | str | list["Cbor"]

_UINT, _NINT, _TEXT, ARRAY = 0, 1, 3, 4


def encode_cbor(value: Cbor) -> bytes:
    out = bytearray()
    _encode(value, out)
    return bytes(out)


def _encode(value: Cbor, out: bytearray) -> None:
    if isinstance(value, bool):
        raise TypeError("booleans are not part of Pagefind's format")
    if isinstance(value, int) and value >= 0:
        head(_UINT, value, out)
    elif isinstance(value, int):
        head(_NINT, -1 - value, out)
    elif isinstance(value, str):
        data = value.encode("utf-8")
        head(_TEXT, len(data), out)
        out += data
    elif isinstance(value, list):
        head(ARRAY, len(value), out)
        for item in value:
            _encode(item, out)
    else:
        raise TypeError(f"cannot encode {type(value).__name__} in Pagefind's format")


def head(major: int, argument: int, out: bytearray) -> None:
    if argument < 24:
        out.append(major << 5 | argument)
    else:
        for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if argument < 1 << (8 * size):
                out.append(major << 5 | info)
                out += argument.to_bytes(size, "big")
                return
        raise ValueError(f"integer {argument} does not fit in CBOR")
