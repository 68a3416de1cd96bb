-- 0010_assess.sql — module 7: supervision tickets (督查) and the annual county assessment
-- (考核). Builds on 0009_plans.sql (plans, tasks, targets, indicators, observations).
-- Times are Unix seconds; dates YYYY-MM-DD text. docs/api-assess.md explains every rule.

-- A supervision ticket: opened automatically for the unit responsible for an off-track
-- or overdue target, or an overdue task (store/sup.c, the sweep). At most one ticket per
-- subject is not closed (sup_tickets_subject_open). region_code is the responsible
-- unit's region: the county for a county target, the issuing city for a city target or
-- a task; it decides who answers and who sees the ticket.
CREATE TABLE sup_tickets (
    id           INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('target', 'task')),
    subject_id   INTEGER NOT NULL,                      -- targets.id or plan_tasks.id
    plan_id      INTEGER NOT NULL REFERENCES plans(id),
    region_code  TEXT NOT NULL REFERENCES regions(code),
    unit_name    TEXT NOT NULL,                         -- 责任单位 as the plan names it
    reason       TEXT NOT NULL
                 CHECK (reason IN ('off_track', 'overdue_target', 'overdue_task', 'manual')),
    period       INTEGER NOT NULL,                      -- the year it opened (the sweep opens a
                                                        -- subject at most once a year per reason)
    title        TEXT NOT NULL,
    detail       TEXT NOT NULL,                         -- why it opened, with the numbers
    status       TEXT NOT NULL DEFAULT 'open'
                 CHECK (status IN ('open', 'answered', 'escalated', 'closed')),
    level        INTEGER NOT NULL DEFAULT 1 CHECK (level BETWEEN 1 AND 3), -- 1 督办 2 挂牌督办 3 约谈
    deadline     TEXT NOT NULL,                         -- the unit's answer is due on this day
    opened_at    INTEGER NOT NULL,
    opened_by    INTEGER,                               -- users.id; NULL when the sweep opened it
    updated_at   INTEGER NOT NULL,
    closed_at    INTEGER
);
CREATE UNIQUE INDEX sup_tickets_subject_open ON sup_tickets(subject_kind, subject_id)
    WHERE status <> 'closed';
CREATE INDEX sup_tickets_region ON sup_tickets(region_code, status);
CREATE INDEX sup_tickets_subject ON sup_tickets(subject_kind, subject_id, reason, period);

-- The full history of a ticket: opening, answers (measure + evidence), closing,
-- escalation and reminders, in order. Never updated or deleted.
CREATE TABLE sup_ticket_events (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL REFERENCES sup_tickets(id),
    at           INTEGER NOT NULL,
    user_id      INTEGER,                               -- NULL for the sweep
    username     TEXT NOT NULL,                         -- "system" for the sweep
    action       TEXT NOT NULL CHECK (action IN ('open', 'answer', 'close', 'escalate', 'remind')),
    status_after TEXT NOT NULL,
    level        INTEGER NOT NULL,
    deadline     TEXT,                                  -- the deadline after the event
    measure      TEXT,                                  -- answer: the measure taken (整改措施)
    evidence     TEXT,                                  -- answer: the evidence, in words
    files_json   TEXT NOT NULL DEFAULT '[]',            -- answer: evidence files [{id,name,…}]
    note         TEXT                                   -- close / escalate: the city's reason
);
CREATE INDEX sup_ticket_events_ticket ON sup_ticket_events(ticket_id, id);

-- Reminders: one when the answer deadline is near (due_soon) and one when it has passed
-- (overdue), per escalation level. Shown on the home page and the ticket.
CREATE TABLE sup_reminders (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES sup_tickets(id),
    region_code TEXT NOT NULL,                          -- the ticket's region (scope)
    kind        TEXT NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
    level       INTEGER NOT NULL,
    deadline    TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (ticket_id, kind, level)
);
CREATE INDEX sup_reminders_region ON sup_reminders(region_code, created_at);

-- Evidence files attached to answers, stored as DATA_DIR/files/<stored_name>.
CREATE TABLE sup_files (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES sup_tickets(id),
    event_id    INTEGER REFERENCES sup_ticket_events(id), -- NULL until an answer uses it
    name        TEXT NOT NULL,
    mime        TEXT NOT NULL,
    size_bytes  INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    stored_name TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    created_by  INTEGER
);
CREATE INDEX sup_files_ticket ON sup_files(ticket_id);

-- The sweep's state: dirty is set by the triggers below when an observation or a target
-- changes, so the server's sweeper runs within a minute of the change; last_at is the
-- time of the last sweep (a full sweep runs at least hourly).
CREATE TABLE sup_sweep_state (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    dirty   INTEGER NOT NULL DEFAULT 1,
    last_at INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sup_sweep_state(id, dirty, last_at) VALUES (1, 1, 0);

CREATE TRIGGER sup_dirty_obs_i AFTER INSERT ON observations BEGIN
    UPDATE sup_sweep_state SET dirty = 1 WHERE id = 1; END;
CREATE TRIGGER sup_dirty_obs_u AFTER UPDATE ON observations BEGIN
    UPDATE sup_sweep_state SET dirty = 1 WHERE id = 1; END;
CREATE TRIGGER sup_dirty_targets_i AFTER INSERT ON targets BEGIN
    UPDATE sup_sweep_state SET dirty = 1 WHERE id = 1; END;
CREATE TRIGGER sup_dirty_targets_u AFTER UPDATE ON targets BEGIN
    UPDATE sup_sweep_state SET dirty = 1 WHERE id = 1; END;
CREATE TRIGGER sup_dirty_tasks_u AFTER UPDATE ON plan_tasks BEGIN
    UPDATE sup_sweep_state SET dirty = 1 WHERE id = 1; END;

-- An assessment scheme of a city (考核方案). Every edit makes a new version; runs keep
-- the version they used, so a scheme's history is never rewritten.
CREATE TABLE assess_schemes (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions(code), -- the city whose counties it assesses
    name        TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,             -- the current version
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (region_code, name)
);

CREATE TABLE assess_scheme_versions (
    id         INTEGER PRIMARY KEY,
    scheme_id  INTEGER NOT NULL REFERENCES assess_schemes(id),
    version    INTEGER NOT NULL,
    name       TEXT NOT NULL,
    note       TEXT,                                    -- what changed
    created_at INTEGER NOT NULL,
    created_by INTEGER,                                 -- users.id, NULL for the demo
    UNIQUE (scheme_id, version)
);

-- The indicators of a scheme version: weight in hundredths of a point (the weights of a
-- version sum to 10000 = 100 points) and the scoring rule with its parameter.
CREATE TABLE assess_scheme_items (
    version_id     INTEGER NOT NULL REFERENCES assess_scheme_versions(id),
    seq            INTEGER NOT NULL,                    -- 1, 2, … in the scheme's order
    indicator_code TEXT NOT NULL,                       -- indicators.code
    weight_centi   INTEGER NOT NULL CHECK (weight_centi BETWEEN 1 AND 10000),
    rule           TEXT NOT NULL CHECK (rule IN ('ratio', 'linear', 'rank')),
    cap_pct        INTEGER NOT NULL DEFAULT 120,        -- ratio: highest achievement counted
    floor_pct      INTEGER NOT NULL DEFAULT 60,         -- linear: achievement scoring nothing
    min_pct        INTEGER NOT NULL DEFAULT 0,          -- rank: the last county's share
    PRIMARY KEY (version_id, seq),
    UNIQUE (version_id, indicator_code)
);

-- The values of record for a city's assessment of a year at a cut-off day: taken once,
-- by the first run that needs them, and reused by every later run with the same year
-- and cut-off (a re-run), so later records and observations never change its inputs.
CREATE TABLE assess_frozen_values (
    region_code    TEXT NOT NULL,                       -- the city
    year           INTEGER NOT NULL,
    cutoff         TEXT NOT NULL,
    indicator_code TEXT NOT NULL,
    county_code    TEXT NOT NULL,
    value          REAL,                                -- NULL: no value at the cut-off
    source         TEXT NOT NULL,                       -- observation / computed / none
    observation_id INTEGER,                             -- the verified revision used
    target         REAL,                                -- the county's target for the year
    target_id      INTEGER,                             -- targets.id it comes from
    target_note    TEXT,                                -- how the target was read
    frozen_at      INTEGER NOT NULL,
    PRIMARY KEY (region_code, year, cutoff, indicator_code, county_code)
) WITHOUT ROWID;

-- A run of a scheme version for a year and cut-off. digest: SM3 of the frozen values
-- and scores in a canonical text; equal digests mean identical results.
CREATE TABLE assess_runs (
    id          INTEGER PRIMARY KEY,
    scheme_id   INTEGER NOT NULL REFERENCES assess_schemes(id),
    version_id  INTEGER NOT NULL REFERENCES assess_scheme_versions(id),
    version     INTEGER NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code), -- the city
    year        INTEGER NOT NULL,
    cutoff      TEXT NOT NULL,                          -- values known on or before this day
    rerun_of    INTEGER REFERENCES assess_runs(id),
    n_counties  INTEGER NOT NULL,
    digest      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    created_by  INTEGER                                 -- users.id, NULL for the demo
);
CREATE INDEX assess_runs_region ON assess_runs(region_code, year);

-- The scheme items as the run used them, with the indicator's name, unit and direction
-- at that time (the report never changes when an indicator is renamed later).
CREATE TABLE assess_run_items (
    run_id         INTEGER NOT NULL REFERENCES assess_runs(id),
    seq            INTEGER NOT NULL,
    indicator_code TEXT NOT NULL,
    name           TEXT NOT NULL,
    unit           TEXT NOT NULL,
    direction      TEXT NOT NULL,
    weight_centi   INTEGER NOT NULL,
    rule           TEXT NOT NULL,
    cap_pct        INTEGER NOT NULL,
    floor_pct      INTEGER NOT NULL,
    min_pct        INTEGER NOT NULL,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

-- Per county and item: the frozen value and target and the score (hundredths).
CREATE TABLE assess_run_scores (
    run_id       INTEGER NOT NULL REFERENCES assess_runs(id),
    county_code  TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    value        REAL,
    target       REAL,
    achievement  REAL,                                  -- ratio and linear: value vs target
    item_rank    INTEGER,                               -- rank: the county's place (0 = none)
    score_centi  INTEGER NOT NULL,
    note         TEXT,                                  -- no_value / no_target
    PRIMARY KEY (run_id, county_code, seq)
) WITHOUT ROWID;

-- Per county: its name at the time, total (hundredths) and rank.
CREATE TABLE assess_run_counties (
    run_id      INTEGER NOT NULL REFERENCES assess_runs(id),
    county_code TEXT NOT NULL,
    county_name TEXT NOT NULL,
    total_centi INTEGER NOT NULL,
    rank        INTEGER NOT NULL,
    PRIMARY KEY (run_id, county_code)
) WITHOUT ROWID;
