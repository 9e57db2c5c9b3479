# Its own migration (own transaction): PostgreSQL refuses to alter a table whose rows the
# previous migration's data step just updated (pending deferred-constraint events).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("learning", "0008_payments_for_everything_sold")]

    operations = [
        migrations.AlterField(
            model_name="payment",
            name="item_id",
            field=models.UUIDField(db_index=True, verbose_name="item id"),
        ),
    ]
