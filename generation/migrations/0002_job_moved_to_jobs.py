# The Job model now lives in `jobs` (see jobs.0001_initial); its table stays where it is.

import django.db.models.deletion
from django.db import migrations, models


def content_type_to_jobs(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    ContentType.objects.filter(app_label='generation', model='job').update(app_label='jobs')


def content_type_to_generation(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    ContentType.objects.filter(app_label='jobs', model='job').update(app_label='generation')


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('generation', '0001_initial'),
        ('jobs', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='personaladapter',
                    name='job',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='jobs.job'),
                ),
                migrations.AlterField(
                    model_name='result',
                    name='job',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='results', to='jobs.job'),
                ),
                migrations.DeleteModel(name='Job'),
            ],
        ),
        migrations.RunPython(content_type_to_jobs, content_type_to_generation),
    ]
