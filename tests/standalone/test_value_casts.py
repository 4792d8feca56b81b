"""The metadata casts (``saleor_segments_to_*`` SQL functions) equal their Python twin on any
text, never raise, and run inside parallel plans (a large store gets them; a function marked
PARALLEL SAFE that opens a subtransaction fails there)."""

import pytest
from django.db import connection
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from saleor_segments.conditions.customer import CustomerMetadata, metadata_value

from .conftest import forced_parallel_plans

pytestmark = pytest.mark.django_db

TYPE_OF = {function: type_name for type_name, function in CustomerMetadata.CASTS.items()}
EDGES = ["2024-02-29", "2023-02-29", "2000-02-29", "1900-02-29", "0000-01-01", "0001-01-01",
         "9999-12-31", "2024-13-01", "2024-00-10", "2024-04-31", "2024-04-30T10:00:00Z",
         "2024-1-01", " 2024-01-01", "12.5", " -3 ", "+.5", "1.", ".", "1e5", "", " ", "TRUE",
         " no ", "yes", "0", "١", "9" * 1000, "9" * 1001, "9" * 140_000, "0." + "1" * 17_000,
         None]


def sql_casts(values: list) -> dict[str, list]:
    """Each cast function applied to ``values`` in one statement run by parallel workers."""
    results = {}
    with forced_parallel_plans(), connection.cursor() as cursor:
        for function in TYPE_OF:
            sql = (f"SELECT {function}(v.t) FROM unnest(%s::text[]) WITH ORDINALITY "
                   f"AS v(t, n) ORDER BY v.n")
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", [values])
            assert "Gather" in str(cursor.fetchone()[0])
            cursor.execute(sql, [values])
            results[function] = [r[0] for r in cursor.fetchall()]
    return results


def test_every_function_of_ours_is_covered():
    with connection.cursor() as cursor:
        cursor.execute("SELECT proname FROM pg_proc WHERE proname LIKE 'saleor\\_segments\\_%%'")
        assert {r[0] for r in cursor.fetchall()} == set(TYPE_OF)


def test_edge_values_equal_the_python_twin():
    for function, found in sql_casts(EDGES).items():
        expected = [metadata_value(v, TYPE_OF[function]) for v in EDGES]
        assert [str(v) if v is not None else None for v in found] == \
            [str(v) if v is not None else None for v in expected], function
    assert sql_casts(["2024-02-29"])["saleor_segments_to_date"][0].isoformat() == "2024-02-29"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(
    st.text(max_size=14),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}.{0,3}\Z"),
    st.from_regex(r"\A *[-+]?[0-9]{0,6}(\.[0-9]{0,4})? *\Z"),
    st.sampled_from(["true", "False", " yes", "NO ", "1", "0"])), min_size=1, max_size=40))
@example(EDGES)
def test_random_text_equals_the_python_twin(values):
    values = [v and v.replace("\x00", "") for v in values]  # text cannot hold NUL
    for function, found in sql_casts(values).items():
        expected = [metadata_value(v, TYPE_OF[function]) for v in values]
        assert found == expected, function
