-- Insert new variants, update changed ones (by SKU); returns the products of the written rows.
INSERT INTO product_variants AS v (tenant_id, id, product_id, sku, gtin, status, position, min_qty,
                                   order_multiple, max_qty, cost)
SELECT :tenant, u.id, u.product_id, u.sku, u.gtin, 'active', u.position, u.min_qty, u.order_multiple,
       u.max_qty, u.cost
FROM unnest(CAST(:ids AS uuid[]), CAST(:products AS uuid[]), CAST(:skus AS text[]), CAST(:gtins AS text[]),
            CAST(:positions AS int[]), CAST(:min_qty AS numeric[]), CAST(:multiple AS numeric[]),
            CAST(:max_qty AS numeric[]), CAST(:cost AS numeric[]))
     AS u(id, product_id, sku, gtin, position, min_qty, order_multiple, max_qty, cost)
ON CONFLICT (tenant_id, sku) DO UPDATE SET
    product_id = EXCLUDED.product_id, gtin = EXCLUDED.gtin, min_qty = EXCLUDED.min_qty,
    order_multiple = EXCLUDED.order_multiple, max_qty = EXCLUDED.max_qty, cost = EXCLUDED.cost
WHERE (v.product_id, v.gtin, v.min_qty, v.order_multiple, v.max_qty, v.cost)
      IS DISTINCT FROM (EXCLUDED.product_id, EXCLUDED.gtin, EXCLUDED.min_qty, EXCLUDED.order_multiple,
                        EXCLUDED.max_qty, EXCLUDED.cost)
RETURNING v.product_id

