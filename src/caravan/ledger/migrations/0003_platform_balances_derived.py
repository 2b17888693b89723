"""The platform's own accounts stop caching their balance (ADR 0006, "No hot rows").

Every capture, refund and release used to lock and update the platform's provider clearing,
FX position and revenue rows until its commit, so those writers queued on them. Their
balances are now summed from the postings when read; the cache becomes NULL, and a CHECK
keeps it NULL for the platform and present for every seller-owned account. Going back
recomputes the caches from the postings.
"""

from django.db import migrations, models

FORGET = "UPDATE ledger_account SET balance_amount = NULL WHERE party = 'platform'"
RECOMPUTE = """
UPDATE ledger_account SET balance_amount = COALESCE(
    (SELECT SUM(amount) FROM ledger_posting WHERE account_id = ledger_account.id), 0
) WHERE party = 'platform'
"""


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0002_append_only'),
    ]

    operations = [
        migrations.AlterField(
            model_name='account',
            name='balance_amount',
            field=models.DecimalField(blank=True, decimal_places=2, default=0, max_digits=20, null=True),
        ),
        migrations.RunSQL(FORGET, RECOMPUTE),
        migrations.AddConstraint(
            model_name='account',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('balance_amount__isnull', True), ('party', 'platform')), models.Q(models.Q(('party', 'platform'), _negated=True), ('balance_amount__isnull', False)), _connector='OR'), name='ledger_account_cached_unless_platform'),
        ),
    ]
