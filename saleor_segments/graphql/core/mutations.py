"""Mutation base: permission check, then ``perform``; InputError becomes ``errors``."""

import graphene
from django.db import transaction

from ..context import check_permissions
from .errors import InputError


class BaseMutation(graphene.Mutation):
    """Subclasses set ``permissions`` (any one suffices) and ``error_type``, and implement
    ``perform(info, **data)`` returning the payload. Nothing is saved when it raises."""

    permissions: tuple = ()
    error_type = None

    class Meta:
        abstract = True

    @classmethod
    def mutate(cls, root, info, **data):
        check_permissions(info, cls.permissions)
        from . import audit

        try:
            with transaction.atomic():
                recording = audit.start(cls.__name__, info, data)  # the action log
                payload = cls.perform(info, **data)
                audit.finish(recording, cls.__name__, data, payload)
                return payload
        except InputError as exc:
            return cls(errors=[cls.error_type(field=e["field"], code=e["code"],
                                              message=e["message"],
                                              **{k: e[k] for k in ("line", "column") if k in e})
                               for e in exc.errors])

    @classmethod
    def perform(cls, info, **data):
        raise NotImplementedError
