-- Rebuild the search/listing documents of the given products from the source tables (one statement,
-- any number of products). Only active variants count; the first product-level image is the card's.
INSERT INTO product_search AS s (
    tenant_id, product_id, status, category_id, brand_id, brand_name, attr_values, catalog_ids, slug, name,
    sort_es, sort_en, image_key, default_variant_id, default_sku, variant_count, created_at,
    search_vector, search_text
)
SELECT
    p.tenant_id, p.id, p.status, p.category_id, p.brand_id, b.name,
    coalesce(av.ids, '{}'), coalesce(cat.ids, '{}'), p.slug, p.name,
    lower(public.f_unaccent(coalesce(nullif(p.name ->> 'es', ''), p.name ->> 'en', ''))),
    lower(public.f_unaccent(coalesce(nullif(p.name ->> 'en', ''), p.name ->> 'es', ''))),
    img.storage_key, v.first_id, v.first_sku, coalesce(v.n, 0), p.created_at,
    setweight(to_tsvector('spanish', public.f_unaccent(coalesce(p.name ->> 'es', ''))), 'A')
    || setweight(to_tsvector('english', public.f_unaccent(coalesce(p.name ->> 'en', ''))), 'A')
    || setweight(to_tsvector('simple', public.f_unaccent(concat_ws(' ', b.name, v.codes))), 'A')
    || setweight(to_tsvector('spanish', public.f_unaccent(concat_ws(' ', c.name ->> 'es', av.names_es))), 'B')
    || setweight(to_tsvector('english', public.f_unaccent(concat_ws(' ', c.name ->> 'en', av.names_en))), 'B')
    || setweight(to_tsvector('spanish', public.f_unaccent(coalesce(p.description ->> 'es', ''))), 'D')
    || setweight(to_tsvector('english', public.f_unaccent(coalesce(p.description ->> 'en', ''))), 'D'),
    lower(public.f_unaccent(concat_ws(' ', p.name ->> 'es', p.name ->> 'en', b.name, c.name ->> 'es', c.name ->> 'en',
                                      av.names_es, av.names_en)))
FROM products p
LEFT JOIN brands b ON b.tenant_id = p.tenant_id AND b.id = p.brand_id
LEFT JOIN categories c ON c.tenant_id = p.tenant_id AND c.id = p.category_id
LEFT JOIN LATERAL (
    SELECT count(*) AS n,
           (array_agg(pv.id ORDER BY pv.position, pv.sku))[1] AS first_id,
           (array_agg(pv.sku ORDER BY pv.position, pv.sku))[1] AS first_sku,
           string_agg(concat_ws(' ', pv.sku, pv.gtin), ' ') AS codes
    FROM product_variants pv
    WHERE pv.tenant_id = p.tenant_id AND pv.product_id = p.id AND pv.status = 'active'
) v ON true
LEFT JOIN LATERAL (
    SELECT array_agg(DISTINCT val.id) AS ids,
           string_agg(DISTINCT val.name ->> 'es', ' ') AS names_es,
           string_agg(DISTINCT val.name ->> 'en', ' ') AS names_en
    FROM product_variants pv
    JOIN variant_attribute_values vav ON vav.tenant_id = pv.tenant_id AND vav.variant_id = pv.id
    JOIN attribute_values val ON val.tenant_id = vav.tenant_id AND val.id = vav.value_id
    WHERE pv.tenant_id = p.tenant_id AND pv.product_id = p.id AND pv.status = 'active'
) av ON true
LEFT JOIN LATERAL (
    SELECT array_agg(DISTINCT x.catalog_id) AS ids
    FROM (
        SELECT cp.catalog_id FROM catalog_products cp WHERE cp.tenant_id = p.tenant_id AND cp.product_id = p.id
        UNION ALL
        SELECT cc.catalog_id FROM catalog_categories cc
        WHERE cc.tenant_id = p.tenant_id AND cc.category_id = ANY (c.path)
    ) x
) cat ON true
LEFT JOIN LATERAL (
    SELECT i.storage_key FROM product_images i
    WHERE i.tenant_id = p.tenant_id AND i.product_id = p.id
    ORDER BY i.variant_id IS NOT NULL, i.position, i.id
    LIMIT 1
) img ON true
WHERE p.id = ANY (:ids)
ON CONFLICT (tenant_id, product_id) DO UPDATE SET
    status = EXCLUDED.status, category_id = EXCLUDED.category_id, brand_id = EXCLUDED.brand_id,
    brand_name = EXCLUDED.brand_name, attr_values = EXCLUDED.attr_values, catalog_ids = EXCLUDED.catalog_ids,
    slug = EXCLUDED.slug, name = EXCLUDED.name, sort_es = EXCLUDED.sort_es, sort_en = EXCLUDED.sort_en,
    image_key = EXCLUDED.image_key, default_variant_id = EXCLUDED.default_variant_id,
    default_sku = EXCLUDED.default_sku, variant_count = EXCLUDED.variant_count, created_at = EXCLUDED.created_at,
    search_vector = EXCLUDED.search_vector, search_text = EXCLUDED.search_text;

-- The tenant's vocabulary: the words of names, brands, categories and attribute values (not codes).
-- Stale words are harmless: a correction to a word no product has any more simply finds nothing.
INSERT INTO catalog_terms (tenant_id, term)
SELECT DISTINCT s.tenant_id, w.term
FROM product_search s, regexp_split_to_table(s.search_text, '[^a-z]+') AS w(term)
WHERE s.product_id = ANY (:ids) AND length(w.term) BETWEEN 3 AND 60
ON CONFLICT DO NOTHING;

-- Category pages: an active product is listed under its category, each ancestor and ALL_PRODUCTS (uuid 0).
DELETE FROM product_listing WHERE product_id = ANY (:ids);

INSERT INTO product_listing (tenant_id, category_id, product_id, sort_es, sort_en, created_at, catalog_ids)
SELECT s.tenant_id, x.category_id, s.product_id, s.sort_es, s.sort_en, s.created_at, s.catalog_ids
FROM product_search s
LEFT JOIN LATERAL (
    SELECT c.path FROM categories c WHERE c.tenant_id = s.tenant_id AND c.id = s.category_id
) c ON true
CROSS JOIN LATERAL unnest(coalesce(c.path, '{}') || CAST('00000000-0000-0000-0000-000000000000' AS uuid)) AS x(category_id)
WHERE s.product_id = ANY (:ids) AND s.status = 'active';
