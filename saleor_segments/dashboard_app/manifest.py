"""The Saleor App manifest of the segments Dashboard app.

The app lives inside the plugin, at ``<base>/plugins/global/saleor_segments/app``; every
extension url is relative to that ``appUrl``. The Dashboard joins them by plain string
concatenation (``${appUrl}${url}``), so ``appUrl`` has no trailing slash and each url starts with
``/``; the mount adds its own query parameters (customerId, discountId, voucherId).

Saleor itself rewrites a relative POPUP url before the Dashboard sees it, with
``urljoin(appUrl path, url[1:])``, which drops the last segment of an ``appUrl`` without a
trailing slash (saleor/graphql/app/resolvers.py ``resolve_app_extension_url``); so the popups'
urls are written absolute."""

from .. import __version__

APP_ID = "saleor.segments"  # the App's identifier in Saleor (App.identifier)
APP_NAME = "Customer segments"
PLUGIN_PATH = "/plugins/global/saleor_segments/"
APP_PATH = PLUGIN_PATH + "app"
MANAGE_USERS = "MANAGE_USERS"
MANAGE_DISCOUNTS = "MANAGE_DISCOUNTS"
PERMISSIONS = [MANAGE_USERS, MANAGE_DISCOUNTS]
REQUIRED_SALEOR_VERSION = ">=3.23"

# (identifier, label, mount, target, url, permissions, options)
EXTENSIONS = [
    ("segments", "Customer segments", "NAVIGATION_CUSTOMERS", "APP_PAGE", "/",
     [MANAGE_USERS], {}),
    ("customer-widget", "Customer segments", "CUSTOMER_DETAILS_WIDGETS", "WIDGET",
     "/customer-widget", [MANAGE_USERS], {"widgetTarget": {"method": "GET"}}),
    ("discount-segments", "Limit to segments", "DISCOUNT_DETAILS_MORE_ACTIONS", "POPUP",
     "/discount-segments", PERMISSIONS, {}),
    ("voucher-segments", "Limit to segments", "VOUCHER_DETAILS_MORE_ACTIONS", "POPUP",
     "/voucher-segments", PERMISSIONS, {}),
]
ABSOLUTE_TARGETS = {"POPUP"}  # Saleor joins their relative urls its own way (see above)


def app_url_for(base_url: str) -> str:
    """The app's URL for a Saleor served at ``base_url`` (scheme and host, optional prefix)."""
    return base_url.rstrip("/") + APP_PATH


def build_manifest(app_url: str) -> dict:
    """The manifest (Saleor's format, camelCase) of the app served at ``app_url``."""
    app_url = app_url.rstrip("/")
    return {
        "id": APP_ID,
        "name": APP_NAME,
        "version": __version__,
        "about": ("Rule-based, always-current groups of shoppers: define segments with a "
                  "visual condition builder, see their members and why a customer is (not) a "
                  "member, and limit promotions and vouchers to segments."),
        "appUrl": app_url,
        "permissions": list(PERMISSIONS),
        "requiredSaleorVersion": REQUIRED_SALEOR_VERSION,
        "author": "saleor-segments",
        "extensions": [
            {"identifier": identifier, "label": label, "mount": mount, "target": target,
             "url": app_url + url if target in ABSOLUTE_TARGETS else url,
             "permissions": list(permissions), "options": dict(options)}
            for identifier, label, mount, target, url, permissions, options in EXTENSIONS],
        "webhooks": [],
    }
