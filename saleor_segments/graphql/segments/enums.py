import graphene

from ...conditions import ApplyTo


class SegmentStatusEnum(graphene.Enum):
    ACTIVE = "active"
    INACTIVE = "inactive"


class SegmentApplyToEnum(graphene.Enum):
    CUSTOMERS = ApplyTo.CUSTOMERS.value
    VISITORS = ApplyTo.VISITORS.value
    VISITORS_AND_CUSTOMERS = ApplyTo.VISITORS_AND_CUSTOMERS.value


class SegmentRefreshStatusEnum(graphene.Enum):
    RUNNING = "running"
    COMMITTING = "committing"
    DONE = "done"
    FAILED = "failed"
    STALE = "stale"


class SegmentSortField(graphene.Enum):
    NAME = "name"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"

    @property
    def description(self):
        return f"Sort segments by {self.name.lower().replace('_', ' ')}."


class OrderDirection(graphene.Enum):
    ASC = "asc"
    DESC = "desc"
