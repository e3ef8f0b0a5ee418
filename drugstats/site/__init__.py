"""The site beside the dashboard: fixed addresses, the API, and every page's charts as static figures."""
