-- 0001_core.sql — platform core: reference data, organisations, users, sessions, audit.
-- Times are Unix seconds (INTEGER); the API formats them as RFC 3339.

CREATE TABLE regions (
    code        TEXT PRIMARY KEY,          -- GB/T 2260 six-digit code ("000000" = 全国)
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,             -- country | province | prefecture | county
    parent_code TEXT                       -- NULL for the root
);
CREATE INDEX regions_parent ON regions(parent_code);

CREATE TABLE region_aliases (
    old_code TEXT PRIMARY KEY,             -- a historical code still found in old records
    old_name TEXT NOT NULL,
    new_code TEXT NOT NULL REFERENCES regions(code),
    note     TEXT
);

CREATE TABLE industries (                  -- GB/T 4754-2017 sections and divisions
    code   TEXT PRIMARY KEY,               -- "C" or "C36"
    name   TEXT NOT NULL,
    parent TEXT                            -- section letter for divisions
);

CREATE TABLE sei (                         -- 战略性新兴产业分类(2018) top categories
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE chains (                      -- local industry chains, editable per region
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions(code),
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    group_name  TEXT,
    sort        INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX chains_region ON chains(region_code);

CREATE TABLE orgs (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    name          TEXT NOT NULL,
    uscc          TEXT NOT NULL UNIQUE,    -- 统一社会信用代码
    region_code   TEXT NOT NULL REFERENCES regions(code),
    industry_code TEXT,
    chains        TEXT NOT NULL DEFAULT '[]', -- JSON array of chain codes
    address       TEXT,
    contact_name  TEXT,
    contact_phone TEXT,
    contact_email TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX orgs_region ON orgs(region_code);
CREATE INDEX orgs_name ON orgs(name);
CREATE INDEX orgs_kind_region ON orgs(kind, region_code);

CREATE TABLE org_name_history (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    old_name   TEXT NOT NULL,
    new_name   TEXT NOT NULL,
    changed_at INTEGER NOT NULL,
    changed_by INTEGER                    -- user id, NULL for the command line
);
CREATE INDEX org_name_history_org ON org_name_history(org_id);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    region_code   TEXT NOT NULL REFERENCES regions(code),
    org_id        INTEGER REFERENCES orgs(id),
    status        TEXT NOT NULL DEFAULT 'active',   -- active | disabled
    password_hash TEXT NOT NULL,                    -- argon2id (libsodium crypto_pwhash_str)
    lang          TEXT NOT NULL DEFAULT 'zh-CN',
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX users_region ON users(region_code);

CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,     -- BLAKE2b of the cookie token; the token itself is never stored
    user_id      INTEGER NOT NULL REFERENCES users(id),
    csrf_token   TEXT NOT NULL,
    ip           TEXT,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_attempts (
    id       INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    ip       TEXT,
    at       INTEGER NOT NULL,
    ok       INTEGER NOT NULL,
    reason   TEXT NOT NULL                 -- ok | bad_password | unknown_user | locked | disabled
);
CREATE INDEX login_attempts_user ON login_attempts(username, at);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT, -- AUTOINCREMENT: ids are never reused, so deleting the newest entry is visible
    at        INTEGER NOT NULL,
    user_id   INTEGER,
    username  TEXT,
    ip        TEXT,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT,
    diff      TEXT NOT NULL,               -- JSON {"field":{"before":…,"after":…}}
    prev_hash TEXT NOT NULL,               -- hash of the previous entry (64 zeros for the first)
    hash      TEXT NOT NULL                -- SM3 over prev_hash and this entry's fields
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
