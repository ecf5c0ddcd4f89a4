use super::*;
use crate::reference::{City, ClassFormat};

fn read(q: &str) -> Understood {
    understand(q, Lexicon::get())
}

fn texts(u: &Understood) -> Vec<String> {
    u.terms().map(|t| t.text.clone()).collect()
}

#[test]
fn ways_of_asking_are_dropped() {
    for (q, word) in [
        ("学电工", "电工"),
        ("考电工", "电工"),
        ("电工培训", "电工"),
        ("哪里可以学美发", "美发"),
        ("育婴员 咋个报名", "育婴员"),
    ] {
        let u = read(q);
        assert_eq!(texts(&u), [word], "{q}: {u:?}");
        assert!(!u.dropped.is_empty(), "{q}");
    }
}

#[test]
fn a_certificate_is_asked_for_and_not_matched() {
    for q in ["电工证", "考叉车证", "导游资格证"] {
        let u = read(q);
        assert!(u.certificate, "{q}: {u:?}");
        assert!(u.terms().all(|t| !t.text.contains('证')), "{q}: {u:?}");
    }
    assert!(!read("电工").certificate);
}

#[test]
fn everyday_names_name_their_occupations() {
    for (q, occupation) in [
        ("电焊", "焊工"),
        ("做饭", "中式烹调师"),
        ("保姆", "家政服务员"),
        ("护工", "养老护理员"),
        ("照顾老人", "养老护理员"),
        ("带孩子", "保育师"),
        ("外卖骑手", "网约配送员"),
        ("开网店", "电子商务师"),
        ("直播带货", "互联网营销师"),
        ("修车", "汽车维修工"),
    ] {
        let u = read(q);
        assert!(
            u.terms().any(|t| t.names.iter().any(|n| n == occupation)),
            "{q}: {u:?}"
        );
        assert_eq!(u.searched(), [occupation], "{q}");
    }
}

#[test]
fn places_and_formats_become_filters() {
    let u = read("成都 电工 周末班");
    assert_eq!(u.cities, [City::Chengdu]);
    assert_eq!(u.formats, [ClassFormat::Weekend]);
    assert_eq!(texts(&u), ["电工"]);

    let u = read("武侯 学美发");
    assert_eq!(u.districts, [(City::Chengdu, "武侯区".to_string())]);
    assert!(u.cities.is_empty());
    assert_eq!(texts(&u), ["美发"]);

    let u = read("绵阳学厨师");
    assert_eq!(u.cities, [City::Mianyang]);
    assert_eq!(u.searched(), ["中式烹调师"]);

    for (q, format) in [
        ("晚上学电工", ClassFormat::Night),
        ("下班后 焊工", ClassFormat::Night),
        ("线上 育婴员", ClassFormat::Online),
        ("网课 育婴员", ClassFormat::Online),
        ("全日制 家政", ClassFormat::FullTime),
        ("暑假 叉车", ClassFormat::Holiday),
        ("礼拜天 厨师", ClassFormat::Weekend),
    ] {
        assert_eq!(read(q).formats, [format], "{q}");
    }
    // 开网店 is a shop on the internet, not an online class.
    assert!(read("开网店").formats.is_empty());
}

#[test]
fn words_it_does_not_know_are_searched_as_typed() {
    let u = read("飞行汽车");
    assert!(!texts(&u).is_empty());
    assert!(u.cities.is_empty() && u.formats.is_empty() && u.dropped.is_empty());
    // Pinyin and Latin letters are kept whole, lower-cased.
    assert_eq!(texts(&read("DianGong")), ["diangong"]);
    assert_eq!(texts(&read("qiche weixiu")), ["qiche", "weixiu"]);
}

#[test]
fn profiles_relate_words_to_occupations() {
    let lexicon = Lexicon::from_files(
        "alias,occupation\n",
        "word,kind,value\n",
        "name,city_code\n",
        "occupation,occupation_code,profile\n电工,6-31-01-03,布线、安装照明线路、配电箱\n\
         电梯安装维修工,6-29-03-03,电梯维保、安装电梯、曳引机\n",
    );
    assert_eq!(lexicon.related("照明"), ["电工"], "a part of a phrase");
    assert_eq!(
        lexicon.related("给我家布线"),
        ["电工"],
        "a whole phrase within"
    );
    assert_eq!(lexicon.related("安装"), ["电工", "电梯安装维修工"]);
    assert!(
        lexicon.related("线").is_empty(),
        "one character says too little"
    );
    assert!(lexicon.related("烤蛋糕").is_empty());
}

#[test]
fn the_data_files_hold_together() {
    let lexicon = Lexicon::get();
    let profiled: Vec<&str> = OCCUPATION_NAMES.lines().collect();
    for alias in lexicon.aliases() {
        let Some(Meaning::Occupation(names)) = lexicon.meaning(alias) else {
            panic!("{alias}");
        };
        for name in names {
            assert!(
                profiled.contains(&name.as_str()),
                "{alias} → {name}: no profile"
            );
        }
    }
    // Every line of the word lists was read.
    let read_words = lexicon::rows_of(lexicon::WORDS_FILE).count();
    let known = lexicon::rows_of(lexicon::WORDS_FILE)
        .filter(|r| lexicon.meaning(r[0]).is_some())
        .count();
    assert_eq!(known, read_words);
    assert!(lexicon.meaning("锦江").is_some() && lexicon.meaning("九寨沟").is_some());
}

/// The occupations with a profile, one a line.
static OCCUPATION_NAMES: LazyLock<String> = LazyLock::new(|| {
    lexicon::rows_of(lexicon::OCCUPATIONS_FILE)
        .filter_map(|r| r.first().map(|s| s.to_string()))
        .collect::<Vec<_>>()
        .join("\n")
});
