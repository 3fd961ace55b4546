"""HTTP routes, one module per area; each route only translates between HTTP and a feature module."""
