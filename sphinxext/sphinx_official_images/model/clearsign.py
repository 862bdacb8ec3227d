"""PGP clear-signed manifests: the armour stripped the way bashbrew strips it.

bashbrew reads manifests with ``pault.ag/go/debian/control``, which, when the
(comment-stripped) input starts with ``-----BEGIN PGP ``, decodes it with
``golang.org/x/crypto/openpgp/clearsign`` and parses the signed text.  bashbrew
passes no keyring, so the signature is never checked: only the *shape* of the
armour decides whether the manifest is read or refused with "Invalid
clearsigned input".  This module reproduces that shape check and the text it
yields (dash-escapes removed, trailing blanks and tabs trimmed from each line),
so that a signed manifest gives exactly the entries bashbrew sees.

Everything works on ``str`` (the manifest's text as bashbrew reads it, one code
point per undecodable byte) and runs in time linear in the input.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SignedText", "decode_clearsigned", "looks_signed"]

_START = "-----BEGIN PGP SIGNED MESSAGE-----"
_END_TEXT = "-----BEGIN PGP SIGNATURE-----"
_END = "\n-----END PGP SIGNATURE-----"
_ARMOR_START = "-----BEGIN "
_ARMOR_END_OF_LINE = "-----"
# bufio.NewReaderSize(in, 100) in armor.Decode: ReadLine returns long lines in pieces.
_ARMOR_BUFFER = 100
# Go's strings.TrimSpace on ASCII-only armour lines (bytes.TrimSpace)
_ASCII_SPACE = "\t\n\v\f\r "


def looks_signed(text: str) -> bool:
    """``NewParagraphReader``'s test: the first 15 characters are ``-----BEGIN PGP ``."""
    return text.startswith("-----BEGIN PGP ")


@dataclass(frozen=True, slots=True)
class SignedText:
    """The signed text, as lines, and where it starts in the decoded input.

    ``lines[i]`` is line ``first_line + i`` (0-based) of the input given to
    :func:`decode_clearsigned`: the clear-signed body maps one to one onto
    the lines it came from.
    """

    first_line: int
    lines: tuple[str, ...]


def _get_line(data: str, pos: int) -> tuple[str, int]:
    """clearsign ``getLine``: the line at ``pos`` without its ``\\n`` or ``\\r\\n``,
    and where the rest starts."""
    end = data.find("\n", pos)
    if end < 0:
        return data[pos:], len(data)
    stop = end - 1 if end > pos and data[end - 1] == "\r" else end
    return data[pos:stop], end + 1


def _has_header_junk(line: str) -> bool:
    """A header line with a control or non-ASCII character (``r < 0x20 || r > 0x7e``)."""
    return not (line.isascii() and line.isprintable())


def decode_clearsigned(data: str) -> SignedText | None:
    """``clearsign.Decode``: the first clear-signed message in ``data``, or None.

    None is what bashbrew reports as "Invalid clearsigned input": no start
    line, a start line with a suffix, a header other than ``Hash``, no
    signature, or an armoured signature that ``armor.Decode`` refuses.
    """
    if data.startswith(_START):
        pos = len(_START)
    else:
        found = data.find("\n" + _START)
        if found < 0:
            return None
        pos = found + 1 + len(_START)
    suffix, pos = _get_line(data, pos)
    if suffix:
        return None
    # headers, up to an empty line
    while True:
        if pos >= len(data):
            return None
        line, pos = _get_line(data, pos)
        if not line:
            break
        if _has_header_junk(line):
            return None
        key, colon, _ = line.partition(":")
        if not colon or key.strip(_ASCII_SPACE) != "Hash":
            return None
    first_line = data.count("\n", 0, pos)
    body: list[str] = []
    while True:
        start = pos
        line, pos = _get_line(data, pos)
        if not line and pos >= len(data):
            return None  # no armoured signature: not a complete message
        if line == _END_TEXT:
            pos = start
            break
        if line.startswith("- "):
            line = line[2:]
        body.append(line.rstrip(" \t"))
    end = data.find(_END, pos)
    if end < 0:
        return None
    end += len(_END)
    while end < len(data) and data[end] in "\r\n":
        end += 1
    if not _armor_decodes(data[pos:end]):
        return None
    return SignedText(first_line, tuple(body))


def _read_lines(data: str) -> list[tuple[str, bool]]:
    """``bufio.Reader.ReadLine`` with a 100-byte buffer: (line, is_prefix) pieces."""
    pieces: list[tuple[str, bool]] = []
    pos = 0
    size = len(data)
    while pos < size:
        newline = data.find("\n", pos, pos + _ARMOR_BUFFER)
        if newline < 0 and size - pos >= _ARMOR_BUFFER:
            piece = data[pos : pos + _ARMOR_BUFFER]
            advance = _ARMOR_BUFFER
            if piece.endswith("\r"):  # a "\r\n" straddling the buffer is kept whole
                piece = piece[:-1]
                advance -= 1
            pieces.append((piece, True))
            pos += advance
            continue
        if newline < 0:
            piece = data[pos:]
            pos = size
        else:
            piece = data[pos:newline]
            if piece.endswith("\r"):
                piece = piece[:-1]
            pos = newline + 1
        pieces.append((piece, False))
    return pieces


def _armor_decodes(armored: str) -> bool:
    """Whether ``armor.Decode`` finds a block with well-formed headers.

    The body is read lazily by Go and never by bashbrew (no keyring), so only
    the BEGIN line and the header lines up to the empty line matter.
    """
    pieces = _read_lines(armored)
    index = 0
    count = len(pieces)
    ignore_next = False
    while True:  # TryNextBlock
        found = False
        while index < count:  # skip leading garbage
            ignore_this = ignore_next
            line, ignore_next = pieces[index]
            index += 1
            if ignore_next or ignore_this:
                continue
            line = line.strip(_ASCII_SPACE)
            if len(line) > len(_ARMOR_START) + len(_ARMOR_END_OF_LINE) and line.startswith(
                _ARMOR_START
            ):
                found = True
                break
        if not found:
            return False
        next_is_continuation = False
        retry = False
        while True:  # headers
            is_continuation = next_is_continuation
            if index >= count:
                return False
            line, next_is_continuation = pieces[index]
            index += 1
            if is_continuation:
                continue
            line = line.strip(_ASCII_SPACE)
            if not line:
                return True
            if ": " not in line:
                retry = True
                break
        if not retry:
            return True
