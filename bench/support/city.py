"""A zone at a city's scale for `bench/load.py`: enterprises, officers, cases, events, notifications.

Rows are generated set-based in SQL (`INSERT … SELECT … FROM generate_series`), never through the
ORM one by one. The cases themselves (requests, tickets, ratings, whistles) come from the builder of
`bench/dashboard.py` (`generate`), so there is one definition of a generated case; this module adds
what a city has around them: 100,000 enterprises with pinyin names over the six parks, their chief
service officers, claimed requests and owned tickets, ten events per pair of cases and an inbox for
every demo user. A marker table (`bench_city`) records the sizes, so a later run reuses the rows.
"""

import io
import json
import time

from django.core.management import call_command
from django.db import connection

# Syllables of generated enterprise names: (characters, full pinyin, initials).
WORDS = [
    ("中金", "zhongjin", "zj"), ("华创", "huachuang", "hc"), ("东方", "dongfang", "df"),
    ("新材", "xincai", "xc"), ("光电", "guangdian", "gd"), ("智能", "zhineng", "zn"),
    ("生物", "shengwu", "sw"), ("医药", "yiyao", "yy"), ("信息", "xinxi", "xx"),
    ("电子", "dianzi", "dz"), ("能源", "nengyuan", "ny"), ("精密", "jingmi", "jm"),
    ("数据", "shuju", "sj"), ("云端", "yunduan", "yd"), ("汇通", "huitong", "ht"),
    ("联创", "lianchuang", "lc"), ("高科", "gaoke", "gk"), ("天宇", "tianyu", "ty"),
    ("瑞丰", "ruifeng", "rf"), ("博远", "boyuan", "by"),
]  # fmt: skip
TRADES = [
    ("科技", "keji", "kj"), ("材料", "cailiao", "cl"), ("制造", "zhizao", "zz"),
    ("软件", "ruanjian", "rj"), ("装备", "zhuangbei", "zb"),
]  # fmt: skip

ENTERPRISES_SQL = """
WITH w AS (SELECT %(names)s::text[] AS n, %(pinyin)s::text[] AS p, %(initials)s::text[] AS i),
     t AS (SELECT %(trade_names)s::text[] AS n, %(trade_pinyin)s::text[] AS p, %(trade_initials)s::text[] AS i),
     parks AS (SELECT array_agg(id ORDER BY id) AS ids FROM org_park),
     rows AS (SELECT g, g %% 20 + 1 AS a, (g / 20) %% 20 + 1 AS b, (g / 400) %% 5 + 1 AS c FROM generate_series(1, %(total)s) g)
INSERT INTO enterprises_enterprise (
    name, uscc, park_id, address, contact_email, contact_name, contact_phone, created_at,
    high_tech_certificate, industry, is_above_scale, is_high_tech_reserve, legal_representative,
    name_initials, name_pinyin, patents, status, updated_at, tech_sme_year, high_tech_expires_on,
    registered_capital, founded_on)
SELECT w.n[a] || w.n[b] || t.n[c] || '有限公司' || g, 'BENCH' || lpad(g::text, 13, '0'),
       parks.ids[g %% cardinality(parks.ids) + 1], '高新区' || g || '号', '', '', '', %(now)s - g * interval '1 minute',
       CASE WHEN g %% 7 = 0 THEN 'GR' || g ELSE '' END, '制造业', g %% 5 = 0, g %% 11 = 0, '',
       w.i[a] || w.i[b] || t.i[c] || 'yxgs' || g, w.p[a] || w.p[b] || t.p[c] || 'youxiangongsi' || g,
       g %% 13, CASE WHEN g %% 50 = 0 THEN 'closed' ELSE 'active' END, %(now)s,
       CASE WHEN g %% 9 = 0 THEN 2025 END, CASE WHEN g %% 7 = 0 THEN (%(now)s + (g %% 900) * interval '1 day')::date END,
       (g %% 1000) * 10, DATE '2000-01-01' + g %% 9000
FROM rows, w, t, parks
"""

# Every generated enterprise has one current officer; the demo's CSOs share them round-robin.
CSO_SQL = """
WITH officers AS (
    SELECT array_agg(u.id ORDER BY u.username) AS ids FROM accounts_user u
    WHERE u.username ~ '^cso[0-9]+$'
)
INSERT INTO enterprises_csoassignment (started_at, reason, officer_id, enterprise_id)
SELECT %(now)s - interval '400 days', '', officers.ids[e.id %% cardinality(officers.ids) + 1], e.id
FROM enterprises_enterprise e, officers WHERE e.uscc LIKE 'BENCH%%'
"""

# Open requests are claimed by a clerk (three in four), tickets by their park's directors.
CLAIM_SQL = """
WITH clerks AS (SELECT array_agg(id ORDER BY username) AS ids FROM accounts_user WHERE username ~ '^clerk[0-9]+$')
UPDATE services_servicerequest r
SET assignee_id = clerks.ids[r.id %% cardinality(clerks.ids) + 1], claimed_at = r.submitted_at + interval '30 minutes'
FROM clerks WHERE r.number LIKE 'BENCH%%' AND r.status IN ('accepted', 'submitted') AND r.id %% 4 <> 0
"""
HANDLED_SQL = """
WITH clerks AS (SELECT array_agg(id ORDER BY username) AS ids FROM accounts_user WHERE username ~ '^clerk[0-9]+$')
UPDATE services_servicerequest r SET handled_by_id = clerks.ids[r.id %% cardinality(clerks.ids) + 1]
FROM clerks WHERE r.number LIKE 'BENCH%%' AND r.status IN ('completed', 'rejected')
"""

# Ten events per pair of cases: five along each case's life, at the moments its columns say.
EVENTS_SQL = """
INSERT INTO events_event (content_type_id, object_id, kind, from_state, to_state, actor_id, reason, at, data)
SELECT %(ct)s, c.id, k.kind, k.from_state, k.to_state, %(actor)s, '', c.{at} + k.step * interval '3 hours', '{{}}'
FROM {table} c
CROSS JOIN (VALUES (0, 'submitted', '', 'submitted'), (1, 'claimed', 'submitted', 'submitted'),
                   (2, 'accepted', 'submitted', 'accepted'), (3, 'note', 'accepted', 'accepted'),
                   (4, 'closed', 'accepted', 'completed')) AS k(step, kind, from_state, to_state)
WHERE c.number LIKE 'BENCH%%' AND c.id %% %(every)s = 0
"""

# An inbox per demo user: a person's notifications over the two years, a tenth unread.
NOTIFICATIONS_SQL = """
WITH people AS (SELECT array_agg(id ORDER BY id) AS ids FROM accounts_user WHERE username !~ '@')
INSERT INTO notifications_notification (kind, title, body, url, created_at, recipient_id, read_at, emailed_at, dedupe_key)
SELECT 'bench', '基准测试通知 ' || g, '', '/', %(now)s - g * interval '1 minute',
       people.ids[g %% cardinality(people.ids) + 1],
       CASE WHEN g %% 10 <> 0 THEN %(now)s END, %(now)s, NULL
FROM generate_series(1, %(total)s) g, people
"""


def city_sizes(cursor) -> dict | None:
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_city (id int PRIMARY KEY, sizes jsonb NOT NULL)")
    cursor.execute("SELECT sizes FROM bench_city WHERE id = 1")
    row = cursor.fetchone()
    if not row:
        return None
    return json.loads(row[0]) if isinstance(row[0], str) else row[0]  # Django reads jsonb as text


def city_build(sizes: dict, *, password: str, generate, log=print) -> bool:
    """Build the city at `sizes` unless the database already holds it; True when it was built.

    `generate` is `bench/dashboard.py`'s builder of requests, tickets, ratings and whistles."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from feedback.models import Ticket
    from services.models import ServiceRequest

    with connection.cursor() as cursor:
        if city_sizes(cursor) == sizes:
            log(f"reusing the city in this database: {json.dumps(sizes)}")
            return False
        cursor.execute("DELETE FROM bench_city")
    started = time.perf_counter()
    call_command("seed_demo", password=password, stdout=io.StringIO())
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM events_event WHERE kind IN ('submitted', 'claimed', 'accepted', 'note', 'closed') "
            "AND reason = '' AND data = '{}' AND dedupe_key IS NULL AND object_id IN "
            "(SELECT id FROM services_servicerequest WHERE number LIKE 'BENCH%%' UNION ALL "
            "SELECT id FROM feedback_ticket WHERE number LIKE 'BENCH%%')"
        )
        cursor.execute("DELETE FROM notifications_notification WHERE kind = 'bench'")
        # The enterprises go first: the cases are spread over them.
        cursor.execute(
            "DELETE FROM enterprises_csoassignment WHERE enterprise_id IN "
            "(SELECT id FROM enterprises_enterprise WHERE uscc LIKE 'BENCH%%')"
        )
    generate(tickets=0, requests=0, open_days=60, seed=False, vacuum=False)  # drops the generated cases
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM enterprises_enterprise WHERE uscc LIKE 'BENCH%%'")
        step = time.perf_counter()
        cursor.execute(
            ENTERPRISES_SQL,
            {
                "now": now,
                "total": sizes["enterprises"],
                "names": [w[0] for w in WORDS],
                "pinyin": [w[1] for w in WORDS],
                "initials": [w[2] for w in WORDS],
                "trade_names": [w[0] for w in TRADES],
                "trade_pinyin": [w[1] for w in TRADES],
                "trade_initials": [w[2] for w in TRADES],
            },
        )
        cursor.execute(CSO_SQL, {"now": now})
        log(f"  enterprises and officers: {time.perf_counter() - step:.0f} s")
    step = time.perf_counter()
    generate(tickets=sizes["tickets"], requests=sizes["requests"], open_days=60, seed=False, vacuum=False)
    log(f"  cases: {time.perf_counter() - step:.0f} s")
    step = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(CLAIM_SQL, {})
        cursor.execute(HANDLED_SQL, {})
        cursor.execute(
            "UPDATE feedback_ticket t SET owner_id = d.user_id FROM ("
            " SELECT p.park_id, min(p.user_id) AS user_id FROM accounts_user_parks p"
            " JOIN accounts_user u ON u.id = p.user_id WHERE u.username LIKE 'park%%' GROUP BY p.park_id) d "
            "WHERE t.number LIKE 'BENCH%%' AND t.status = 'open' AND t.park_id = d.park_id"
        )
        log(f"  claims and owners: {time.perf_counter() - step:.0f} s")
        step = time.perf_counter()
        actor = _user_id(cursor, "clerk1")
        cases = sizes["requests"] + sizes["tickets"]
        # Five events per case; a smaller event log takes every n-th case.
        every = max(1, round(cases * 5 / max(sizes["events"], 1)))
        for model, at in ((ServiceRequest, "submitted_at"), (Ticket, "created_at")):
            cursor.execute(
                EVENTS_SQL.format(table=model._meta.db_table, at=at),
                {"ct": ContentType.objects.get_for_model(model).pk, "actor": actor, "every": every},
            )
        log(f"  events: {time.perf_counter() - step:.0f} s")
        cursor.execute(NOTIFICATIONS_SQL, {"now": now, "total": sizes["notifications"]})
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("INSERT INTO bench_city (id, sizes) VALUES (1, %s)", [json.dumps(sizes)])
        for table in (
            "enterprises_enterprise",
            "services_servicerequest",
            "feedback_ticket",
            "ratings_rating",
            "events_event",
            "notifications_notification",
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            log(f"  {table}: {cursor.fetchone()[0]:,} rows")
    log(f"city built in {time.perf_counter() - started:.0f} s")
    return True


def _user_id(cursor, username: str) -> int:
    cursor.execute("SELECT id FROM accounts_user WHERE username = %s", [username])
    return cursor.fetchone()[0]
