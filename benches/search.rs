//! Catalogue search over 1,000 services (goal: under 1 ms a query), and building the index.

use criterion::{criterion_group, criterion_main, Criterion};
use kiosk::domain::catalogue::{self, Catalogue};
use kiosk::domain::search::SearchIndex;

/// The bundled catalogue grown to 1,000 services: each service again for other districts of Suzhou.
fn thousand_services() -> Catalogue {
    let districts = [
        "",
        "姑苏区",
        "吴中区",
        "相城区",
        "吴江区",
        "虎丘区",
        "工业园区",
        "常熟市",
        "张家港市",
        "昆山市",
        "太仓市",
        "高新区",
        "度假区",
        "木渎镇",
        "甪直镇",
        "同里镇",
        "周庄镇",
        "锦溪镇",
        "千灯镇",
        "沙溪镇",
        "浏河镇",
    ];
    let mut catalogue = catalogue::bundled();
    let base = catalogue.services.clone();
    catalogue.services.clear();
    'outer: for (d, district) in districts.iter().enumerate() {
        for service in &base {
            let mut s = service.clone();
            s.id = format!("{}-{d}", s.id);
            if !district.is_empty() {
                s.name.zh = format!("{}（{district}）", s.name.zh);
            }
            catalogue.services.push(s);
            if catalogue.services.len() == 1000 {
                break 'outer;
            }
        }
    }
    catalogue
}

fn search(c: &mut Criterion) {
    let catalogue = thousand_services();
    assert_eq!(catalogue.services.len(), 1000);
    let index = SearchIndex::new(&catalogue);
    for query in [
        "yyzz",
        "yingyezhizhao",
        "gongjijin",
        "公积金",
        "passport",
        "qqqq",
    ] {
        c.bench_function(&format!("search 1000 services: {query}"), |b| {
            b.iter(|| index.search(std::hint::black_box(query), 20))
        });
    }
    c.bench_function("build the index of 1000 services", |b| {
        b.iter(|| SearchIndex::new(std::hint::black_box(&catalogue)))
    });
}

criterion_group!(benches, search);
criterion_main!(benches);
