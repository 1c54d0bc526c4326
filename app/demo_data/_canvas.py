"""A tiny palette raster in pure Python (rows of palette indices) and its PNG encoding with zlib + struct.

Flat illustrations only: every primitive fills spans of a row with one palette index (slice assignment,
so a 480x480 drawing costs milliseconds). Shapes draw in their own 480-unit space; `place` moves and
scales that space so a composition (a kit) can reuse them.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

RGB = tuple[int, int, int]
SIZE = 480


class Canvas:
    """A square image of palette indices; coordinates are transformed by the current placement."""

    def __init__(self, palette: Sequence[RGB], size: int = SIZE, background: int = 0) -> None:
        self.palette = list(palette)
        self.size = size
        self.rows = [bytearray([background]) * size for _ in range(size)]
        self._ox, self._oy, self._k = 0.0, 0.0, size / SIZE

    @contextmanager
    def place(self, x: float, y: float, scale: float) -> Iterator[None]:
        """Draw the block's shapes scaled by `scale` with their origin at (x, y) of the current space."""
        saved = self._ox, self._oy, self._k
        self._ox, self._oy = self._ox + x * self._k, self._oy + y * self._k
        self._k *= scale
        try:
            yield
        finally:
            self._ox, self._oy, self._k = saved

    def _pt(self, x: float, y: float) -> tuple[float, float]:
        return self._ox + x * self._k, self._oy + y * self._k

    def _span(self, y: int, x0: float, x1: float, colour: int) -> None:
        if 0 <= y < self.size:
            a, b = max(0, round(x0)), min(self.size, round(x1))
            if b > a:
                self.rows[y][a:b] = bytes([colour]) * (b - a)

    def rect(self, x0: float, y0: float, x1: float, y1: float, colour: int) -> None:
        (ax, ay), (bx, by) = self._pt(x0, y0), self._pt(x1, y1)
        for y in range(max(0, round(ay)), min(self.size, round(by))):
            self._span(y, ax, bx, colour)

    def rounded(self, x0: float, y0: float, x1: float, y1: float, r: float, colour: int) -> None:
        """A rectangle with corners of radius r."""
        (ax, ay), (bx, by) = self._pt(x0, y0), self._pt(x1, y1)
        rad = min(r * self._k, (bx - ax) / 2, (by - ay) / 2)
        for y in range(max(0, round(ay)), min(self.size, round(by))):
            cy = y + 0.5
            dy = max(ay + rad - cy, cy - (by - rad), 0)
            inset = rad - math.sqrt(max(rad * rad - dy * dy, 0)) if dy else 0
            self._span(y, ax + inset, bx - inset, colour)

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, colour: int) -> None:
        (px, py), rx, ry = self._pt(cx, cy), rx * self._k, ry * self._k
        if rx <= 0 or ry <= 0:
            return
        for y in range(max(0, round(py - ry)), min(self.size, round(py + ry))):
            t = (y + 0.5 - py) / ry
            if abs(t) <= 1:
                w = rx * math.sqrt(1 - t * t)
                self._span(y, px - w, px + w, colour)

    def polygon(self, points: Sequence[tuple[float, float]], colour: int) -> None:
        """Fill a simple polygon (even-odd rule, scanline)."""
        pts = [self._pt(x, y) for x, y in points]
        ys = [p[1] for p in pts]
        edges = list(zip(pts, pts[1:] + pts[:1], strict=True))
        for y in range(max(0, round(min(ys))), min(self.size, round(max(ys)))):
            cy = y + 0.5
            xs = sorted(
                x0 + (cy - y0) * (x1 - x0) / (y1 - y0)
                for (x0, y0), (x1, y1) in edges
                if (y0 <= cy < y1) or (y1 <= cy < y0)
            )
            for a, b in zip(xs[::2], xs[1::2], strict=False):
                self._span(y, a, b, colour)

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, colour: int) -> None:
        """A thick segment with round ends."""
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        nx, ny = -(y1 - y0) / length * width / 2, (x1 - x0) / length * width / 2
        self.polygon([(x0 + nx, y0 + ny), (x1 + nx, y1 + ny), (x1 - nx, y1 - ny), (x0 - nx, y0 - ny)], colour)
        self.ellipse(x0, y0, width / 2, width / 2, colour)
        self.ellipse(x1, y1, width / 2, width / 2, colour)

    def png(self) -> bytes:
        """The image as an 8-bit palette PNG."""
        return encode_png(self.size, self.size, self.palette, self.rows)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(width: int, height: int, palette: Sequence[RGB], rows: Sequence[bytes | bytearray]) -> bytes:
    """A PNG of colour type 3 (palette), each row unfiltered; flat drawings compress well as they are."""
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)
    plte = b"".join(bytes(c) for c in palette)
    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"PLTE", plte),
            _chunk(b"IDAT", zlib.compress(raw, 6)),
            _chunk(b"IEND", b""),
        )
    )
