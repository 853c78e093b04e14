-- 企业服务: the market-regulation registry's enterprises as the hub knows them, each with its legal
-- representative (by the peppered holder key only). Registry facts are public (国家企业信用信息公示系统).
CREATE TABLE enterprises (
    uscc TEXT PRIMARY KEY,
    representative TEXT NOT NULL,
    name TEXT NOT NULL,
    kind_zh TEXT NOT NULL,
    kind_en TEXT NOT NULL,
    industry TEXT NOT NULL,
    size TEXT NOT NULL,
    district TEXT NOT NULL,
    address TEXT NOT NULL,
    established TEXT NOT NULL
);
CREATE INDEX enterprises_representative ON enterprises (representative);
