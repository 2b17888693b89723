"""The journal is append-only, enforced by the database as well as by the code.

PostgreSQL: entries and postings refuse UPDATE and DELETE (TRUNCATE, which the test suite's
flush uses, is not a row operation and still works), and a deferred constraint trigger
refuses, at commit, an entry whose postings do not sum to zero per currency.

SQLite (the embedded demo): entries and postings refuse UPDATE only. Django's flush on SQLite
(`seed-demo --reset`, transactional tests) empties tables with DELETE, so a DELETE trigger
would break it. A migration that rebuilds one of these tables on SQLite drops its triggers:
it must create them again (`ledger-verify` reports them missing).
"""

from django.db import migrations

POSTGRESQL_FORWARD = """
CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER ledger_journalentry_append_only
    BEFORE UPDATE OR DELETE ON ledger_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

CREATE TRIGGER ledger_posting_append_only
    BEFORE UPDATE OR DELETE ON ledger_posting
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

CREATE OR REPLACE FUNCTION ledger_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unbalanced text;
BEGIN
    SELECT string_agg(total || ' ' || currency, ', ' ORDER BY currency) INTO unbalanced
    FROM (
        SELECT currency, SUM(amount) AS total
        FROM ledger_posting
        WHERE entry_id = NEW.entry_id
        GROUP BY currency
        HAVING SUM(amount) <> 0
    ) AS sums;
    IF unbalanced IS NOT NULL THEN
        RAISE EXCEPTION 'ledger entry % does not balance: %', NEW.entry_id, unbalanced
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER ledger_posting_balanced
    AFTER INSERT ON ledger_posting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_balanced();
"""

POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS ledger_posting_balanced ON ledger_posting;
DROP TRIGGER IF EXISTS ledger_posting_append_only ON ledger_posting;
DROP TRIGGER IF EXISTS ledger_journalentry_append_only ON ledger_journalentry;
DROP FUNCTION IF EXISTS ledger_entry_balanced();
DROP FUNCTION IF EXISTS ledger_append_only();
"""

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table}
    BEGIN
        SELECT RAISE(ABORT, 'the ledger is append-only: UPDATE on {table} is refused');
    END
    """
    for table in ("ledger_journalentry", "ledger_posting")
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS ledger_journalentry_append_only",
    "DROP TRIGGER IF EXISTS ledger_posting_append_only",
]


def _run(schema_editor, *, postgresql, sqlite):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgresql, params=None)
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement, params=None)


def forward(apps, schema_editor):
    _run(schema_editor, postgresql=POSTGRESQL_FORWARD, sqlite=SQLITE_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, postgresql=POSTGRESQL_BACKWARD, sqlite=SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
