-- 0008_deals_pipeline.sql — module 3, the brokerage pipeline (needs demands and experts of
-- 0007): matches of a demand with an achievement, an institution or an expert, moved by
-- a broker through proposed → contacted → negotiating → signed / dropped, with the full
-- history of changes; the contract a signed match registered; the demands a roadshow
-- showcased. Times are Unix seconds.

-- One pipeline record (对接记录). Exactly one target: an achievement (supply_org_id = its
-- owner), an institution (supply_org_id = it) or an expert (supply_org_id = the
-- affiliation, if on the platform). region_code is the demand's region: brokers and
-- officers of that region work the match. The demand side (demand_org_id) and the supply
-- side (supply_org_id) both see the match, including why it was dropped.
CREATE TABLE matches (
    id             INTEGER PRIMARY KEY,
    demand_id      INTEGER NOT NULL REFERENCES demands(id),
    target_kind    TEXT NOT NULL CHECK (target_kind IN ('achievement', 'institution', 'expert')),
    achievement_id INTEGER REFERENCES achievements(id),
    expert_id      INTEGER REFERENCES experts(id),
    supply_org_id  INTEGER REFERENCES orgs(id),
    demand_org_id  INTEGER NOT NULL REFERENCES orgs(id),
    region_code    TEXT NOT NULL REFERENCES regions(code),
    stage          TEXT NOT NULL DEFAULT 'proposed'
                   CHECK (stage IN ('proposed', 'contacted', 'negotiating', 'signed', 'dropped')),
    broker_id      INTEGER REFERENCES users(id),  -- the assigned broker (role broker)
    source         TEXT NOT NULL DEFAULT 'manual'
                   CHECK (source IN ('matching', 'manual', 'roadshow')),
    roadshow_id    INTEGER REFERENCES roadshows(id), -- the roadshow where the intent was recorded
    score          REAL,                          -- the matcher's score when proposed from candidates
    reasons        TEXT NOT NULL DEFAULT '[]',    -- JSON array of the matcher's reasons at proposal
    note           TEXT,
    drop_reason    TEXT CHECK (drop_reason IN ('too_early', 'price_gap', 'ip_unclear',
                                               'benefit_unclear', 'no_budget', 'other')),
    drop_note      TEXT,                          -- required with drop_reason 'other'
    contacted_at   INTEGER,                       -- first entry into each stage
    negotiating_at INTEGER,
    signed_at      INTEGER,
    dropped_at     INTEGER,
    stage_at       INTEGER NOT NULL,              -- when the current stage began
    created_at     INTEGER NOT NULL,              -- = proposed
    created_by     INTEGER,
    updated_at     INTEGER NOT NULL,
    updated_by     INTEGER,
    CHECK ((target_kind = 'achievement') = (achievement_id IS NOT NULL)),
    CHECK ((target_kind = 'expert') = (expert_id IS NOT NULL)),
    CHECK (target_kind <> 'institution' OR supply_org_id IS NOT NULL),
    CHECK ((stage = 'dropped') = (drop_reason IS NOT NULL)),
    CHECK (drop_reason IS NULL OR drop_reason <> 'other' OR length(trim(drop_note)) > 0)
);
CREATE INDEX matches_region_stage ON matches(region_code, stage);
CREATE INDEX matches_broker ON matches(broker_id, stage);
CREATE INDEX matches_demand ON matches(demand_id);
CREATE INDEX matches_supply ON matches(supply_org_id);
CREATE INDEX matches_demand_org ON matches(demand_org_id);
CREATE INDEX matches_roadshow ON matches(roadshow_id);
-- One open record per demand and target.
CREATE UNIQUE INDEX matches_open_achievement ON matches(demand_id, achievement_id)
    WHERE target_kind = 'achievement' AND stage <> 'dropped';
CREATE UNIQUE INDEX matches_open_expert ON matches(demand_id, expert_id)
    WHERE target_kind = 'expert' AND stage <> 'dropped';
CREATE UNIQUE INDEX matches_open_institution ON matches(demand_id, supply_org_id)
    WHERE target_kind = 'institution' AND stage <> 'dropped';

-- The history of a match: its creation, every stage change, broker (re)assignment and
-- note, in order. Never updated or deleted.
CREATE TABLE match_events (
    id         INTEGER PRIMARY KEY,
    match_id   INTEGER NOT NULL REFERENCES matches(id),
    at         INTEGER NOT NULL,
    user_id    INTEGER,                           -- users.id, NULL for the demo
    username   TEXT,
    kind       TEXT NOT NULL CHECK (kind IN ('created', 'stage', 'broker', 'note')),
    from_stage TEXT,
    to_stage   TEXT,
    broker_id  INTEGER,                           -- kind 'broker': the new broker (NULL = none)
    reason     TEXT,                              -- kind 'stage' to dropped: the reason code
    note       TEXT
);
CREATE INDEX match_events_match ON match_events(match_id, id);

-- The contract a signed match registered (at most one contract per match).
ALTER TABLE contracts ADD COLUMN match_id INTEGER REFERENCES matches(id);
CREATE UNIQUE INDEX contracts_match ON contracts(match_id) WHERE match_id IS NOT NULL;

-- Demands showcased at a roadshow.
CREATE TABLE roadshow_demands (
    roadshow_id INTEGER NOT NULL REFERENCES roadshows(id) ON DELETE CASCADE,
    demand_id   INTEGER NOT NULL REFERENCES demands(id),
    PRIMARY KEY (roadshow_id, demand_id)
);
