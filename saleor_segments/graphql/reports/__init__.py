"""Reports and exports (MANAGE_USERS): segment reports, size history, overlap, the action log
and exports of customers to CSV or XLSX."""
