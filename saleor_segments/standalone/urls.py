"""Standalone URLs: the GraphQL API at /graphql/ (``manage.py runserver``)."""

from django.urls import path

from ..graphql.views import graphql_view

urlpatterns = [path("graphql/", graphql_view(), name="segments-graphql")]
