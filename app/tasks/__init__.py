"""Long-running background work (imports, planning runs, reports) with progress the user can watch."""
