"""The plugin's GraphQL API (graphene 2), laid out like Saleor's ``saleor/graphql/<domain>/``.

Saleor-independent: the host (``saleor_segments.host.graphql_route`` inside Saleor,
``views.SegmentsGraphQLView`` standalone) authenticates the request and passes a ``Requestor``."""
