"""The demo catalogue's product families (the taxonomy they use is in taxonomy.py).

Muebles Levante S.L. makes and distributes office furniture: its own brand "Levante" plus a few partner
manufacturers (invented names). Each Family describes how its products are named, described, drawn,
varied and costed; catalogue.py turns the table into products with a seeded random generator.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.demo_data.taxonomy import HOUSE_BRAND


@dataclass(frozen=True)
class Kind:
    """One model type of a family: its Spanish and English names and the drawing's style."""

    es: str
    en: str
    style: int = 0


@dataclass(frozen=True)
class Family:
    """How the products of one leaf category are made up."""

    key: str
    category: str
    prefix: str  # SKU prefix
    count: int  # product templates
    shape: str  # drawings.SHAPES key
    kinds: tuple[Kind, ...]
    brands: tuple[str, ...]
    axes: tuple[tuple[str, tuple[str, ...], int, int], ...]  # attribute, value pool, fewest and most picked
    cost: tuple[int, int]  # EUR, the cheapest model's cost to the dearest one's
    weight: tuple[float, float]  # kg
    size: tuple[int, int, int]  # length x width x height in cm, the typical model's
    norm: str = ""
    features: tuple[tuple[str, str], ...] = ()
    min_qty: int = 1
    multiple: int = 1
    by_box: bool = False  # sold by the box of 10 (a unit conversion), ordered in tens
    warranty: int = 5


CHAIR_FEATURES = (
    ("mecanismo sincro con bloqueo en cuatro posiciones", "a synchro mechanism locking in four positions"),
    ("regulación de altura por pistón de gas", "gas-lift height adjustment"),
    ("soporte lumbar regulable", "adjustable lumbar support"),
    ("asiento con espuma inyectada de alta densidad", "a high-density moulded foam seat"),
    ("ruedas de doble rodadura para suelo duro", "twin-wheel castors for hard floors"),
    ("base de aluminio pulido", "a polished aluminium base"),
    ("brazos regulables en altura y anchura", "armrests adjustable in height and width"),
    ("profundidad de asiento regulable", "adjustable seat depth"),
    ("respaldo transpirable", "a breathable backrest"),
)
DESK_FEATURES = (
    ("tablero de 25 mm con canto de PVC de 2 mm", "a 25 mm top with a 2 mm PVC edge"),
    ("estructura de acero pintada en epoxi", "an epoxy-painted steel frame"),
    ("bandeja pasacables bajo el tablero", "a cable tray under the top"),
    ("niveladores para suelos irregulares", "levellers for uneven floors"),
    ("tapa de electrificación abatible", "a flip-up power access lid"),
    ("tablero con certificado PEFC", "a PEFC-certified top"),
    ("montaje sin herramientas especiales", "assembly without special tools"),
)
STORAGE_FEATURES = (
    ("cerradura con llave abatible", "a lock with folding key"),
    ("baldas regulables en altura cada 32 mm", "shelves adjustable every 32 mm"),
    ("bisagras de 110° con cierre amortiguado", "110° hinges with soft closing"),
    ("acero de 0,8 mm pintado en epoxi", "0.8 mm epoxy-painted steel"),
    ("zócalo con niveladores", "a plinth with levellers"),
    ("guías de extracción total", "full-extension runners"),
)
LIGHT_FEATURES = (
    ("LED de alta eficiencia con IRC > 90", "high-efficiency LEDs with CRI > 90"),
    ("regulación táctil de intensidad", "touch dimming"),
    ("difusor antideslumbramiento UGR < 19", "an anti-glare diffuser (UGR < 19)"),
    ("puerto USB-C de carga en la base", "a USB-C charging port in the base"),
    ("sensor de presencia y luz natural", "a presence and daylight sensor"),
)
ACOUSTIC_FEATURES = (
    ("fieltro de PET reciclado al 60 %", "felt of 60 % recycled PET"),
    ("absorción acústica de clase A", "class A sound absorption"),
    ("material ignífugo B-s1,d0", "B-s1,d0 fire-rated material"),
    ("fijación magnética o adhesiva", "magnetic or adhesive fixing"),
)
ACCESSORY_FEATURES = (
    ("plástico reciclado", "recycled plastic"),
    ("acabado antideslizante", "a non-slip finish"),
    ("montaje sin tornillos", "screwless assembly"),
    ("pensado para el puesto de trabajo compartido", "made for shared workplaces"),
)
CHAIR_COLOURS = ("negro", "gris", "antracita", "azul", "rojo", "verde", "mostaza", "arena")
FINISHES = ("roble", "nogal", "haya", "blanco", "gris-perla")


def _kinds(*rows: tuple[str, str, int]) -> tuple[Kind, ...]:
    return tuple(Kind(*row) for row in rows)


FAMILIES: tuple[Family, ...] = (
    Family("operativa", "sillas-operativas", "SOP", 24, "task_chair",
           _kinds(
               ("Silla operativa", "task chair", 0),
               ("Silla operativa con brazos", "task chair with armrests", 1),
               ("Silla giratoria", "swivel chair", 0),
               ("Silla de oficina respaldo medio", "mid-back office chair", 1),
           ),
           (HOUSE_BRAND, HOUSE_BRAND, "Sedalia", "Ergoval"),
           (("color", CHAIR_COLOURS, 2, 4), ("tapizado", ("malla", "tela"), 1, 1)),
           (48, 130), (11, 16), (62, 62, 98), "UNE-EN 1335", CHAIR_FEATURES),
    Family("ergonomica", "sillas-ergonomicas", "SER", 20, "task_chair",
           _kinds(
               ("Silla ergonómica", "ergonomic chair", 2),
               ("Silla ergonómica con cabezal", "ergonomic chair with headrest", 2),
               ("Silla ergonómica de malla", "ergonomic mesh chair", 1),
           ),
           ("Ergoval", "Ergoval", HOUSE_BRAND, "Sedalia"),
           (("color", ("negro", "gris", "antracita", "azul", "blanco"), 2, 3), ("tapizado", ("malla", "tela"), 1, 2)),
           (140, 390), (15, 21), (68, 66, 122), "UNE-EN 1335", CHAIR_FEATURES),
    Family("direccion", "sillones-direccion", "SDI", 14, "executive_chair",
           _kinds(
               ("Sillón de dirección", "executive armchair", 0),
               ("Sillón de dirección respaldo alto", "high-back executive chair", 1),
               ("Sillón de despacho", "office armchair", 2),
           ),
           ("Sedalia", HOUSE_BRAND),
           (("color", ("negro", "arena", "antracita", "terracota"), 1, 3), ("tapizado", ("polipiel", "piel"), 1, 2)),
           (190, 520), (18, 24), (70, 70, 128), "UNE-EN 1335", CHAIR_FEATURES),
    Family("confidente", "sillas-confidente", "SCO", 18, "visitor_chair",
           _kinds(
               ("Silla de confidente", "visitor chair", 0),
               ("Silla confidente patín", "cantilever visitor chair", 1),
               ("Silla de confidente con brazos", "visitor chair with arms", 2),
           ),
           (HOUSE_BRAND, "Sedalia", HOUSE_BRAND),
           (("color", CHAIR_COLOURS, 2, 4),),
           (32, 110), (5, 8), (54, 56, 82), "UNE-EN 16139", CHAIR_FEATURES[3:]),
    Family("taburete", "taburetes", "TAB", 14, "stool",
           _kinds(
               ("Taburete alto", "bar stool", 0),
               ("Taburete de madera", "wooden stool", 1),
               ("Taburete de laboratorio con respaldo", "lab stool with backrest", 2),
           ),
           (HOUSE_BRAND, "Sedalia"),
           (("color", ("negro", "blanco", "gris", "mostaza", "terracota"), 1, 3),),
           (38, 120), (5, 9), (42, 42, 80), "UNE-EN 16139", CHAIR_FEATURES[1:5]),
    Family("colectividad", "sillas-colectividades", "SCL", 22, "stacking_chair",
           _kinds(
               ("Silla apilable", "stacking chair", 0),
               ("Silla de colectividades", "multipurpose chair", 2),
               ("Silla escolar apilable", "stacking school chair", 1),
           ),
           (HOUSE_BRAND, HOUSE_BRAND, "Sedalia"),
           (("color", ("azul", "rojo", "verde", "mostaza", "gris", "blanco"), 2, 4),),
           (16, 48), (3.5, 5.5), (50, 52, 80), "UNE-EN 16139", CHAIR_FEATURES[3:4], min_qty=4, multiple=4),
    Family("escritorio", "escritorios", "ESC", 20, "desk",
           _kinds(
               ("Escritorio", "desk", 0),
               ("Mesa de oficina con faldón", "office desk with modesty panel", 2),
               ("Escritorio con patas panel", "panel-leg desk", 1),
           ),
           (HOUSE_BRAND, HOUSE_BRAND, "Nordhem"),
           (("ancho", ("120", "140", "160", "180"), 2, 3), ("acabado", FINISHES, 1, 2)),
           (95, 260), (28, 45), (140, 80, 74), "UNE-EN 527", DESK_FEATURES),
    Family("elevable", "mesas-elevables", "MEL", 14, "standing_desk",
           _kinds(
               ("Mesa elevable eléctrica", "electric standing desk", 0),
               ("Mesa regulable en altura con memoria", "height-adjustable desk with memory", 1),
           ),
           ("Nordhem", HOUSE_BRAND),
           (("ancho", ("120", "140", "160", "180"), 2, 3), ("acabado", FINISHES, 1, 2)),
           (260, 640), (38, 55), (160, 80, 125), "UNE-EN 527", DESK_FEATURES),
    Family("reuniones", "mesas-reuniones", "MRE", 14, "meeting_table",
           _kinds(
               ("Mesa de reuniones ovalada", "oval meeting table", 0),
               ("Mesa de reuniones", "meeting table", 1),
           ),
           (HOUSE_BRAND, "Nordhem"),
           (("ancho", ("200", "240", "320"), 1, 3), ("acabado", FINISHES, 1, 2)),
           (280, 980), (55, 110), (240, 110, 74), "UNE-EN 15372", DESK_FEATURES),
    Family("auxiliar", "mesas-auxiliares", "MAU", 10, "side_table",
           _kinds(
               ("Mesa auxiliar redonda", "round side table", 0),
               ("Mesa de centro", "coffee table", 1),
           ),
           (HOUSE_BRAND, "Nordhem"),
           (("acabado", FINISHES, 1, 3),),
           (45, 160), (8, 18), (60, 60, 72), "", DESK_FEATURES[:3]),
    Family("bench", "bench", "BEN", 8, "bench",
           _kinds(
               ("Puesto bench doble", "double bench desk", 0),
               ("Bench operativo con pantalla", "bench desk with screen", 1),
           ),
           ("Nordhem", HOUSE_BRAND),
           (("ancho", ("120", "140", "160"), 2, 3), ("acabado", ("blanco", "roble", "gris-perla"), 1, 2)),
           (320, 780), (70, 120), (280, 164, 74), "UNE-EN 527", DESK_FEATURES),
    Family("formacion", "mesas-formacion", "MFO", 10, "training_table",
           _kinds(
               ("Mesa de formación abatible", "flip-top training table", 1),
               ("Mesa de aula", "classroom table", 0),
           ),
           (HOUSE_BRAND, "Nordhem"),
           (("ancho", ("60", "120", "140", "160"), 2, 3), ("acabado", ("haya", "blanco", "gris-perla"), 1, 2)),
           (60, 240), (12, 30), (120, 60, 74), "UNE-EN 1729", DESK_FEATURES[:4]),
    Family("armario", "armarios", "ARM", 14, "cabinet",
           _kinds(
               ("Armario alto de puertas batientes", "tall cabinet with hinged doors", 0),
               ("Armario bajo de puertas correderas", "low cabinet with sliding doors", 1),
           ),
           ("Ferroval", HOUSE_BRAND, "Nordhem"),
           (("alto", ("105", "200"), 1, 2), ("acabado", ("blanco", "gris-perla", "roble", "nogal"), 1, 2)),
           (140, 420), (40, 85), (100, 45, 200), "UNE-EN 14073", STORAGE_FEATURES),
    Family("cajonera", "cajoneras", "CAJ", 10, "pedestal",
           _kinds(
               ("Cajonera con ruedas de tres cajones", "three-drawer mobile pedestal", 0),
               ("Cajonera con cajón archivo", "pedestal with filing drawer", 1),
           ),
           (HOUSE_BRAND, "Ferroval"),
           (("acabado", ("blanco", "gris-perla", "roble", "haya"), 2, 3),),
           (70, 190), (18, 30), (42, 58, 60), "UNE-EN 14073", STORAGE_FEATURES),
    Family("estanteria", "estanterias", "EST", 12, "shelving",
           _kinds(
               ("Estantería metálica", "metal shelving unit", 0),
               ("Estantería de archivo", "archive shelving", 1),
               ("Librería abierta", "open bookcase", 2),
           ),
           ("Ferroval", HOUSE_BRAND),
           (("alto", ("180", "200"), 1, 2), ("color", ("gris", "blanco", "antracita", "azul"), 1, 2)),
           (55, 240), (20, 45), (100, 40, 200), "UNE-EN 14073", STORAGE_FEATURES),
    Family("taquilla", "taquillas", "TAQ", 8, "locker",
           _kinds(
               ("Taquilla metálica de dos puertas por columna", "two-tier metal locker", 0),
               ("Taquilla de tres puertas por columna", "three-tier locker", 1),
           ),
           ("Ferroval",),
           (("color", ("gris", "azul", "verde", "rojo", "antracita"), 2, 3),),
           (160, 420), (45, 80), (90, 50, 180), "UNE-EN 14073", STORAGE_FEATURES[:4]),
    Family("sobremesa", "lamparas-sobremesa", "LSM", 12, "desk_lamp",
           _kinds(
               ("Lámpara de escritorio articulada", "articulated desk lamp", 0),
               ("Lámpara LED de sobremesa", "LED desk lamp", 1),
           ),
           ("Lumbra", HOUSE_BRAND),
           (("color", ("negro", "blanco", "gris", "azul", "mostaza"), 2, 3), ("luz", ("3000k", "4000k"), 1, 1)),
           (18, 95), (1.2, 3), (45, 18, 50), "UNE-EN 60598", LIGHT_FEATURES),
    Family("pie", "lamparas-pie", "LPI", 8, "floor_lamp",
           _kinds(
               ("Lámpara de pie", "floor lamp", 0),
               ("Lámpara de pie de arco", "arc floor lamp", 1),
           ),
           ("Lumbra",),
           (("color", ("negro", "blanco", "arena", "verde"), 1, 3), ("luz", ("3000k", "4000k"), 1, 1)),
           (60, 260), (6, 14), (40, 40, 180), "UNE-EN 60598", LIGHT_FEATURES),
    Family("reposapies", "reposapies", "REP", 6, "footrest",
           _kinds(
               ("Reposapiés basculante", "tilting footrest", 0),
               ("Reposapiés regulable en altura", "height-adjustable footrest", 1),
           ),
           ("Ordena", HOUSE_BRAND),
           (("color", ("negro", "gris", "blanco"), 1, 2),),
           (12, 45), (1.5, 3.5), (45, 35, 12), "", ACCESSORY_FEATURES),
    Family("monitor", "soportes-monitor", "SMO", 10, "monitor_arm",
           _kinds(
               ("Brazo de monitor", "monitor arm", 0),
               ("Brazo para dos monitores", "dual monitor arm", 1),
           ),
           ("Ordena", "Ergoval"),
           (("color", ("negro", "blanco", "gris"), 1, 3),),
           (25, 120), (2, 6), (60, 15, 45), "", ACCESSORY_FEATURES[1:]),
    Family("organizador", "organizadores", "ORG", 14, "organiser",
           _kinds(
               ("Bandeja portadocumentos apilable", "stackable letter tray", 0),
               ("Cubilete y archivador de escritorio", "pen pot and desk file", 1),
           ),
           ("Ordena",),
           (("color", ("negro", "blanco", "azul", "verde", "rojo"), 2, 4),),
           (1, 6), (0.2, 0.6), (35, 26, 7), "", ACCESSORY_FEATURES, min_qty=10, multiple=10, by_box=True, warranty=2),
    Family("panel", "paneles-acusticos", "PAC", 10, "acoustic_panel",
           _kinds(
               ("Panel acústico hexagonal", "hexagonal acoustic panel", 0),
               ("Panel acústico de lamas", "slatted acoustic panel", 1),
               ("Panel acústico circular", "round acoustic panel", 2),
           ),
           ("Acustia",),
           (("color", ("gris", "azul", "verde", "mostaza", "terracota", "arena"), 2, 4),),
           (18, 90), (1, 4), (60, 60, 3), "UNE-EN ISO 11654", ACOUSTIC_FEATURES, min_qty=2, multiple=2),
    Family("biombo", "biombos", "BIO", 8, "screen",
           _kinds(
               ("Biombo acústico", "acoustic screen", 0),
               ("Biombo plegable de dos hojas", "two-panel folding screen", 1),
           ),
           ("Acustia", HOUSE_BRAND),
           (("color", ("gris", "azul", "verde", "antracita"), 2, 3),),
           (90, 320), (8, 18), (160, 40, 150), "UNE-EN ISO 11654", ACOUSTIC_FEATURES),
    Family("cabina", "cabinas-acusticas", "CAB", 4, "phone_booth",
           _kinds(
               ("Cabina acústica individual", "single phone booth", 0),
               ("Cabina acústica con mesa", "phone booth with desk", 1),
           ),
           ("Acustia",),
           (("color", ("gris", "azul", "verde", "antracita"), 2, 3),),
           (2900, 5200), (280, 420), (100, 100, 220), "UNE-EN ISO 23351-1", ACOUSTIC_FEATURES),
    Family("exterior", "exterior", "EXT", 10, "outdoor",
           _kinds(
               ("Sillón de terraza de lamas", "slatted terrace armchair", 0),
               ("Conjunto de mesa bistró con sombrilla", "bistro table set with parasol", 1),
           ),
           ("Brisamar", HOUSE_BRAND),
           (("color", ("blanco", "antracita", "terracota", "verde", "azul"), 2, 3),),
           (45, 380), (6, 30), (60, 60, 80), "UNE-EN 581", ACCESSORY_FEATURES[:2]),
)  # fmt: skip

INTROS = (
    ("Pensada para jornadas largas", "Made for long working days"),
    ("Ideal para oficinas abiertas y coworkings", "Ideal for open-plan offices and coworking spaces"),
    ("Diseño sobrio para despachos y salas de dirección", "A sober design for private offices and boardrooms"),
    ("Fabricada en Valencia con materiales de proximidad", "Made in Valencia from locally sourced materials"),
    ("Resistente para el uso intensivo de colegios y espacios públicos", "Tough enough for schools and public spaces"),
    ("Una referencia de nuestra gama contract", "A mainstay of our contract range"),
)
