# Training done elsewhere has one table now (competences.ExternalTraining, filled by competences 0004).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('obligations', '0002_catalogue'),
        ('competences', '0004_copy_obligation_training_and_ecm_credits'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='obligationtraining',
            name='entered_by',
        ),
        migrations.RemoveField(
            model_name='obligationtraining',
            name='obligation',
        ),
        migrations.RemoveField(
            model_name='obligationtraining',
            name='person',
        ),
        migrations.DeleteModel(
            name='EcmCredit',
        ),
        migrations.DeleteModel(
            name='ObligationTraining',
        ),
    ]
