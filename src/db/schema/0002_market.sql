-- 0002_market.sql — technology market: the achievements library (科技成果) and its
-- full-text index. Times are Unix seconds; money is INTEGER 分; list fields hold JSON
-- arrays. The FTS5 table needs the kc_cjk tokenizer, which db_open registers on every
-- connection (search/fts5.c); the sqlite3 shell cannot read achievements_fts.

CREATE TABLE achievements (
    id             INTEGER PRIMARY KEY,
    external_id    TEXT UNIQUE,              -- the source's id (imports); NULL when entered on the platform
    title          TEXT NOT NULL,
    abstract       TEXT NOT NULL DEFAULT '',
    keywords       TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    discipline     TEXT,                     -- 学科 / field (CSL: one of 67 second-level labels)
    kind           TEXT,                     -- 发明专利 | 实用新型 | 软件著作权 | 新品种 | 技术秘密 | 其他
    patent_numbers TEXT NOT NULL DEFAULT '[]', -- JSON array of patent numbers (ZC 0006-2003 check digit)
    trl            INTEGER CHECK (trl BETWEEN 1 AND 9), -- technology readiness level
    transfer_modes TEXT NOT NULL DEFAULT '[]', -- JSON array of 转让 | 许可 | 作价入股 | 先用后转 | 合作开发
    price_min_fen  INTEGER CHECK (price_min_fen >= 0), -- asking price or the lower end of a range
    price_max_fen  INTEGER CHECK (price_max_fen >= price_min_fen),
    owner_org_id   INTEGER REFERENCES orgs(id),
    region_code    TEXT REFERENCES regions(code),
    chain          TEXT,                     -- industry chain code (chains.code)
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX achievements_owner ON achievements(owner_org_id);
CREATE INDEX achievements_region ON achievements(region_code);
CREATE INDEX achievements_chain ON achievements(chain);
CREATE INDEX achievements_discipline ON achievements(discipline);

-- External-content full-text index over the three text fields, kept in sync by triggers.
CREATE VIRTUAL TABLE achievements_fts USING fts5(
    title, keywords, abstract,
    content='achievements', content_rowid='id', tokenize='kc_cjk');

CREATE TRIGGER achievements_fts_insert AFTER INSERT ON achievements BEGIN
    INSERT INTO achievements_fts(rowid, title, keywords, abstract)
        VALUES (new.id, new.title, new.keywords, new.abstract);
END;
CREATE TRIGGER achievements_fts_delete AFTER DELETE ON achievements BEGIN
    INSERT INTO achievements_fts(achievements_fts, rowid, title, keywords, abstract)
        VALUES ('delete', old.id, old.title, old.keywords, old.abstract);
END;
CREATE TRIGGER achievements_fts_update AFTER UPDATE OF title, keywords, abstract ON achievements
BEGIN
    INSERT INTO achievements_fts(achievements_fts, rowid, title, keywords, abstract)
        VALUES ('delete', old.id, old.title, old.keywords, old.abstract);
    INSERT INTO achievements_fts(rowid, title, keywords, abstract)
        VALUES (new.id, new.title, new.keywords, new.abstract);
END;
