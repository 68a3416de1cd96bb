-- 0011_cert_verify.sql — certificates an enterprise reports itself are checked by an
-- officer before they count (issue 3 follow-up). Until then a self-reported certificate
-- is `pending`; only `verified` ones count anywhere: the ladder funnel, pools and rule
-- checks, 创新积分, and the plans module's computed indicators. Rows recorded before this
-- migration (by officers, imports or the demo) are verified.
ALTER TABLE certifications ADD COLUMN status TEXT NOT NULL DEFAULT 'verified'
    CHECK (status IN ('pending', 'verified', 'rejected'));
ALTER TABLE certifications ADD COLUMN reviewed_at INTEGER;  -- when an officer verified or rejected it
ALTER TABLE certifications ADD COLUMN reviewed_by INTEGER;  -- users.id of that officer
ALTER TABLE certifications ADD COLUMN review_note TEXT;     -- the reason of a rejection
CREATE INDEX certifications_review ON certifications(status) WHERE status <> 'verified';
