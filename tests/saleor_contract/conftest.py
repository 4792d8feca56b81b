"""The Saleor contract suite runs inside a Saleor environment with Saleor's test settings:

    cd <saleor checkout> && python -m pytest <saleor-segments>/tests/saleor_contract \
        -c <saleor-segments>/setup.cfg --rootdir <saleor-segments> --ds=saleor.tests.settings
"""

import django.test  # noqa: E402
import saleor.graphql.api  # noqa: F401  (loads Saleor's GraphQL modules in their own order)
from django.conf import settings  # noqa: E402
from saleor.tests.utils import prepare_test_db_connections  # noqa: E402

# As Saleor's own conftest does: the replica connection mirrors the default one in tests.
TEST_DATABASES = {settings.DATABASE_CONNECTION_DEFAULT_NAME,
                  settings.DATABASE_CONNECTION_REPLICA_NAME}
django.test.TransactionTestCase.databases = TEST_DATABASES
django.test.TestCase.databases = TEST_DATABASES
prepare_test_db_connections()
