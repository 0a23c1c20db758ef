"""Print the replica figures: throughput on the standby and the primary, lag, fallback."""

from django.core.management.base import BaseCommand, CommandError

from defrel import replicas
from engagements.scale import replicabench


class Command(BaseCommand):
    help = (
        "Measure the read replica set-up (DATABASE_URL and DATABASE_REPLICA_URL must point at "
        "a primary and its streaming standby): researcher requests/s from the standby and "
        "from the primary, replay lag p50/p95 under a stream of edits, and, with --cluster "
        "DIR (a pair started by `python -m engagements.scale.pgcluster up --base DIR`), the "
        "time to fall back to the primary when the standby stops and to return to it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=10, help="Per throughput run.")
        parser.add_argument("--edits", type=int, default=200, help="Edits for the lag.")
        parser.add_argument("--cluster", metavar="DIR", help="Stop and restart its standby.")

    def handle(self, *args, seconds, edits, cluster=None, **options):
        if not replicas.replica_aliases():
            raise CommandError("DATABASE_REPLICA_URL is not set: there is no replica to measure.")
        if cluster:
            from engagements.scale.pgcluster import Cluster

            cluster = Cluster(cluster)
        replicabench.report(seconds, edits, cluster, write=self.stdout.write)
