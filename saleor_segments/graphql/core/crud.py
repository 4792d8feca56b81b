"""Create / update / delete mutations for one of the plugin's models, generated alike."""

import graphene

from ..context import Permission
from .errors import InputError, SegmentError
from .ids import decode
from .mutations import BaseMutation


def get_object(model, type_name: str, value, label: str, field: str = "id"):
    found = model.objects.filter(pk=decode(value, type_name, field)).first()
    if found is None:
        raise InputError.one(field, "not_found", f"The {label} does not exist.")
    return found


def crud_mutations(*, model, node, input_type, save, payload: str, label: str,
                   permission=Permission.MANAGE_USERS):
    """(Create, Update, Delete) mutation classes named after ``node``; ``save(obj, input)``
    validates (raising InputError) and saves."""
    name = node._meta.name
    base = type(f"{name}Mutation", (BaseMutation,), {
        "permissions": (permission,), "error_type": SegmentError,
        "errors": graphene.List(graphene.NonNull(SegmentError), required=True),
        payload: graphene.Field(node), "Meta": type("Meta", (), {"abstract": True}),
        "__module__": __name__})
    requires = f"Requires {permission.value}."

    def create(cls, info, input):
        return cls(**{payload: save(model(), input)}, errors=[])

    def update(cls, info, id, input):
        return cls(**{payload: save(get_object(model, name, id, label), input)}, errors=[])

    def delete(cls, info, id):
        obj = get_object(model, name, id, label)
        pk = obj.pk
        obj.delete()
        obj.pk = pk  # the payload still shows the ID
        return cls(**{payload: obj}, errors=[])

    def mutation(verb, arguments, perform, description):
        return type(f"{name}{verb}", (base,), {
            "Arguments": type("Arguments", (), arguments),
            "Meta": type("Meta", (), {"description": f"{description} {requires}"}),
            "perform": classmethod(perform), "__module__": __name__})

    identifier = {"id": graphene.ID(required=True)}
    return (mutation("Create", {"input": input_type(required=True)}, create,
                     f"Create a {label}."),
            mutation("Update", {**identifier, "input": input_type(required=True)}, update,
                     f"Change a {label}."),
            mutation("Delete", identifier, delete, f"Delete a {label}."))
