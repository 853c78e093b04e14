-- The back office (不见面审批): a staff member's role (guide: remote guidance; reviewer: decides the
-- applications of the departments named; admin: every department, and the staff accounts) and the login
-- lockout (5 wrong passwords lock the account for 15 minutes); an application's department (the service's,
-- as the catalogue named it at intake); every reviewer's action, for the audit; the results (an e-licence
-- issued, an EMS waybill, or collection at the window). A 一件事 bundle is a parent case with a child case per
-- department (`parent` names it): the citizen sees only the parent; each department reviews its child.
ALTER TABLE staff ADD COLUMN role TEXT NOT NULL DEFAULT 'guide';
ALTER TABLE staff ADD COLUMN departments TEXT NOT NULL DEFAULT '[]';
ALTER TABLE staff ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN locked_until_ms BIGINT NOT NULL DEFAULT 0;

ALTER TABLE applications ADD COLUMN department TEXT NOT NULL DEFAULT '';
CREATE INDEX applications_department ON applications (department, received_ms);

CREATE TABLE review_actions (
    case_no TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    staff_user TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX review_actions_case ON review_actions (case_no, at_ms);

CREATE TABLE results (
    case_no TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    waybill TEXT UNIQUE,
    document_id TEXT,
    at_ms BIGINT NOT NULL
);

ALTER TABLE cases ADD COLUMN parent TEXT;
CREATE INDEX cases_by_parent ON cases (parent);
