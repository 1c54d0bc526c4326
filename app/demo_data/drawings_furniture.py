"""Seating and tables as flat illustrations, drawn in a 480-unit space on the Canvas (see drawings.py).

Palette slots: the product's colour (MAIN, its DARK shade and LIGHT tint) and fixed neutrals. A `style`
(0-2) varies a shape within its family (arms or not, high back, two monitors...).
"""

from __future__ import annotations

from collections.abc import Callable

from app.demo_data._canvas import Canvas

BG, SHADOW, MAIN, DARK, LIGHT, METAL, METAL_DARK, BLACK, GLOW, WOOD, WOOD_DARK, GLASS, WHITE, BOOK1, BOOK2, BOOK3 = (
    range(16)
)
Shape = Callable[[Canvas, int], None]


def shadow(c: Canvas, rx: float = 170, y: float = 432) -> None:
    c.ellipse(240, y, rx, 14, SHADOW)


def _star_base(c: Canvas, colour: int = BLACK, y: float = 400) -> None:
    c.polygon([(112, y), (368, y), (372, y + 10), (108, y + 10)], colour)
    c.polygon([(226, y - 6), (254, y - 6), (262, y + 14), (218, y + 14)], colour)
    for x, dy in ((116, 20), (240, 24), (364, 20)):
        c.ellipse(x, y + dy, 12, 12, BLACK)


def task_chair(c: Canvas, style: int) -> None:
    """Swivel chair: mid back, with arms, or high mesh back with a headrest."""
    shadow(c, 150)
    _star_base(c)
    c.rect(230, 318, 250, 400, METAL)
    c.rect(225, 356, 255, 400, METAL_DARK)
    c.rect(232, 230, 248, 300, BLACK)
    if style == 2:
        c.rounded(190, 28, 290, 64, 14, MAIN)
        c.rect(234, 60, 246, 80, BLACK)
        c.rounded(158, 74, 322, 254, 34, DARK)
        c.rounded(172, 88, 308, 240, 26, LIGHT)
        for y in range(100, 236, 14):
            c.rect(176, y, 304, y + 3, DARK)
    else:
        top = 120 if style == 0 else 96
        c.rounded(166, top, 314, 254, 30, MAIN)
        c.rounded(180, top + 14, 300, 240, 22, LIGHT)
        c.rounded(184, top + 18, 296, 236, 20, MAIN)
    c.rounded(146, 286, 334, 326, 18, MAIN)
    c.rect(156, 316, 324, 332, DARK)
    if style >= 1:
        for x in (140, 322):
            c.rect(x + 8, 250, x + 18, 296, BLACK)
            c.rounded(x - 6, 242, x + 32, 256, 6, BLACK)


def executive_chair(c: Canvas, style: int) -> None:
    """High-back executive armchair, upholstered with stitched panels."""
    shadow(c, 160)
    _star_base(c, METAL)
    c.rect(230, 330, 250, 400, METAL)
    c.rounded(156, 36 + style * 14, 324, 280, 44, MAIN)
    for y in range(86 + style * 14, 270, 46):
        c.rect(172, y, 308, y + 4, DARK)
    c.rounded(140, 272, 340, 336, 24, MAIN)
    c.rect(150, 324, 330, 342, DARK)
    for x0, x1 in ((128, 158), (322, 352)):
        c.rounded(x0, 236, x1, 300, 12, DARK)


def visitor_chair(c: Canvas, style: int) -> None:
    """Visitor chair on four legs, on a sled frame, or with arms."""
    shadow(c, 120)
    if style == 1:
        for x0, x1 in ((178, 162), (302, 318)):
            c.line(x0, 300, x1, 424, 9, METAL)
        c.line(160, 424, 200, 424, 9, METAL)
        c.line(280, 424, 320, 424, 9, METAL)
    else:
        c.line(198, 300, 202, 414, 8, METAL_DARK)
        c.line(282, 300, 278, 414, 8, METAL_DARK)
        c.line(176, 300, 164, 426, 9, METAL)
        c.line(304, 300, 316, 426, 9, METAL)
    c.line(186, 250, 182, 292, 8, METAL)
    c.line(294, 250, 298, 292, 8, METAL)
    c.rounded(168, 142, 312, 252, 24, MAIN)
    c.rounded(156, 280, 324, 308, 12, MAIN)
    c.rect(164, 300, 316, 312, DARK)
    if style == 2:
        for x in (146, 334):
            c.line(x, 232, x, 300, 8, METAL)
        c.line(146, 232, 178, 232, 8, METAL)
        c.line(334, 232, 302, 232, 8, METAL)


def stool(c: Canvas, style: int) -> None:
    """Bar or lab stool: gas column with a foot ring, or four wooden legs."""
    shadow(c, 100)
    if style == 1:
        for x0, x1 in ((200, 170), (280, 310)):
            c.line(x0, 200, x1, 424, 10, WOOD_DARK)
        c.line(185, 330, 295, 330, 7, WOOD_DARK)
    else:
        c.ellipse(240, 414, 76, 15, METAL_DARK)
        c.ellipse(240, 326, 62, 12, METAL)
        c.ellipse(240, 326, 52, 7, BG)
        c.rect(233, 200, 247, 414, METAL)
    c.ellipse(240, 206, 80, 22, DARK)
    c.ellipse(240, 198, 80, 22, MAIN)
    if style == 2:
        c.rounded(180, 96, 300, 150, 20, MAIN)
        c.rect(234, 146, 246, 190, METAL)


def stacking_chair(c: Canvas, style: int) -> None:
    """Polypropylene shell chair on a thin frame; stacked when style is 1."""
    shadow(c, 130)
    shells = [(0, -28), (0, 0)] if style == 1 else [(0, 0)]
    for n, (dx, dy) in enumerate(shells):
        colour, seat = (DARK, DARK) if n < len(shells) - 1 else (MAIN, DARK)
        c.line(176 + dx, 290 + dy, 166 + dx, 426, 7, METAL)
        c.line(304 + dx, 290 + dy, 314 + dx, 426, 7, METAL)
        c.line(200 + dx, 292 + dy, 206 + dx, 414, 6, METAL_DARK)
        c.line(280 + dx, 292 + dy, 274 + dx, 414, 6, METAL_DARK)
        c.rounded(176 + dx, 126 + dy, 304 + dx, 236 + dy, 44, colour)
        c.rect(196 + dx, 226 + dy, 284 + dx, 270 + dy, colour)
        c.polygon([(162, 264 + dy), (318, 264 + dy), (328, 296 + dy), (152, 296 + dy)], colour)
        c.rect(156, 292 + dy, 324, 302 + dy, seat)
        if style == 2 and n == len(shells) - 1:
            c.rounded(210, 150, 270, 166, 8, BG)


def _top(c: Canvas, y: float, depth: float = 34, x0: float = 60, x1: float = 420, edge: int = DARK) -> None:
    c.polygon([(x0 + 40, y), (x1 - 40, y), (x1, y + depth), (x0, y + depth)], MAIN)
    c.rect(x0, y + depth, x1, y + depth + 12, edge)


def desk(c: Canvas, style: int) -> None:
    """Desk: metal legs, panel legs, or with a modesty panel."""
    shadow(c, 200)
    if style == 1:
        for x in (62, 396):
            c.rect(x, 290, x + 22, 426, MAIN)
            c.rect(x + 22, 290, x + 28, 426, DARK)
    else:
        for x in (70, 404):
            c.rect(x, 290, x + 10, 426, METAL_DARK)
        for x in (104, 372):
            c.rect(x, 270, x + 8, 414, METAL)
    if style == 2:
        c.rect(110, 292, 370, 364, DARK)
    _top(c, 244)


def standing_desk(c: Canvas, style: int) -> None:
    """Height-adjustable desk: two telescopic columns, feet and a control pad."""
    shadow(c, 200)
    for x in (96, 362):
        c.rect(x - 36, 404, x + 58, 416, METAL_DARK)
        c.rect(x, 222, x + 22, 404, METAL)
        c.rect(x + 4, 222, x + 18, 310, METAL_DARK)
    c.rect(118, 238, 362, 250, METAL_DARK)
    _top(c, 178 + style * 12)
    c.rect(352, 234 + style * 12, 384, 242 + style * 12, BLACK)


def meeting_table(c: Canvas, style: int) -> None:
    """Meeting table: oval on two pedestals, or rectangular on frame legs."""
    shadow(c, 210, 430)
    if style == 1:
        for x in (40, 426):
            c.rect(x, 276, x + 14, 424, METAL_DARK)
        c.polygon([(70, 226), (410, 226), (456, 266), (24, 266)], MAIN)
        c.rect(24, 266, 456, 280, DARK)
        return
    for x in (150, 314):
        c.rect(x, 262, x + 16, 410, METAL)
        c.ellipse(x + 8, 414, 46, 10, METAL_DARK)
    c.ellipse(240, 256, 210, 54, DARK)
    c.ellipse(240, 246, 210, 54, MAIN)
    c.ellipse(240, 246, 160, 34, LIGHT)
    c.ellipse(240, 246, 156, 31, MAIN)


def side_table(c: Canvas, style: int) -> None:
    """Round side table on a column, or a low square coffee table."""
    shadow(c, 130)
    if style == 1:
        for x in (120, 344):
            c.rect(x, 320, x + 16, 426, METAL_DARK)
        c.polygon([(130, 290), (350, 290), (380, 316), (100, 316)], MAIN)
        c.rect(100, 316, 380, 330, DARK)
        return
    c.ellipse(240, 418, 74, 14, METAL_DARK)
    c.rect(232, 230, 248, 418, METAL)
    c.ellipse(240, 232, 118, 30, DARK)
    c.ellipse(240, 224, 118, 30, MAIN)


def bench(c: Canvas, style: int) -> None:
    """Bench desk for facing workplaces, with a central screen."""
    shadow(c, 230)
    for x in (30, 234, 440):
        c.rect(x, 292, x + 12, 426, METAL_DARK)
    c.rounded(70, 176 - style * 10, 410, 260, 10, DARK)
    c.rounded(78, 184 - style * 10, 402, 258, 8, LIGHT)
    c.polygon([(50, 250), (430, 250), (466, 282), (14, 282)], MAIN)
    c.rect(14, 282, 466, 294, DARK)


def training_table(c: Canvas, style: int) -> None:
    """Training table with a flip-top, on castors."""
    shadow(c, 190)
    for x in (96, 370):
        c.rect(x, 292, x + 14, 400, METAL)
        c.rect(x - 38, 400, x + 52, 410, METAL_DARK)
        c.ellipse(x - 30, 418, 9, 9, BLACK)
        c.ellipse(x + 44, 418, 9, 9, BLACK)
    if style == 1:
        c.polygon([(70, 160), (410, 160), (420, 280), (60, 280)], MAIN)
        c.rect(60, 280, 420, 292, DARK)
    else:
        _top(c, 246, 36, 50, 430)
    c.rect(110, 292, 370, 298, METAL_DARK)
