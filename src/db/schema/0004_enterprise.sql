-- 0004_enterprise.sql — module 2: enterprise profiles, yearly records, certificates.
--
-- An enterprise is an organisation (orgs.kind = 'enterprise', keyed by USCC) with a
-- profile row here. Money is int64 分, counts are integers; NULL always means "not
-- known" (the rule engine turns it into an `unknown` condition, never a zero).

-- The identity part of API.md's enterprise record. Booleans are 0/1, NULL = unknown.
CREATE TABLE enterprises (
    org_id                      INTEGER PRIMARY KEY REFERENCES orgs(id),
    registered_on               TEXT,     -- YYYY-MM-DD 注册成立日期
    hightech_field              TEXT,     -- one of the 8 国家重点支持的高新技术领域 by its Chinese
                                          -- name as API.md/assess spell it (电子信息 …), NULL = none
    national_award_top3_5y      INTEGER,
    provincial_award_top3_3y    INTEGER,
    sci_award_3y                INTEGER,
    provincial_rd_institution   INTEGER,
    led_standard_5y             INTEGER,
    no_major_incident           INTEGER,
    not_on_abnormal_list        INTEGER,
    not_restricted_industry     INTEGER,
    strategic_emerging_industry INTEGER,
    niche_years_x100            INTEGER,  -- 从事特定细分市场年限 × 100 (API: niche_years, a number)
    extra_json                  TEXT NOT NULL DEFAULT '{}', -- the rule engine's extension fields
    created_at                  INTEGER NOT NULL,
    updated_at                  INTEGER NOT NULL,
    updated_by                  INTEGER   -- users.id, NULL for the command line / import job
);

-- One row per enterprise × year × revision. Exactly one row per (org, year) is current.
-- Life cycle: draft → submitted → verified. A verified row is locked: it changes only
-- by a new verified revision (a new row, the old one kept with is_current = 0).
CREATE TABLE enterprise_years (
    id                        INTEGER PRIMARY KEY,
    org_id                    INTEGER NOT NULL REFERENCES orgs(id),
    year                      INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    revision                  INTEGER NOT NULL DEFAULT 1,
    is_current                INTEGER NOT NULL DEFAULT 1,
    status                    TEXT NOT NULL DEFAULT 'draft'
                              CHECK (status IN ('draft', 'submitted', 'verified')),
    source                    TEXT NOT NULL DEFAULT 'self'
                              CHECK (source IN ('self', 'import', 'officer')),
    employees                 INTEGER,  -- 职工总数
    tech_staff                INTEGER,  -- 科技人员数
    rd_staff                  INTEGER,  -- 研发人员数
    sales_revenue_fen         INTEGER,  -- 销售收入
    main_business_revenue_fen INTEGER,  -- 主营业务收入
    operating_revenue_fen     INTEGER,  -- 营业收入
    total_income_fen          INTEGER,  -- 总收入
    hightech_revenue_fen      INTEGER,  -- 高新技术产品(服务)收入
    rd_expense_fen            INTEGER,  -- 研发费用总额
    rd_expense_domestic_fen   INTEGER,  -- 境内研发费用
    cost_expense_total_fen    INTEGER,  -- 成本费用支出总额
    total_assets_fen          INTEGER,  -- 资产总额
    total_liabilities_fen     INTEGER,  -- 负债总额
    net_profit_fen            INTEGER,  -- 净利润 (may be negative)
    ip_class1                 INTEGER,  -- Ⅰ类知识产权
    ip_class1_self_developed  INTEGER,
    ip_class1_high_value      INTEGER,
    ip_class2                 INTEGER,  -- Ⅱ类知识产权
    conversions               INTEGER,  -- 科技成果转化
    equity_financing_fen      INTEGER,  -- 新增股权融资
    srdi_quality_score_x100   INTEGER,  -- extension: 专精特新发展(质量)评价得分 × 100
    import_job_id             INTEGER,  -- the import job that last wrote it, if any
    submitted_at              INTEGER,
    submitted_by              INTEGER,
    verified_at               INTEGER,
    verified_by               INTEGER,
    created_at                INTEGER NOT NULL,
    updated_at                INTEGER NOT NULL,
    updated_by                INTEGER
);
CREATE UNIQUE INDEX enterprise_years_current ON enterprise_years(org_id, year)
    WHERE is_current = 1;
CREATE INDEX enterprise_years_year ON enterprise_years(year, org_id) WHERE is_current = 1;
CREATE INDEX enterprise_years_history ON enterprise_years(org_id, year, revision);

-- Certificate kinds (a dictionary; officers may add local kinds). stage orders the
-- cultivation ladder (NULL = not a ladder stage); validity_years computes valid_to
-- (issue date + N years − 1 day) when the certificate does not state it.
CREATE TABLE cert_kinds (
    code           TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    stage          INTEGER,
    validity_years INTEGER,
    number_label   TEXT,      -- what the number is called (入库登记编号, 证书编号 …)
    rule_family    TEXT,      -- the rule-set family that computes a verdict, if any
    sort           INTEGER NOT NULL DEFAULT 0
);
INSERT INTO cert_kinds (code, name, name_en, stage, validity_years, number_label, rule_family, sort) VALUES
    ('tsme', '科技型中小企业', 'Technology-based SME', 1, 1, '入库登记编号', 'tsme', 10),
    ('innov_sme', '创新型中小企业', 'Innovative SME', NULL, 3, '证书编号', 'innov-sme', 20),
    ('hnte', '高新技术企业', 'High and new technology enterprise', 2, 3, '证书编号', 'hnte', 30),
    ('srdi', '专精特新中小企业', 'Specialised and sophisticated SME', NULL, 3, '证书编号', 'srdi', 40),
    ('little_giant', '专精特新"小巨人"企业', 'SRDI "little giant"', NULL, 3, '证书编号', 'little-giant', 50),
    ('sci_little_giant', '科技小巨人企业', 'Technology little giant', 3, NULL, '认定文号', NULL, 60),
    ('sci_leader', '科技领军企业', 'Technology leading enterprise', 4, NULL, '认定文号', NULL, 70),
    ('other', '其他', 'Other', NULL, NULL, '编号', NULL, 100);

-- A certificate held by an organisation. It counts from issued_on through valid_to
-- inclusive (NULL valid_to = no expiry); it stops counting the day after valid_to.
CREATE TABLE certifications (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    kind        TEXT NOT NULL REFERENCES cert_kinds(code),
    number      TEXT,              -- GR202333001234, 入库登记编号 …
    issued_on   TEXT NOT NULL,     -- YYYY-MM-DD
    valid_to    TEXT,              -- YYYY-MM-DD inclusive
    level       TEXT CHECK (level IS NULL OR level IN ('national', 'provincial', 'city', 'county')),
    issuer      TEXT,              -- issuing body
    note        TEXT,
    source      TEXT NOT NULL DEFAULT 'officer' -- who recorded it: self-reported by the firm,
                CHECK (source IN ('self', 'import', 'officer')), -- an import, or an officer
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  INTEGER
);
CREATE INDEX certifications_org ON certifications(org_id, kind);
CREATE INDEX certifications_kind ON certifications(kind, valid_to);
CREATE UNIQUE INDEX certifications_number ON certifications(kind, number) WHERE number IS NOT NULL;
CREATE INDEX enterprises_registered ON enterprises(registered_on);
