"""Document number series: gapless per tenant and series."""
