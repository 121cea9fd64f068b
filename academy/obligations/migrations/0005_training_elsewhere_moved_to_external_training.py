# Training done elsewhere has one table now (competences.ExternalTraining, filled by competences 0004).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('obligations', '0006_rspp_refresher_from_module_b'),
        ('competences', '0004_copy_obligation_training_and_ecm_credits'),
    ]

    operations = [
        migrations.DeleteModel(name='EcmCredit'),
        migrations.DeleteModel(name='ObligationTraining'),
    ]
