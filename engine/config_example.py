"""The example config `floorwatch config example` prints: every setting, commented.

Each setting of `FloorwatchConfig` appears, set or commented out with its default, so the
file is a place to start that `load_config` accepts as it is (with FLOORWATCH_PASSWORD set);
a test checks both.
"""

from __future__ import annotations

EXAMPLE_CONFIG = """\
# Floorwatch live-mode settings: `floorwatch watch --config floor.yaml`.
# Every setting can also be a FLOORWATCH_* variable (FLOORWATCH_DRY_RUN=true,
# FLOORWATCH_RECONNECT__CAP=60), which overrides this file.

account: "12345678"            # the LivePerson account (site) id; quote an id that begins with 0
username: floor.supervisor     # a user allowed to see every agent's conversations
# password: ...                # better: set FLOORWATCH_PASSWORD instead of writing it here
csds_url: adminlogin.liveperson.net   # the domain lookup (CSDS) host or base URL
dry_run: true                  # decide and record, never act: start here

# Thresholds in seconds an assigned agent may leave a customer waiting, by the agent's
# state; `null` turns one off. A skill may override any of them.
policy: {online: 300, away: 120, offline: 60, skills: {billing: {away: 90}}}

# data_path: /srv/floorwatch/floor.db   # audit log, policy, overrides (default: floorwatch.db
#                                        # in your data directory, or $FLOORWATCH_DATA)
# presence: poll               # "poll" (agent-view/status over REST) or "push" (socket)
# poll_interval: 5             # seconds between presence polls
# keepalive_interval: 20       # seconds between keep-alive round trips
# request_timeout: 10          # seconds a request may stay unanswered
# refresh_interval: 600        # seconds between login refreshes
# tick_interval: 0.25          # seconds between engine ticks
# max_frame_bytes: 16777216    # larger frames are dropped and the floor read again
# spelling: raw                # request names as the SDK sends them, or "documented"
# ca_file: /etc/ssl/company-proxy.pem   # authorities to trust besides the system's
# reconnect: {base: 0.5, factor: 2, cap: 30}   # reconnect delays in seconds
# insecure_http: false         # http/ws instead of https/wss, loopback hosts only
# supervisor: Dana             # the name audit events carry (default: username)
# keymap: {thresholds: f2, unassign-now: x}    # keys by binding id (`?` lists them)

# Team mode: the dashboards of one floor share a PostgreSQL store and one engine acts.
# store: postgresql://floorwatch@db.internal/floorwatch   # password: FLOORWATCH_STORE
# floor: default               # the floor (or shard) this engine joins
# skills: [sales, billing]     # a shard: only these skills' conversations ("-1": no skill)
# lease_ttl: 30                # seconds the acting engine's lease lasts unless renewed
"""
