-- 0008_deals.sql — module 3, the deal side: registered technology contracts (技术合同认定登记)
-- and roadshows (成果推介会). The brokerage pipeline (matches of demands) is in
-- 0008_deals_pipeline.sql, which needs the demands table of 0007.
--
-- Money is INTEGER 分; dates are TEXT YYYY-MM-DD; times are Unix seconds. The meaning of
-- every contracts column, for the statistics and the targets module, is in docs/api-deals.md.

-- One registered technology contract. The type set (rule_set) is the one in force on
-- signed_on unless the registrar named another; type/subtype are codes of that set
-- (data/rules/contract-*.json). region_code is the seller's region at registration
-- (registration happens once, at the seller's location), so statistics by region count a
-- contract where the technology came from.
CREATE TABLE contracts (
    id                  INTEGER PRIMARY KEY,
    title               TEXT NOT NULL,               -- 项目名称
    rule_set            TEXT NOT NULL,               -- contract-2001 | contract-2026
    type                TEXT NOT NULL,               -- development | transfer | license | consulting | service
    subtype             TEXT,                        -- e.g. entrusted, patent_license, training; NULL for consulting
    seller_org_id       INTEGER NOT NULL REFERENCES orgs(id), -- 卖方 (developer, transferor, licensor, service provider)
    buyer_org_id        INTEGER NOT NULL REFERENCES orgs(id), -- 买方
    contract_amount_fen INTEGER NOT NULL CHECK (contract_amount_fen > 0), -- 合同成交额 (合同交易总额)
    tech_amount_fen     INTEGER NOT NULL CHECK (tech_amount_fen >= 0 AND tech_amount_fen <= contract_amount_fen), -- 技术交易额 (技术性收入)
    signed_on           TEXT NOT NULL,               -- 合同签订日期
    registration_no     TEXT NOT NULL UNIQUE CHECK (length(registration_no) = 16), -- 合同登记编号, 16 digits
    registered_on       TEXT NOT NULL CHECK (registered_on >= signed_on), -- 认定登记日期: the date statistics count
    region_code         TEXT NOT NULL REFERENCES regions(code), -- the seller's region (GB/T 2260)
    achievement_id      INTEGER REFERENCES achievements(id),    -- the achievement it transfers, if any
    note                TEXT,
    created_at          INTEGER NOT NULL,
    created_by          INTEGER,                     -- users.id, NULL for the demo / command line
    updated_at          INTEGER NOT NULL,
    updated_by          INTEGER
);
CREATE INDEX contracts_region_date ON contracts(region_code, registered_on);
CREATE INDEX contracts_date ON contracts(registered_on);
CREATE INDEX contracts_seller ON contracts(seller_org_id);
CREATE INDEX contracts_buyer ON contracts(buyer_org_id);
CREATE INDEX contracts_achievement ON contracts(achievement_id);

-- A roadshow (成果推介会): an event of a region, usually for one industry chain, where
-- achievements are presented to the firms that attend. Intents recorded at the event
-- become pipeline matches (0008_deals_pipeline.sql).
CREATE TABLE roadshows (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    held_on     TEXT NOT NULL,                       -- YYYY-MM-DD
    chain       TEXT,                                -- industry chain code (chains.code)
    region_code TEXT NOT NULL REFERENCES regions(code), -- the organising region
    venue       TEXT,
    description TEXT,
    created_at  INTEGER NOT NULL,
    created_by  INTEGER,
    updated_at  INTEGER NOT NULL,
    updated_by  INTEGER
);
CREATE INDEX roadshows_region ON roadshows(region_code, held_on);

-- Achievements showcased at a roadshow.
CREATE TABLE roadshow_achievements (
    roadshow_id    INTEGER NOT NULL REFERENCES roadshows(id) ON DELETE CASCADE,
    achievement_id INTEGER NOT NULL REFERENCES achievements(id),
    PRIMARY KEY (roadshow_id, achievement_id)
);

-- Organisations that attended.
CREATE TABLE roadshow_attendees (
    roadshow_id INTEGER NOT NULL REFERENCES roadshows(id) ON DELETE CASCADE,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    PRIMARY KEY (roadshow_id, org_id)
);
CREATE INDEX roadshow_attendees_org ON roadshow_attendees(org_id);
