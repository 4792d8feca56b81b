"""Celery tasks of exports (registered with the plugin's other tasks)."""

from celery import shared_task

from ..membership import dbaccess


@shared_task(name="saleor_segments.export_customers", acks_late=True,
             reject_on_worker_lost=True)
def export_customers_task(export_id: int) -> dict:
    """Write an export's file (a redelivered task finds it done and does nothing)."""
    from .export import run_export

    with dbaccess.writer():
        export = run_export(export_id)
    return {"export": export.pk, "status": export.status, "rows": export.rows_written}


@shared_task(name="saleor_segments.delete_expired_exports")
def delete_expired_exports_task() -> int:
    from .export import delete_expired

    with dbaccess.writer():
        return delete_expired()
