"""Whether the text fields of a multipart form are UTF-8. Starlette decodes a field that is not
with Latin-1 instead, silently, so "\\xff\\xfe" reached LibreTranslate's routes as "ÿþ"; the
request boundary refuses such a form as it refuses a URL-encoded one. File parts are bytes
and are not looked at."""

from __future__ import annotations

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header


class _Fields:
    """python-multipart's callbacks: each part's headers, then its data, checked at its end."""

    def __init__(self) -> None:
        self.header = b""
        self.is_file = False
        self.data = bytearray()
        self.bad = False

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        if self.header.lower() == b"content-disposition":
            _, params = parse_options_header(data[start:end])
            self.is_file = b"filename" in params

    def on_header_end(self) -> None:
        self.header = b""

    def on_part_begin(self) -> None:
        self.is_file = False
        self.data = bytearray()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if not self.is_file:
            self.data += data[start:end]

    def on_part_end(self) -> None:
        if not self.is_file:
            try:
                self.data.decode("utf-8")
            except UnicodeDecodeError:
                self.bad = True


def multipart_text_is_utf8(body: bytes, content_type: str) -> bool:
    """False when a part without a filename holds bytes that are not UTF-8. A form that does
    not parse is left to the route (which refuses it): True."""
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        return True
    fields = _Fields()
    names = (
        "on_header_field",
        "on_header_value",
        "on_header_end",
        "on_part_begin",
        "on_part_data",
        "on_part_end",
    )
    parser = MultipartParser(boundary, {name: getattr(fields, name) for name in names})  # type: ignore[arg-type]
    try:
        parser.write(body)
        parser.finalize()
    except (ValueError, MultipartParseError):
        return True
    return not fields.bad
