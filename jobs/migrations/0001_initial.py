# The Job model moves from `generation` to `jobs` without touching the database: the table keeps
# its name (`generation_job`, and `generation_job_photos` for the photos), so only Django's
# state changes here. `generation.0002_job_moved_to_jobs` removes the old state.

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('generation', '0001_initial'),
        ('styles', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Job',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('kind', models.CharField(choices=[('stylize', 'Stylize'), ('train_adapter', 'Train my adapter'), ('train_look', 'Train look'), ('export', 'Export my data')], max_length=16)),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('succeeded', 'Done'), ('failed', 'Failed'), ('cancelled', 'Cancelled')], default='queued', max_length=10)),
                        ('progress', models.PositiveSmallIntegerField(default=0)),
                        ('params', models.JSONField(blank=True, default=dict)),
                        ('output', models.FileField(blank=True, max_length=255, upload_to='')),
                        ('error', models.TextField(blank=True)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('heartbeat_at', models.DateTimeField(blank=True, null=True)),
                        ('enqueued_at', models.DateTimeField(blank=True, null=True)),
                        ('created', models.DateTimeField(auto_now_add=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('compute_seconds', models.FloatField(default=0.0)),
                        ('adapter', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='generation.personaladapter')),
                        ('look', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='jobs', to='styles.look')),
                        ('look_version', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='styles.lookversion')),
                        ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='jobs', to=settings.AUTH_USER_MODEL)),
                        ('photos', models.ManyToManyField(blank=True, related_name='jobs', to='generation.photo')),
                    ],
                    options={
                        'db_table': 'generation_job',
                        'ordering': ['-created'],
                        'indexes': [
                            models.Index(fields=['owner', '-created'], name='generation__owner_i_de3369_idx'),
                            models.Index(fields=['status', 'heartbeat_at'], name='generation__status_3f4e8b_idx'),
                            models.Index(fields=['owner', 'status', 'finished_at'], name='generation__owner_i_c06f26_idx'),
                        ],
                        'constraints': [
                            models.CheckConstraint(condition=models.Q(('progress__lte', 100)), name='job_progress_range'),
                        ],
                    },
                ),
            ],
        ),
    ]
