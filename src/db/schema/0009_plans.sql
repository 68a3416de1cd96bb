-- 0009_plans.sql — module 7: plans, tasks, responsible units, indicators, targets,
-- observations (reported values with revisions and evidence) and the cache of computed
-- indicator values. Times are Unix seconds; dates YYYY-MM-DD text; values REAL in the
-- indicator's unit (亿元, 家, %, …). Region codes are GB/T 2260; a record's region decides
-- who sees it (store/plan.c applies the scope on every query). docs/api-plans.md explains
-- every rule; data/plans/README.md the shape of the seed plans loaded by the demo.

-- The dictionary of responsible units (责任单位) of a region: departments (市科技局,
-- 市经信局, 市发展改革委, 市市场监管局 …), governments (县(市、区)政府), zones
-- (丽水开发区管委会). A collective unit stands for every county-level government below
-- the region: a per-county target of a task it is named on belongs to that county.
CREATE TABLE plan_units (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions(code), -- the region whose unit it is
    code        TEXT NOT NULL,                          -- ASCII key, unique in the region
    name        TEXT NOT NULL,                          -- the documents' name for it
    kind        TEXT NOT NULL DEFAULT 'department'
                CHECK (kind IN ('department', 'government', 'zone', 'committee', 'judicial',
                                'association', 'agency')),
    collective  INTEGER NOT NULL DEFAULT 0 CHECK (collective IN (0, 1)),
    note        TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (region_code, code)
);

-- A plan (规划 / 行动方案 / 推进方案). is_public: its progress is shown to anonymous
-- visitors (GET /api/v1/public/plans/{id}).
CREATE TABLE plans (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,                  -- ASCII, e.g. JX-2023-315
    title        TEXT NOT NULL,
    region_code  TEXT NOT NULL REFERENCES regions(code), -- the issuing region
    issuer       TEXT,                                  -- issuing body, NULL when not named
    co_issuers   TEXT NOT NULL DEFAULT '[]',            -- JSON array of joint issuers
    doc_no       TEXT,                                  -- 文号
    doc_kind     TEXT NOT NULL DEFAULT 'official_document'
                 CHECK (doc_kind IN ('official_document', 'draft_for_comment', 'signed_article',
                                     'news_report')),
    issued_on    TEXT,
    period_start TEXT,                                  -- NULL when the text states none
    period_end   TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('draft', 'active', 'closed')),
    is_public    INTEGER NOT NULL DEFAULT 0 CHECK (is_public IN (0, 1)),
    source       TEXT,                                  -- where the text comes from (seed file)
    source_text  TEXT NOT NULL DEFAULT '',              -- verbatim excerpt (heading)
    note         TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    created_by   INTEGER,                               -- users.id, NULL for the demo
    updated_by   INTEGER
);
CREATE INDEX plans_region ON plans(region_code);

-- Tasks (重点任务), goal sections (kind goal) and safeguards, with the document's wording.
CREATE TABLE plan_tasks (
    id           INTEGER PRIMARY KEY,
    plan_id      INTEGER NOT NULL REFERENCES plans(id),
    code         TEXT NOT NULL,                         -- T1, T2.3, G, S1; unique in the plan
    kind         TEXT NOT NULL DEFAULT 'task' CHECK (kind IN ('goal', 'task', 'safeguard')),
    parent_id    INTEGER REFERENCES plan_tasks(id),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',              -- the document's wording
    lead_unit_id INTEGER REFERENCES plan_units(id),     -- NULL: the issuer answers for it
    deadline     TEXT,                                  -- YYYY-MM-DD or NULL
    note         TEXT,
    sort         INTEGER NOT NULL DEFAULT 0,            -- document order
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (plan_id, code)
);
CREATE INDEX plan_tasks_deadline ON plan_tasks(deadline);

-- Responsible units of a task in the document's order (lead first).
CREATE TABLE plan_task_units (
    task_id INTEGER NOT NULL REFERENCES plan_tasks(id),
    unit_id INTEGER NOT NULL REFERENCES plan_units(id),
    seq     INTEGER NOT NULL,
    PRIMARY KEY (task_id, unit_id)
);
CREATE INDEX plan_task_units_unit ON plan_task_units(unit_id);

-- Indicators. The same code means the same thing everywhere. method computed: the
-- value comes from platform records by a registered formula (domain/plan_formula.c,
-- docs/api-plans.md) with params; when the formula's records are not on the platform
-- yet (formula_ready = 0 in the API) values are reported like a reported indicator.
-- method reported: counties submit, the city verifies (observations).
CREATE TABLE indicators (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    unit        TEXT NOT NULL,                          -- 家, 亿元, 万元, %, 项, 件/万人 …
    direction   TEXT NOT NULL DEFAULT 'higher' CHECK (direction IN ('higher', 'lower')),
    measure     TEXT NOT NULL DEFAULT 'stock' CHECK (measure IN ('stock', 'flow', 'rate')),
    scope       TEXT NOT NULL DEFAULT 'region' CHECK (scope IN ('region', 'chain')),
    method      TEXT NOT NULL CHECK (method IN ('computed', 'reported')),
    formula     TEXT,                                   -- computed: formula id
    params_json TEXT NOT NULL DEFAULT '{}',             -- computed: formula parameters
    reporter    TEXT,                                   -- reported: who reports it
    definition  TEXT NOT NULL DEFAULT '',
    note        TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    CHECK ((method = 'computed') = (formula IS NOT NULL))
);

-- Targets. Value targets compare the indicator (level, the year's flow, or the flow
-- summed from cumulative_from) with target_value; growth targets compare its growth
-- from growth_base_year; relative targets compare it with another indicator in the same
-- region and year. A county target split from a city target names it in parent_id; the
-- parent's split_rule says how the children must add up (sum of targets, or weighted by
-- split_weight) and the API reports the check.
CREATE TABLE targets (
    id                  INTEGER PRIMARY KEY,
    plan_id             INTEGER NOT NULL REFERENCES plans(id),
    task_id             INTEGER NOT NULL REFERENCES plan_tasks(id),
    indicator_id        INTEGER NOT NULL REFERENCES indicators(id),
    code                TEXT NOT NULL,                  -- unique in the plan
    region_code         TEXT NOT NULL REFERENCES regions(code),
    chain               TEXT,                           -- chain code for chain-scoped indicators
    kind                TEXT NOT NULL DEFAULT 'value' CHECK (kind IN ('value', 'growth', 'relative')),
    basis               TEXT CHECK (basis IS NULL OR basis IN ('level', 'annual', 'cumulative')),
    cumulative_from     INTEGER,
    each_year_from      INTEGER,                        -- the same target every year from then
    comparator          TEXT NOT NULL DEFAULT '>='
                        CHECK (comparator IN ('>=', '>', '<=', '<', '=', 'between', 'about')),
    target_value        REAL,
    target_value_max    REAL,                           -- between only
    stretch_value       REAL,                           -- 力争 …
    growth_mode         TEXT CHECK (growth_mode IS NULL OR growth_mode IN ('yoy', 'cagr', 'total')),
    growth_rate_pct     REAL,
    growth_base_year    INTEGER,
    relative_to_id      INTEGER REFERENCES indicators(id),
    target_year         INTEGER NOT NULL CHECK (target_year BETWEEN 1949 AND 2100),
    target_date         TEXT,                           -- when finer than the year
    baseline_year       INTEGER,
    baseline_value      REAL,
    baseline_comparator TEXT,
    baseline_text       TEXT,
    qualifier           TEXT,                           -- 力争, 冲刺, 争取, 确保
    text                TEXT NOT NULL DEFAULT '',       -- the sentence, verbatim
    note                TEXT,
    parent_id           INTEGER REFERENCES targets(id),
    split_rule          TEXT CHECK (split_rule IS NULL OR split_rule IN ('sum', 'weighted')),
    split_weight        REAL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    created_by          INTEGER,
    updated_by          INTEGER,
    UNIQUE (plan_id, code)
);
CREATE INDEX targets_region ON targets(region_code);
CREATE INDEX targets_indicator ON targets(indicator_id, region_code);
CREATE INDEX targets_parent ON targets(parent_id);

-- Yearly milestones on the way to a target (丽水: ≥6 projects in 2024, ≥15 by 2026).
CREATE TABLE target_milestones (
    target_id  INTEGER NOT NULL REFERENCES targets(id),
    year       INTEGER NOT NULL,
    comparator TEXT,                                    -- NULL: the target's
    value      REAL NOT NULL,
    text       TEXT,
    PRIMARY KEY (target_id, year)
);

-- Per-record rules a plan sets (台州 综合体 floor area ≥ 2000 / 5000 / 10000 m² by level;
-- 嘉兴: R&D/revenue > 5% gets priority for quotas), checked against each record.
CREATE TABLE plan_requirements (
    id         INTEGER PRIMARY KEY,
    plan_id    INTEGER NOT NULL REFERENCES plans(id),
    task_id    INTEGER NOT NULL REFERENCES plan_tasks(id),
    code       TEXT NOT NULL,
    subject    TEXT NOT NULL,                           -- what it applies to
    level      TEXT,                                    -- county, city, province, or NULL
    attribute  TEXT NOT NULL,                           -- ASCII attribute name, e.g. floor_area
    comparator TEXT NOT NULL,
    value      REAL NOT NULL,
    unit       TEXT NOT NULL,
    effect     TEXT,                                    -- what meeting it brings
    text       TEXT NOT NULL DEFAULT '',
    note       TEXT,
    UNIQUE (plan_id, code)
);

-- Values of an indicator for a region (and chain) and year (the period: a calendar
-- year; stocks at 31 December). One row per revision. Reported values go
-- submitted → verified; verification locks the row (it never changes again) and makes it
-- the cell's current value (is_current = 1). A locked value changes only through a new
-- revision, itself submitted and verified; the old one becomes superseded. A rejected
-- submission goes back to its submitter (rejected → submitted by editing it).
CREATE TABLE observations (
    id            INTEGER PRIMARY KEY,
    indicator_id  INTEGER NOT NULL REFERENCES indicators(id),
    region_code   TEXT NOT NULL REFERENCES regions(code),
    chain         TEXT NOT NULL DEFAULT '',             -- '' unless the indicator is chain-scoped
    year          INTEGER NOT NULL CHECK (year BETWEEN 1949 AND 2100),
    revision      INTEGER NOT NULL DEFAULT 1,
    is_current    INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1)),
    value         REAL NOT NULL,
    comparator    TEXT NOT NULL DEFAULT '=',            -- '>' for 突破 … (stated values)
    source        TEXT NOT NULL,                        -- 统计公报, the plan document, …
    note          TEXT,
    status        TEXT NOT NULL DEFAULT 'submitted'
                  CHECK (status IN ('submitted', 'rejected', 'verified', 'superseded')),
    reject_reason TEXT,
    supersedes_id INTEGER REFERENCES observations(id),  -- the verified value it revises
    submitted_at  INTEGER NOT NULL,
    submitted_by  INTEGER,                              -- users.id, NULL for the demo
    verified_at   INTEGER,
    verified_by   INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX observations_current ON observations(indicator_id, region_code, chain, year)
    WHERE is_current = 1;
CREATE UNIQUE INDEX observations_open ON observations(indicator_id, region_code, chain, year)
    WHERE status IN ('submitted', 'rejected');
CREATE INDEX observations_region ON observations(region_code, status);

-- Evidence attachments of an observation, stored as DATA_DIR/files/<stored_name>.
CREATE TABLE observation_files (
    id             INTEGER PRIMARY KEY,
    observation_id INTEGER NOT NULL REFERENCES observations(id),
    name           TEXT NOT NULL,                       -- the uploaded file name
    mime           TEXT NOT NULL,                       -- checked against the content
    size_bytes     INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    stored_name    TEXT NOT NULL UNIQUE,
    created_at     INTEGER NOT NULL,
    created_by     INTEGER
);
CREATE INDEX observation_files_obs ON observation_files(observation_id);

-- Versions of the record sources computed indicators read, bumped by triggers on
-- every write to them (here for the tables of 0001/0004; store/plan_values.c installs
-- the same triggers on the market and deal tables when they exist).
CREATE TABLE plan_sources (
    name    TEXT PRIMARY KEY,                           -- table name
    version INTEGER NOT NULL DEFAULT 0
);
INSERT INTO plan_sources(name) VALUES ('orgs'), ('enterprise_years'), ('certifications'),
    ('demands'), ('contracts'), ('roadshows');

CREATE TRIGGER plan_src_orgs_i AFTER INSERT ON orgs BEGIN
    UPDATE plan_sources SET version = version + 1 WHERE name = 'orgs'; END;
CREATE TRIGGER plan_src_orgs_u AFTER UPDATE ON orgs BEGIN
    UPDATE plan_sources SET version = version + 1 WHERE name = 'orgs'; END;
CREATE TRIGGER plan_src_orgs_d AFTER DELETE ON orgs BEGIN
    UPDATE plan_sources SET version = version + 1 WHERE name = 'orgs'; END;
CREATE TRIGGER plan_src_ey_i AFTER INSERT ON enterprise_years BEGIN
    UPDATE plan_sources SET version = version + 1 WHERE name = 'enterprise_years'; END;
CREATE TRIGGER plan_src_ey_u AFTER UPDATE ON enterprise_years BEGIN
    UPDATE plan_sources SET version = version + 1 WHERE name = 'enterprise_years'; END;
CREATE TRIGGER plan_src_ey_d AFTER DELETE ON enterprise_years BEGIN
    UPDATE plan_sources SET version = version + 1 WHERE name = 'enterprise_years'; END;
CREATE TRIGGER plan_src_cert_i AFTER INSERT ON certifications BEGIN
    UPDATE plan_sources SET version = version + 1 WHERE name = 'certifications'; END;
CREATE TRIGGER plan_src_cert_u AFTER UPDATE ON certifications BEGIN
    UPDATE plan_sources SET version = version + 1 WHERE name = 'certifications'; END;
CREATE TRIGGER plan_src_cert_d AFTER DELETE ON certifications BEGIN
    UPDATE plan_sources SET version = version + 1 WHERE name = 'certifications'; END;

-- Computed values of an indicator per region (every level: county, city, province),
-- chain ('' for region scope) and year, with numerator and denominator for shares.
-- A cell absent for a count or a sum means 0; for a share, no population.
CREATE TABLE indicator_values (
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    region_code  TEXT NOT NULL,
    chain        TEXT NOT NULL DEFAULT '',
    year         INTEGER NOT NULL,
    value        REAL NOT NULL,
    numerator    INTEGER NOT NULL,                      -- records counted, or the sum in 分
    denominator  INTEGER NOT NULL DEFAULT 0,            -- shares: the population
    PRIMARY KEY (indicator_id, region_code, chain, year)
) WITHOUT ROWID;

-- When each computed indicator was last computed: the source versions and the as-of day
-- it used. The values are stale when a source version or the day has moved.
CREATE TABLE indicator_value_state (
    indicator_id INTEGER PRIMARY KEY REFERENCES indicators(id),
    stamp        TEXT NOT NULL,                         -- "orgs:12,certifications:40,…"
    as_of        TEXT NOT NULL,                         -- YYYY-MM-DD used for the current year
    year_from    INTEGER NOT NULL,
    year_to      INTEGER NOT NULL,
    computed_at  INTEGER NOT NULL
);

-- 浙江省科技型中小企业 (a provincial registration, 丽水's zj_tsme_count), beside 0004's kinds.
INSERT OR IGNORE INTO cert_kinds (code, name, name_en, stage, validity_years, number_label,
                                  rule_family, sort)
    VALUES ('zj_tsme', '浙江省科技型中小企业', 'Zhejiang technology-based SME', NULL, NULL,
            '认定编号', NULL, 15);
