-- Which case each material page belongs to (an application's, a bundle part's or a supplement's), so that
-- a page is deleted when the last case holding it passes its retention, and one person's pages are found.
-- Filled at intake; what was taken before is indexed once by the first sweep (setting page_refs_indexed).
CREATE TABLE page_refs (
    sha256 TEXT NOT NULL,
    case_no TEXT NOT NULL,
    PRIMARY KEY (sha256, case_no)
);
CREATE INDEX page_refs_case ON page_refs (case_no);

-- When an ended case's material pages were deleted (retention, or the person's erasure).
ALTER TABLE cases ADD COLUMN materials_deleted_ms BIGINT;
