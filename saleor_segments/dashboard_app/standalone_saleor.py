"""Standalone mode only: a small read-only, Saleor-shaped GraphQL API over the standalone
Saleor tables, so the app's value pickers work without Saleor (demo, browser tests).

Inside Saleor the app searches Saleor's own API (``saleorApiUrl`` from AppBridge, same token);
standalone, the host page hands this endpoint's URL as ``saleorApiUrl``. It answers the subset
of Saleor's schema the app uses, with Saleor's names and Relay IDs: ``channels``, and
``products``, ``productVariants``, ``categories``, ``collections``, ``productTypes``,
``attributes`` (``first``, ``filter: {search, ids}``, ``ids`` for variants)."""

from __future__ import annotations

import base64

import graphene
from django.db import connection
from psycopg import sql

MAX_FIRST = 100


def global_id(type_name: str, pk) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def pks_of(type_name: str, ids) -> list[int]:
    pks = []
    for value in ids or []:
        try:
            kind, _, pk = base64.b64decode(value, validate=True).decode().partition(":")
        except ValueError:
            continue
        if kind == type_name and pk.isdigit():
            pks.append(int(pk))
    return pks


def fetch(table: str, columns: list[str], type_name: str, *, first=20, search=None, ids=None,
          search_columns=("name",), where: tuple[str, str] | None = None) -> list[dict]:
    """Rows of a standalone Saleor table, filtered like Saleor's ``filter: {search, ids}``."""
    conditions: list[sql.Composable] = [sql.SQL("TRUE")]
    params: list = []
    if search:
        conditions.append(sql.SQL("({})").format(sql.SQL(" OR ").join(
            sql.SQL("{} ILIKE %s").format(sql.Identifier(c)) for c in search_columns)))
        params += [f"%{search}%"] * len(search_columns)
    if ids is not None:
        conditions.append(sql.SQL("id = ANY(%s)"))
        params.append(pks_of(type_name, ids))
    if where:
        conditions.append(sql.SQL("{} = %s").format(sql.Identifier(where[0])))
        params.append(where[1])
    query = sql.SQL("SELECT {} FROM {} WHERE {} ORDER BY name, id LIMIT %s").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in columns), sql.Identifier(table),
        sql.SQL(" AND ").join(conditions))
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(cursor.connection), [*params, min(first or 20, MAX_FIRST)])
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


class Named(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String()
    slug = graphene.String()


class ProductRef(graphene.ObjectType):
    name = graphene.String()


class Variant(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String()
    sku = graphene.String()
    product = graphene.Field(ProductRef)


def connection_of(node_type, name):
    edge = type(f"{name}Edge", (graphene.ObjectType,), {"node": graphene.Field(node_type)})
    return type(f"{name}Connection", (graphene.ObjectType,), {
        "edges": graphene.List(graphene.NonNull(edge), required=True),
        "total_count": graphene.Int()})


class Filter(graphene.InputObjectType):
    search = graphene.String()
    ids = graphene.List(graphene.NonNull(graphene.ID))
    type = graphene.String()  # attributes: PRODUCT_TYPE | PAGE_TYPE


NAMED = {  # Saleor field -> (table, Saleor type name)
    "products": ("product_product", "Product"),
    "categories": ("product_category", "Category"),
    "collections": ("product_collection", "Collection"),
    "product_types": ("product_producttype", "ProductType"),
    "attributes": ("attribute_attribute", "Attribute"),
}
ATTRIBUTE_TYPES = {"PRODUCT_TYPE": "product-type", "PAGE_TYPE": "page-type"}


def _edges(rows, make):
    nodes = [make(r) for r in rows]
    return {"edges": [{"node": n} for n in nodes], "total_count": len(nodes)}


def _named_resolver(field):
    table, type_name = NAMED[field]

    def resolve(_root, _info, first=20, filter=None):
        f = filter or {}
        where = None
        if field == "attributes" and f.get("type"):
            where = ("type", ATTRIBUTE_TYPES.get(f["type"], f["type"]))
        rows = fetch(table, ["id", "name", "slug"], type_name, first=first, search=f.get("search"),
                     ids=f.get("ids"), search_columns=("name", "slug"), where=where)
        return _edges(rows, lambda r: Named(id=global_id(type_name, r["id"]), name=r["name"],
                                            slug=r["slug"]))
    return resolve


class Channel(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String()
    slug = graphene.String()


NamedConnection = connection_of(Named, "Named")
VariantConnection = connection_of(Variant, "Variant")


class Query(graphene.ObjectType):
    channels = graphene.List(graphene.NonNull(Channel))
    product_variants = graphene.Field(VariantConnection, first=graphene.Int(), filter=Filter(),
                                      ids=graphene.List(graphene.NonNull(graphene.ID)))
    locals().update({field: graphene.Field(NamedConnection, first=graphene.Int(),
                                           filter=Filter(), resolver=_named_resolver(field))
                     for field in NAMED})

    @staticmethod
    def resolve_channels(_root, _info):
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, name, slug FROM channel_channel ORDER BY name, id")
            return [Channel(id=global_id("Channel", pk), name=name, slug=slug)
                    for pk, name, slug in cursor.fetchall()]

    @staticmethod
    def resolve_product_variants(_root, _info, first=20, filter=None, ids=None):
        search = (filter or {}).get("search")
        conditions: list[sql.Composable] = [sql.SQL("TRUE")]
        params: list = []
        if search:
            conditions.append(sql.SQL("(v.name ILIKE %s OR v.sku ILIKE %s OR p.name ILIKE %s)"))
            params += [f"%{search}%"] * 3
        if ids is not None:
            conditions.append(sql.SQL("v.id = ANY(%s)"))
            params.append(pks_of("ProductVariant", ids))
        query = sql.SQL("SELECT v.id, v.name, v.sku, p.name FROM product_productvariant v "
                        "LEFT JOIN product_product p ON p.id = v.product_id WHERE {} "
                        "ORDER BY p.name, v.id LIMIT %s").format(sql.SQL(" AND ").join(conditions))
        with connection.cursor() as cursor:
            cursor.execute(query.as_string(cursor.connection), [*params, min(first or 20, MAX_FIRST)])
            rows = cursor.fetchall()
        return _edges(rows, lambda r: Variant(id=global_id("ProductVariant", r[0]), name=r[1],
                                              sku=r[2], product=ProductRef(name=r[3])))


schema = graphene.Schema(query=Query, auto_camelcase=True)


def standalone_saleor_view():
    """The view (same token check as the standalone segments API; read-only)."""
    import json

    from django.http import JsonResponse
    from django.views.decorators.csrf import csrf_exempt

    from ..graphql.views import requestor_from_token

    @csrf_exempt
    def view(request):
        if request.method != "POST":
            return JsonResponse({"errors": [{"message": "POST a GraphQL query."}]}, status=405)
        if requestor_from_token(request).kind == "anonymous":
            return JsonResponse({"errors": [{"message": "You do not have permission to "
                                             "perform this action"}]}, status=401)
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return JsonResponse({"errors": [{"message": "Unable to parse query."}]}, status=400)
        result = schema.execute(body.get("query") or "", variables=body.get("variables") or {})
        response = {"data": result.data}
        if result.errors:
            response["errors"] = [{"message": str(e)} for e in result.errors]
        return JsonResponse(response)

    return view
