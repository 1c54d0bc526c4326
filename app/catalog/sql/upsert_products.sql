-- Insert new products, update changed ones (by slug); returns the written rows and whether inserted.
INSERT INTO products AS p (tenant_id, id, slug, name, description, category_id, brand_id, tax_class, status,
                           stock_uom_id, weight_kg, length_cm, width_cm, height_cm, is_kit)
SELECT :tenant, u.id, u.slug, CAST(u.name AS jsonb), CAST(u.description AS jsonb), u.category_id, u.brand_id,
       u.tax_class, u.status, :uom, u.weight_kg, u.length_cm, u.width_cm, u.height_cm, false
FROM unnest(CAST(:ids AS uuid[]), CAST(:slugs AS text[]), CAST(:names AS text[]), CAST(:descriptions AS text[]),
            CAST(:categories AS uuid[]), CAST(:brands AS uuid[]), CAST(:tax AS text[]), CAST(:statuses AS text[]),
            CAST(:weights AS numeric[]), CAST(:lengths AS numeric[]), CAST(:widths AS numeric[]),
            CAST(:heights AS numeric[]))
     AS u(id, slug, name, description, category_id, brand_id, tax_class, status, weight_kg, length_cm, width_cm,
          height_cm)
ON CONFLICT (tenant_id, slug) DO UPDATE SET
    name = EXCLUDED.name, description = EXCLUDED.description, category_id = EXCLUDED.category_id,
    brand_id = EXCLUDED.brand_id, tax_class = EXCLUDED.tax_class, status = EXCLUDED.status,
    weight_kg = EXCLUDED.weight_kg, length_cm = EXCLUDED.length_cm, width_cm = EXCLUDED.width_cm,
    height_cm = EXCLUDED.height_cm, updated_at = now()
WHERE (p.name, p.description, p.category_id, p.brand_id, p.tax_class, p.status, p.weight_kg, p.length_cm,
       p.width_cm, p.height_cm)
      IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.description, EXCLUDED.category_id, EXCLUDED.brand_id,
       EXCLUDED.tax_class, EXCLUDED.status, EXCLUDED.weight_kg, EXCLUDED.length_cm, EXCLUDED.width_cm,
       EXCLUDED.height_cm)
RETURNING p.id, p.xmax = 0 AS inserted

