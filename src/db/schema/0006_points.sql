-- 0006_points.sql — module 2, part C: versions of the 创新积分 configuration and the
-- margins that decide who enters a cultivation pool (培育库).

-- Every saved 创新积分 configuration is a new version; old versions are kept (results
-- computed with them stay reproducible) and each save is in the audit log. A firm is
-- scored with the newest version stored for its prefecture, else its province, else
-- 000000, else the shipped file data/rules/innovation-points-2024.json (version 0).
CREATE TABLE points_configs (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions(code), -- a prefecture, province or 000000
    version     INTEGER NOT NULL CHECK (version >= 1),  -- 1, 2, … per region
    config_json TEXT NOT NULL,                          -- canonical JSON (src/rules/points.c)
    note        TEXT,                                   -- what changed, by the editor
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES users(id)
);
CREATE UNIQUE INDEX points_configs_version ON points_configs(region_code, version);

-- How near a failing firm must be to enter a pool, per region and rule family ('*' =
-- every family). The most specific row applies: county, prefecture, province, 000000;
-- at each level the family's own row before '*'; without a row the built-in defaults
-- (1 condition, 10 %, 5 points) apply.
CREATE TABLE pool_margins (
    region_code  TEXT NOT NULL REFERENCES regions(code),
    family       TEXT NOT NULL,                                      -- 'hnte', 'tsme', … or '*'
    max_failed   INTEGER NOT NULL CHECK (max_failed BETWEEN 0 AND 5),  -- failing conditions allowed
    margin_pct   INTEGER NOT NULL CHECK (margin_pct BETWEEN 0 AND 50), -- a failing threshold within this %
    score_margin INTEGER NOT NULL CHECK (score_margin BETWEEN 0 AND 30), -- a failing score within N points
    updated_at   INTEGER NOT NULL,
    updated_by   INTEGER REFERENCES users(id),
    PRIMARY KEY (region_code, family)
);
