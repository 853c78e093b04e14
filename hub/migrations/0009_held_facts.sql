-- 两个免于提交: what the government already holds of a holder, to prefill their forms (the mobile number of
-- their real-name account, the spouse on their marriage e-licence, the newborn on their birth certificate).
-- A holder is kept as a peppered hash of the ID number, as cases and e-licences are; a fact is named as the
-- catalogue's prefill source names it.
CREATE TABLE held_facts (
    holder TEXT NOT NULL,
    fact TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (holder, fact)
);
