# Entity members are reporter roles now (accounts.Membership): copied over by
# accounts.0002_entity_members_to_roles, which must run first.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0003_text_lengths'),
        ('accounts', '0002_entity_members_to_roles'),
    ]

    operations = [
        migrations.DeleteModel(
            name='EntityMember',
        ),
    ]
