"""Flat product illustrations, one function per shape, drawn in a 480-unit space on the Canvas.

Palette slots: the product's colour (MAIN, its DARK shade and LIGHT tint) and fixed neutrals. A `style`
(0-2) varies a shape within its family (arms or not, high back, two monitors...). Seating and tables are
in drawings_furniture; storage, lighting, accessories, acoustics, terrace and the kits' sets here.
"""

from __future__ import annotations

from app.demo_data._canvas import Canvas
from app.demo_data.drawings_furniture import (
    BG,
    BLACK,
    BOOK1,
    BOOK2,
    BOOK3,
    DARK,
    GLASS,
    GLOW,
    LIGHT,
    MAIN,
    METAL,
    METAL_DARK,
    WHITE,
    WOOD,
    WOOD_DARK,
    Shape,
    bench,
    desk,
    executive_chair,
    meeting_table,
    shadow,
    side_table,
    stacking_chair,
    standing_desk,
    stool,
    task_chair,
    training_table,
    visitor_chair,
)


def cabinet(c: Canvas, style: int) -> None:
    """Tall cabinet with two doors, or a low one with sliding doors."""
    shadow(c, 150)
    top = 230 if style == 1 else 80
    x0, x1 = (96, 384) if style == 1 else (130, 350)
    c.rect(x0 + 6, 410, x1 - 6, 426, BLACK)
    c.rect(x0, top, x1, 410, MAIN)
    c.rect(x0 - 5, top - 8, x1 + 5, top + 4, DARK)
    mid = (x0 + x1) / 2
    c.rect(mid - 2, top + 10, mid + 2, 402, DARK)
    for hx in (mid - 16, mid + 9):
        c.rect(hx, top + (70 if style == 1 else 140), hx + 7, top + (120 if style == 1 else 200), METAL)


def pedestal(c: Canvas, style: int) -> None:
    """Mobile drawer pedestal: three drawers, or two with a file drawer."""
    shadow(c, 90)
    c.rect(168, 216, 312, 400, MAIN)
    c.rect(168, 210, 312, 220, DARK)
    splits = (270,) if style == 1 else (264, 326)
    for y in splits:
        c.rect(174, y, 306, y + 4, DARK)
    for y in (240, 294, 354) if style != 1 else (238, 320):
        c.rect(212, y, 268, y + 7, METAL)
    c.ellipse(186, 410, 10, 10, BLACK)
    c.ellipse(294, 410, 10, 10, BLACK)


def shelving(c: Canvas, style: int) -> None:
    """Shelving unit with binders and boxes on its shelves."""
    shadow(c, 170)
    books = (BOOK1, BOOK2, BOOK3, MAIN, BOOK2)
    shelves = (100, 180, 260, 340) if style != 1 else (180, 260, 340)
    for n, y in enumerate(shelves):
        x = 130 + (n * 23) % 40
        for k in range(5 + n % 3):
            w = 16 + (k * 7 + n) % 10
            h = 52 + (k * 13 + n * 5) % 22
            c.rect(x, y + 74 - h, x + w, y + 74, books[(k + n) % len(books)])
            x += w + 3
        c.rect(300, y + 36, 352, y + 74, WOOD)
    for y in (*shelves, 414):
        c.rect(112, y + 74 if y != 414 else 414, 368, (y + 74 if y != 414 else 414) + 8, DARK)
    for x in (104, 364):
        c.rect(x, shelves[0] - 20, x + 12, 426, MAIN)


def locker(c: Canvas, style: int) -> None:
    """Locker block: three columns of doors with vents and locks."""
    shadow(c, 160)
    c.rect(110, 60, 370, 420, DARK)
    doors = 2 + style % 2
    height = 344 / doors
    for col in range(3):
        x = 116 + col * 84
        for row in range(doors):
            y = 66 + row * height
            c.rect(x, y, x + 80, y + height - 6, MAIN)
            for k in range(4):
                c.rect(x + 16, y + 14 + k * 9, x + 64, y + 18 + k * 9, LIGHT)
            c.ellipse(x + 66, y + height / 2, 5, 5, METAL_DARK)


def desk_lamp(c: Canvas, style: int) -> None:
    """Desk lamp: an articulated arm, or an LED bar on a pole."""
    shadow(c, 110)
    if style == 1:
        c.polygon([(270, 160), (190, 426), (380, 426)], GLOW)
        c.ellipse(160, 416, 56, 14, MAIN)
        c.rect(154, 150, 166, 416, MAIN)
        c.rounded(150, 138, 370, 158, 8, MAIN)
        c.rect(170, 156, 360, 162, GLOW)
        return
    c.polygon([(300, 214), (230, 426), (430, 426)], GLOW)
    c.ellipse(170, 416, 62, 15, MAIN)
    c.line(170, 410, 146, 266, 12, MAIN)
    c.line(146, 266, 286, 176, 12, MAIN)
    for x, y in ((170, 410), (146, 266), (286, 176)):
        c.ellipse(x, y, 9, 9, METAL_DARK)
    c.polygon([(272, 160), (320, 168), (346, 220), (288, 214)], MAIN)
    c.polygon([(288, 214), (346, 220), (340, 226), (292, 220)], DARK)


def floor_lamp(c: Canvas, style: int) -> None:
    """Floor lamp: a straight pole with a shade, or an arc."""
    shadow(c, 90)
    c.ellipse(240, 422, 62, 12, DARK)
    if style == 1:
        c.line(240, 420, 210, 120, 9, METAL)
        c.line(210, 120, 330, 70, 9, METAL)
        c.ellipse(350, 110, 46, 40, MAIN)
        c.rect(300, 110, 400, 152, BG)
        c.ellipse(350, 112, 30, 8, GLOW)
        return
    c.rect(236, 130, 244, 422, METAL)
    c.ellipse(240, 140, 60, 10, GLOW)
    c.polygon([(190, 50), (290, 50), (316, 138), (164, 138)], MAIN)
    c.rect(164, 134, 316, 140, DARK)


def footrest(c: Canvas, style: int) -> None:
    """Tilting footrest with a ribbed platform."""
    shadow(c, 140)
    c.rect(180, 376, 300, 412, BLACK)
    c.ellipse(240, 378, 20, 12, METAL_DARK)
    c.polygon([(150, 300), (330, 300), (372, 370), (108, 370)], MAIN)
    c.rect(108, 370, 372, 382, DARK)
    for k in range(1, 6):
        y = 300 + k * 11
        c.rect(150 - k * 7 + 14, y, 330 + k * 7 - 14, y + 3, LIGHT if style else DARK)


def monitor_arm(c: Canvas, style: int) -> None:
    """Monitor arm clamped to a desk, holding one or two screens."""
    c.rect(20, 330, 460, 352, WOOD)
    c.rect(20, 352, 460, 358, WOOD_DARK)
    c.rect(222, 330, 252, 384, BLACK)
    c.rect(230, 196, 244, 330, MAIN)
    screens = ((40, 220), (260, 440)) if style == 1 else ((150, 420),)
    for x0, x1 in screens:
        mid = (x0 + x1) / 2
        c.line(237, 206, mid, 150, 14, MAIN)
        c.ellipse(mid, 150, 9, 9, METAL_DARK)
        c.rounded(x0, 70, x1, 196, 8, BLACK)
        c.rect(x0 + 8, 78, x1 - 8, 188, GLASS)


def organiser(c: Canvas, style: int) -> None:
    """Desk organisers: a stack of letter trays, or a pen pot with a box file."""
    shadow(c, 130, 420)
    if style == 1:
        c.rect(120, 180, 230, 416, MAIN)
        c.rect(132, 200, 218, 240, LIGHT)
        c.rect(260, 290, 340, 416, DARK)
        for k, colour in enumerate((BOOK1, BOOK2, BOOK3)):
            c.line(280 + k * 20, 292, 270 + k * 24, 220, 7, colour)
        return
    for n in range(3):
        y = 200 + n * 70
        c.rect(162, y - 10, 312, y + 2, WHITE)
        c.polygon([(140, y), (340, y), (356, y + 44), (124, y + 44)], MAIN)
        c.rect(124, y + 44, 356, y + 52, DARK)


def acoustic_panel(c: Canvas, style: int) -> None:
    """Wall acoustic panels: hexagons, vertical slats or discs."""
    shades = (MAIN, DARK, LIGHT)
    if style == 1:
        for k in range(9):
            c.rect(70 + k * 38, 60, 98 + k * 38, 420, shades[k % 2])
        return
    if style == 2:
        for n, (x, y, r) in enumerate(((170, 150, 90), (320, 210, 70), (200, 330, 80), (340, 360, 50))):
            c.ellipse(x, y, r, r, shades[n % 3])
        return
    for row in range(4):
        for col in range(3 + row % 2):
            x = 120 + col * 96 - (row % 2) * 48
            y = 90 + row * 84
            pts = [(x + dx, y + dy) for dx, dy in ((0, -48), (42, -24), (42, 24), (0, 48), (-42, 24), (-42, -24))]
            c.polygon(pts, shades[(row + col) % 3])


def screen(c: Canvas, style: int) -> None:
    """Freestanding acoustic screen on feet (straight or folding)."""
    shadow(c, 180)
    panels = ((70, 230), (250, 410)) if style == 1 else ((80, 400),)
    for x0, x1 in panels:
        c.rounded(x0, 90, x1, 380, 18, MAIN)
        for x in range(int(x0) + 24, int(x1) - 10, 26):
            c.rect(x, 104, x + 3, 366, LIGHT)
        for fx in (x0 + 30, x1 - 30):
            c.rect(fx - 5, 380, fx + 5, 418, METAL)
            c.rect(fx - 34, 416, fx + 34, 424, METAL_DARK)


def phone_booth(c: Canvas, style: int) -> None:
    """Acoustic phone booth for one person, with a glass door."""
    shadow(c, 140)
    c.rect(130, 40, 350, 420, MAIN)
    c.rect(130, 40, 350, 56, DARK)
    c.rect(150, 70, 330, 404, METAL_DARK)
    c.rect(156, 76, 324, 398, GLASS)
    c.rect(180, 200, 300, 212, WOOD)
    if style == 1:
        c.ellipse(240, 300, 34, 10, MAIN)
        c.rect(236, 300, 244, 396, METAL)
    c.rect(306, 200, 314, 270, METAL)
    c.rect(170, 60, 310, 64, GLOW)


def outdoor(c: Canvas, style: int) -> None:
    """Terrace furniture: a slatted armchair, or a bistro table under a parasol."""
    shadow(c, 170)
    if style == 1:
        c.polygon([(240, 40), (430, 130), (50, 130)], MAIN)
        c.rect(50, 126, 430, 136, DARK)
        c.rect(236, 130, 244, 420, METAL)
        c.ellipse(240, 300, 110, 24, WOOD_DARK)
        c.ellipse(240, 294, 110, 24, WOOD)
        c.ellipse(240, 420, 50, 10, METAL_DARK)
        return
    c.line(170, 300, 160, 426, 10, METAL_DARK)
    c.line(310, 300, 320, 426, 10, METAL_DARK)
    c.line(180, 150, 174, 300, 10, METAL_DARK)
    c.line(300, 150, 306, 300, 10, METAL_DARK)
    for k in range(5):
        c.rounded(170, 150 + k * 24, 310, 166 + k * 24, 6, MAIN)
    for k in range(3):
        c.rounded(150, 280 + k * 14, 330, 290 + k * 14, 5, MAIN if k % 2 == 0 else DARK)
    c.rounded(130, 250, 176, 262, 6, METAL_DARK)
    c.rounded(304, 250, 350, 262, 6, METAL_DARK)


def workstation(c: Canvas, style: int) -> None:
    """A complete workplace: desk (or standing desk), chair and lamp drawn together."""
    with c.place(0, 40, 1.0):
        (standing_desk if style == 1 else desk)(c, 0)
    with c.place(290, 34 if style == 1 else 64, 0.42):
        desk_lamp(c, 0)
    with c.place(150, 160, 0.62):
        task_chair(c, 1)


def meeting_set(c: Canvas, style: int) -> None:
    """A meeting room set: the table with chairs around it."""
    for x in (70, 270):
        with c.place(x, 70, 0.45):
            visitor_chair(c, 0)
    with c.place(48, 60, 0.8):
        meeting_table(c, 1)
    for x in (80, 270):
        with c.place(x, 200, 0.55):
            visitor_chair(c, 2)


def classroom_set(c: Canvas, style: int) -> None:
    """Training tables with stacking chairs, as a classroom set."""
    for x, y in ((0, 10), (230, 10), (0, 220), (230, 220)):
        with c.place(x + 60, y - 10, 0.4):
            stacking_chair(c, 0)
        with c.place(x + 10, y + 20, 0.48):
            training_table(c, 0)


SHAPES: dict[str, Shape] = {
    f.__name__: f
    for f in (
        task_chair,
        executive_chair,
        visitor_chair,
        stool,
        stacking_chair,
        desk,
        standing_desk,
        meeting_table,
        side_table,
        bench,
        training_table,
        cabinet,
        pedestal,
        shelving,
        locker,
        desk_lamp,
        floor_lamp,
        footrest,
        monitor_arm,
        organiser,
        acoustic_panel,
        screen,
        phone_booth,
        outdoor,
        workstation,
        meeting_set,
        classroom_set,
    )
}
