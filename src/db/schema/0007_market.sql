-- 0007_market.sql — technology market records (issue 4): technology demands (技术需求)
-- with their quantified indicators, experts, and the achievement columns 0002 lacks.
-- Times are Unix seconds; money is INTEGER 分; list fields hold JSON arrays; dates are
-- YYYY-MM-DD text. Codes of kinds, modes and fields are the Chinese terms themselves
-- (as achievements.kind in 0002); status and confidentiality codes are English.

-- Achievements: publication status, technology field, track record, editors.
--   status      draft (owner only) | published (the market and the public pages) |
--               withdrawn (kept for the record, hidden from the market)
--   field       one of the 8 国家重点支持的高新技术领域 (电子信息, 生物与新医药, 航空航天,
--               新材料, 高技术服务, 新能源与节能, 资源与环境, 先进制造与自动化) or NULL;
--               discipline (0002) stays the academic 学科.
--   deal_count  times this achievement was transferred or licensed (成交次数) as its
--               owner declares it; matching's track record adds it to the owner's
--               registered technology contracts as seller (contracts, 0008).
ALTER TABLE achievements ADD COLUMN status TEXT NOT NULL DEFAULT 'published'
    CHECK (status IN ('draft', 'published', 'withdrawn'));
ALTER TABLE achievements ADD COLUMN field TEXT;
ALTER TABLE achievements ADD COLUMN deal_count INTEGER NOT NULL DEFAULT 0 CHECK (deal_count >= 0);
ALTER TABLE achievements ADD COLUMN created_by INTEGER; -- users.id, NULL for imports and the demo
ALTER TABLE achievements ADD COLUMN updated_by INTEGER;
CREATE INDEX achievements_status ON achievements(status, id);
CREATE INDEX achievements_field ON achievements(field);

-- A technology demand posted by a firm (or by an officer on its behalf).
-- Life cycle: draft → published → matched → closed (published → closed and
-- matched → published are allowed too; nothing leaves closed). Publishing needs a
-- complete enough record: a title, the problem, at least one indicator, a budget
-- and a cooperation mode (the quality gate, domain/demand.c).
-- Visibility of a published demand (confidentiality):
--   public        everyone, including the anonymous public pages
--   members       any logged-in user
--   brokers_only  brokers and officers whose region covers it, the owner, admins
-- A draft is seen by its owner, officers in region and admins only.
CREATE TABLE demands (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES orgs(id), -- the firm with the need
    region_code     TEXT NOT NULL REFERENCES regions(code), -- the firm's region (copied on write)
    title           TEXT NOT NULL,
    problem         TEXT NOT NULL DEFAULT '', -- the technical problem, in the firm's words
    existing        TEXT NOT NULL DEFAULT '', -- what the firm already has (equipment, data, staff)
    keywords        TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    budget_min_fen  INTEGER CHECK (budget_min_fen >= 0),
    budget_max_fen  INTEGER CHECK (budget_max_fen >= budget_min_fen),
    deadline        TEXT,                     -- YYYY-MM-DD: wanted by
    coop_modes      TEXT NOT NULL DEFAULT '[]', -- JSON array of 委托开发 | 合作开发 | 技术转让 |
                                              -- 技术许可 | 技术服务 | 揭榜挂帅
    chain           TEXT,                     -- industry chain code (chains.code)
    field           TEXT,                     -- technology field (as achievements.field)
    confidentiality TEXT NOT NULL DEFAULT 'public'
                    CHECK (confidentiality IN ('public', 'members', 'brokers_only')),
    status          TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'published', 'matched', 'closed')),
    completeness    INTEGER NOT NULL DEFAULT 0 CHECK (completeness BETWEEN 0 AND 100),
    contact_name    TEXT,
    contact_phone   TEXT,
    published_at    INTEGER,
    closed_at       INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    created_by      INTEGER,                  -- users.id, NULL for the demo and the command line
    updated_by      INTEGER
);
CREATE INDEX demands_org ON demands(org_id);
CREATE INDEX demands_region ON demands(region_code);
CREATE INDEX demands_status ON demands(status, confidentiality);
CREATE INDEX demands_chain ON demands(chain);

-- The quantified technical indicators of a demand (指标: name, target value, unit), in
-- the order the firm listed them.
CREATE TABLE demand_indicators (
    id        INTEGER PRIMARY KEY,
    demand_id INTEGER NOT NULL REFERENCES demands(id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,              -- 1, 2, … in display order
    name      TEXT NOT NULL,                 -- 抗拉强度
    target    TEXT NOT NULL,                 -- ≥ 1200 (a value, a range or a comparison)
    unit      TEXT NOT NULL DEFAULT ''       -- MPa
);
CREATE UNIQUE INDEX demand_indicators_seq ON demand_indicators(demand_id, seq);

-- Experts (专家): people a demand can be matched to. An expert may hold a platform
-- account (user_id) and belongs to an affiliation organisation when it is on the
-- platform (org_id), else names it (affiliation).
CREATE TABLE experts (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    title       TEXT,                        -- 职称: 教授, 研究员, 高级工程师 …
    org_id      INTEGER REFERENCES orgs(id),  -- affiliation on the platform
    affiliation TEXT,                        -- affiliation name when org_id is NULL
    region_code TEXT NOT NULL REFERENCES regions(code),
    fields      TEXT NOT NULL DEFAULT '[]',  -- JSON array of technology fields / disciplines
    keywords    TEXT NOT NULL DEFAULT '[]',  -- JSON array of research keywords
    bio         TEXT NOT NULL DEFAULT '',    -- research interests and achievements
    email       TEXT,
    phone       TEXT,
    user_id     INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    created_by  INTEGER,
    updated_by  INTEGER
);
CREATE INDEX experts_org ON experts(org_id);
CREATE INDEX experts_region ON experts(region_code);
