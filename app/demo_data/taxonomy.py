"""The demo catalogue's taxonomy: categories, attributes and their values, brands and collection names."""

from __future__ import annotations

# slug, parent slug, es, en
CATEGORIES: tuple[tuple[str, str | None, str, str], ...] = (
    ("sillas", None, "Sillas", "Chairs"),
    ("sillas-operativas", "sillas", "Sillas operativas", "Task chairs"),
    ("sillas-ergonomicas", "sillas", "Sillas ergonómicas", "Ergonomic chairs"),
    ("sillones-direccion", "sillas", "Sillones de dirección", "Executive chairs"),
    ("sillas-confidente", "sillas", "Sillas de confidente", "Visitor chairs"),
    ("taburetes", "sillas", "Taburetes", "Stools"),
    ("sillas-colectividades", "sillas", "Sillas de colectividades", "Stacking and multipurpose chairs"),
    ("mesas", None, "Mesas", "Desks and tables"),
    ("escritorios", "mesas", "Escritorios", "Desks"),
    ("mesas-elevables", "mesas", "Mesas regulables en altura", "Height-adjustable desks"),
    ("mesas-reuniones", "mesas", "Mesas de reuniones", "Meeting tables"),
    ("mesas-auxiliares", "mesas", "Mesas auxiliares", "Side tables"),
    ("bench", "mesas", "Puestos bench", "Bench desks"),
    ("mesas-formacion", "mesas", "Mesas de formación y aula", "Training and classroom tables"),
    ("almacenaje", None, "Almacenaje", "Storage"),
    ("armarios", "almacenaje", "Armarios", "Cabinets"),
    ("cajoneras", "almacenaje", "Cajoneras", "Drawer pedestals"),
    ("estanterias", "almacenaje", "Estanterías", "Shelving"),
    ("taquillas", "almacenaje", "Taquillas", "Lockers"),
    ("iluminacion", None, "Iluminación", "Lighting"),
    ("lamparas-sobremesa", "iluminacion", "Lámparas de sobremesa", "Desk lamps"),
    ("lamparas-pie", "iluminacion", "Lámparas de pie", "Floor lamps"),
    ("accesorios", None, "Accesorios", "Accessories"),
    ("reposapies", "accesorios", "Reposapiés", "Footrests"),
    ("soportes-monitor", "accesorios", "Soportes de monitor", "Monitor arms"),
    ("organizadores", "accesorios", "Organizadores de escritorio", "Desk organisers"),
    ("acustica", None, "Acústica", "Acoustics"),
    ("paneles-acusticos", "acustica", "Paneles acústicos", "Acoustic panels"),
    ("biombos", "acustica", "Biombos y separadores", "Screens and dividers"),
    ("cabinas-acusticas", "acustica", "Cabinas acústicas", "Phone booths"),
    ("exterior", None, "Exterior y terraza", "Outdoor and terrace"),
    ("packs", None, "Puestos completos y packs", "Workstation sets and packs"),
)

# attribute code -> (es, en, [(value code, es, en, SKU part)])
ATTRIBUTES: dict[str, tuple[str, str, tuple[tuple[str, str, str, str], ...]]] = {
    "color": (
        "Color",
        "Colour",
        (
            ("negro", "Negro", "Black", "NEG"),
            ("blanco", "Blanco", "White", "BLA"),
            ("gris", "Gris", "Grey", "GRI"),
            ("antracita", "Antracita", "Anthracite", "ANT"),
            ("azul", "Azul", "Blue", "AZU"),
            ("rojo", "Rojo", "Red", "ROJ"),
            ("verde", "Verde oliva", "Olive green", "VER"),
            ("mostaza", "Mostaza", "Mustard", "MOS"),
            ("arena", "Arena", "Sand", "ARE"),
            ("terracota", "Terracota", "Terracotta", "TER"),
        ),
    ),
    "acabado": (
        "Acabado",
        "Finish",
        (
            ("roble", "Roble", "Oak", "ROB"),
            ("nogal", "Nogal", "Walnut", "NOG"),
            ("haya", "Haya", "Beech", "HAY"),
            ("blanco", "Blanco", "White", "BLA"),
            ("gris-perla", "Gris perla", "Pearl grey", "GPE"),
        ),
    ),
    "tapizado": (
        "Tapizado",
        "Upholstery",
        (
            ("malla", "Malla", "Mesh", "MAL"),
            ("tela", "Tela", "Fabric", "TEL"),
            ("polipiel", "Polipiel", "Faux leather", "PPI"),
            ("piel", "Piel", "Leather", "PIE"),
        ),
    ),
    "ancho": (
        "Ancho",
        "Width",
        tuple((str(w), f"{w} cm", f"{w} cm", str(w)) for w in (60, 80, 100, 120, 140, 160, 180, 200, 240, 320)),
    ),
    "alto": (
        "Alto",
        "Height",
        tuple((str(h), f"{h} cm", f"{h} cm", str(h)) for h in (75, 105, 150, 180, 200)),
    ),
    "luz": (
        "Temperatura de color",
        "Colour temperature",
        (("3000k", "3000 K (cálida)", "3000 K (warm)", "3K"), ("4000k", "4000 K (neutra)", "4000 K (neutral)", "4K")),
    ),
}
ATTRIBUTE_LABELS = {code: (es, en) for code, (es, en, _values) in ATTRIBUTES.items()}
SKU_PARTS = {(code, v[0]): v[3] for code, (_es, _en, values) in ATTRIBUTES.items() for v in values}
VALUE_NAMES = {(code, v[0]): (v[1], v[2]) for code, (_es, _en, values) in ATTRIBUTES.items() for v in values}

HOUSE_BRAND = "Levante"
BRANDS = (HOUSE_BRAND, "Ergoval", "Sedalia", "Nordhem", "Ferroval", "Lumbra", "Acustia", "Brisamar", "Ordena")

# collection names: places and winds of the Valencian coast; one name may run through several families
SERIES = (
    "Turia", "Xúquer", "Serra", "Mistral", "Garbí", "Xaloc", "Tramuntana", "Llebeig", "Gregal", "Ponent",
    "Migjorn", "Calima", "Brisa", "Marina", "Alcora", "Bétera", "Dénia", "Xàbia", "Altea", "Calp",
    "Morella", "Peníscola", "Cullera", "Gandia", "Sagunt", "Requena", "Oliva", "Nules", "Onda", "Alzira",
    "Xàtiva", "Ontinyent", "Villena", "Benicàssim", "Vinaròs", "Godella", "Llíria", "Buñol", "Chiva",
    "Alboraia", "Pego", "Sueca", "Meliana", "Puçol", "Manises", "Paterna", "Torrent", "Carlet", "Alginet",
    "Algemesí", "Montgó", "Penyagolosa", "Espadà", "Calderona", "Aitana", "Mariola", "Benicadell",
    "Tabarca", "Albir", "Moraira", "Canet", "Corbera", "Favara", "Bocairent", "Cocentaina", "Biar",
)  # fmt: skip
