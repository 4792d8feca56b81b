"""Scalars shared by the schema (Saleor names its JSON scalar ``JSONString``)."""

import graphene

JSONString = graphene.JSONString
