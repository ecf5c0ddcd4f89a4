//! The programme's fixed enumerations (../shared/docs/api.md): one code each, a zh-CN and an
//! en label, and the Chinese forms a city's spreadsheet may use for it.

use crate::i18n::Locale;

/// A fixed enumeration of the programme.
pub trait Enumeration: Sized + Copy + 'static {
    /// The name of the enumeration in the API (`industry`, `group`, …).
    const NAME: &'static str;
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;
    fn zh(self) -> &'static str;
    fn en(self) -> &'static str;
    /// Other Chinese spellings accepted on import (short forms).
    fn aliases(self) -> &'static [&'static str];

    fn label(self, locale: Locale) -> &'static str {
        match locale {
            Locale::en => self.en(),
            _ => self.zh(),
        }
    }

    /// The API code only.
    fn from_code(code: &str) -> Option<Self> {
        Self::all().iter().copied().find(|v| v.code() == code)
    }

    /// The code, the Chinese label or one of its short forms, as a spreadsheet may hold it.
    fn parse_lenient(text: &str) -> Option<Self> {
        let text = text.trim();
        Self::all().iter().copied().find(|v| {
            v.code().eq_ignore_ascii_case(text) || v.zh() == text || v.aliases().contains(&text)
        })
    }
}

macro_rules! enumeration {
    (
        $(#[$meta:meta])*
        $name:ident, $api_name:literal {
            $( $variant:ident = $code:literal, $zh:literal, $en:literal $(, [$($alias:literal),*])? ; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        pub enum $name {
            $( #[serde(rename = $code)] $variant, )+
        }

        // The schema lists the codes the API speaks (the derive would list variant names).
        #[cfg(feature = "ssr")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code),+]))
                    .into()
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::ToSchema for $name {}

        impl $crate::reference::Enumeration for $name {
            const NAME: &'static str = $api_name;
            fn all() -> &'static [Self] {
                &[$(Self::$variant),+]
            }
            fn code(self) -> &'static str {
                match self { $(Self::$variant => $code,)+ }
            }
            fn zh(self) -> &'static str {
                match self { $(Self::$variant => $zh,)+ }
            }
            fn en(self) -> &'static str {
                match self { $(Self::$variant => $en,)+ }
            }
            fn aliases(self) -> &'static [&'static str] {
                match self { $(Self::$variant => &[$($($alias),*)?],)+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::reference::Enumeration::code(*self))
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::reference::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <Self as $crate::reference::Enumeration>::from_code(s)
                    .ok_or($crate::reference::UnknownCode { enumeration: $api_name })
            }
        }
    };
}

pub(crate) use enumeration;

/// A value that is not one of the enumeration's codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a known {enumeration} code")]
pub struct UnknownCode {
    pub enumeration: &'static str,
}

enumeration! {
    /// The ten industry areas of the plan (行业领域).
    Industry, "industry" {
        AdvancedManufacturing = "advanced_manufacturing", "先进制造业", "Advanced manufacturing", ["先进制造"];
        DigitalEconomy = "digital_economy", "数字经济", "Digital economy";
        LowAltitude = "low_altitude", "低空经济", "Low-altitude economy";
        Transport = "transport", "交通运输", "Transport";
        Agriculture = "agriculture", "农业农村", "Agriculture and rural";
        LifeServices = "life_services", "生活服务业", "Life services", ["生活服务"];
        ElderlyChildcare = "elderly_childcare", "养老托育", "Elderly care and childcare";
        ConstructionProperty = "construction_property", "建筑施工及物业管理", "Construction and property management", ["建筑施工", "物业管理"];
        CultureTourism = "culture_tourism", "文旅行业", "Culture and tourism", ["文旅", "文化旅游"];
        SafetyEmergency = "safety_emergency", "安全应急", "Safety and emergency";
    }
}

enumeration! {
    /// The groups a course may be open to (面向群体).
    Group, "group" {
        EnterpriseWorker = "enterprise_worker", "企业职工", "Enterprise workers";
        Graduate = "graduate", "高校毕业生", "College graduates";
        Youth = "youth", "青年", "Young people";
        MigrantWorker = "migrant_worker", "农民工", "Migrant workers", ["农村转移劳动力"];
        Veteran = "veteran", "退役军人", "Veterans";
        Disabled = "disabled", "残疾人", "People with disabilities";
        Unemployed = "unemployed", "登记失业人员", "Registered unemployed", ["失业人员"];
        PovertyMonitored = "poverty_monitored", "防止返贫监测对象", "Poverty-monitored households", ["脱贫劳动力"];
        HydroMigrant = "hydro_migrant", "水利水电移民", "Hydro-project migrants";
        EmploymentDifficulty = "employment_difficulty", "就业困难人员", "People with employment difficulty";
        General = "general", "其他劳动者", "Other workers";
    }
}

enumeration! {
    /// Skill levels (新八级工), and `none` for a course that leads to no level.
    Level, "level" {
        Apprentice = "apprentice", "学徒工", "Apprentice";
        Level5 = "level5", "初级工", "Junior (level 5)", ["五级", "初级工（五级）", "初级工(五级)", "初级"];
        Level4 = "level4", "中级工", "Intermediate (level 4)", ["四级", "中级工（四级）", "中级工(四级)", "中级"];
        Level3 = "level3", "高级工", "Senior (level 3)", ["三级", "高级工（三级）", "高级工(三级)", "高级"];
        Level2 = "level2", "技师", "Technician (level 2)", ["二级", "技师（二级）", "技师(二级)"];
        Level1 = "level1", "高级技师", "Senior technician (level 1)", ["一级", "高级技师（一级）", "高级技师(一级)"];
        SpecialTechnician = "special_technician", "特级技师", "Special technician";
        ChiefTechnician = "chief_technician", "首席技师", "Chief technician";
        None = "none", "无", "No level";
    }
}

enumeration! {
    /// The certificate a course leads to (证书类型).
    CertificateType, "certificate_type" {
        SkillLevel = "skill_level", "职业技能等级证书", "Vocational skill level certificate";
        Qualification = "qualification", "职业资格证书", "Vocational qualification certificate";
        SpecialAbility = "special_ability", "专项职业能力证书", "Special vocational ability certificate";
        SpecialOperation = "special_operation", "特种作业操作证", "Special operations permit";
        Completion = "completion", "培训合格证明", "Certificate of completion";
    }
}

enumeration! {
    /// When and how a class meets (班型).
    ClassFormat, "class_format" {
        FullTime = "full_time", "全日制", "Full-time";
        Night = "night", "夜校班", "Evening classes", ["夜校"];
        Weekend = "weekend", "周末班", "Weekend classes";
        Holiday = "holiday", "假日班", "Holiday classes";
        Online = "online", "线上", "Online", ["线上班"];
        Blended = "blended", "线上线下", "Blended (online and in person)", ["线上线下结合"];
    }
}

enumeration! {
    /// The kind of class (办班类型).
    ClassType, "class_type" {
        ProvincialDemo = "provincial_demo", "省级示范班", "Provincial model class";
        EnterpriseOrder = "enterprise_order", "企业订单班", "Employer-ordered class";
        CountyBrand = "county_brand", "区县品牌班", "County brand class";
        CommunityPublic = "community_public", "社区公益班", "Community class";
        Regular = "regular", "常规班", "Regular class";
    }
}

enumeration! {
    /// Accessibility features of a class (无障碍).
    Accessibility, "accessibility" {
        BarrierFreeVenue = "barrier_free_venue", "无障碍场所", "Barrier-free venue";
        SignLanguage = "sign_language", "手语", "Sign language";
        Captions = "captions", "字幕", "Captions";
        LargePrint = "large_print", "大字版", "Large print";
        OnlineOption = "online_option", "可线上学习", "Can be followed online";
    }
}

enumeration! {
    /// Sichuan's 21 cities and prefectures (GB/T 2260 codes).
    City, "city" {
        Chengdu = "510100", "成都市", "Chengdu", ["成都"];
        Zigong = "510300", "自贡市", "Zigong", ["自贡"];
        Panzhihua = "510400", "攀枝花市", "Panzhihua", ["攀枝花"];
        Luzhou = "510500", "泸州市", "Luzhou", ["泸州"];
        Deyang = "510600", "德阳市", "Deyang", ["德阳"];
        Mianyang = "510700", "绵阳市", "Mianyang", ["绵阳"];
        Guangyuan = "510800", "广元市", "Guangyuan", ["广元"];
        Suining = "510900", "遂宁市", "Suining", ["遂宁"];
        Neijiang = "511000", "内江市", "Neijiang", ["内江"];
        Leshan = "511100", "乐山市", "Leshan", ["乐山"];
        Nanchong = "511300", "南充市", "Nanchong", ["南充"];
        Meishan = "511400", "眉山市", "Meishan", ["眉山"];
        Yibin = "511500", "宜宾市", "Yibin", ["宜宾"];
        GuangAn = "511600", "广安市", "Guang'an", ["广安"];
        Dazhou = "511700", "达州市", "Dazhou", ["达州"];
        YaAn = "511800", "雅安市", "Ya'an", ["雅安"];
        Bazhong = "511900", "巴中市", "Bazhong", ["巴中"];
        Ziyang = "512000", "资阳市", "Ziyang", ["资阳"];
        Aba = "513200", "阿坝藏族羌族自治州", "Ngawa Tibetan and Qiang Autonomous Prefecture", ["阿坝州", "阿坝"];
        Ganzi = "513300", "甘孜藏族自治州", "Garzê Tibetan Autonomous Prefecture", ["甘孜州", "甘孜"];
        Liangshan = "513400", "凉山彝族自治州", "Liangshan Yi Autonomous Prefecture", ["凉山州", "凉山"];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_unique<E: Enumeration + PartialEq + std::fmt::Debug>() {
        for (i, a) in E::all().iter().enumerate() {
            for b in &E::all()[i + 1..] {
                assert_ne!(a.code(), b.code(), "{} codes", E::NAME);
                assert_ne!(a.zh(), b.zh(), "{} labels", E::NAME);
            }
            assert_eq!(E::parse_lenient(a.code()), Some(*a));
            assert_eq!(E::parse_lenient(a.zh()), Some(*a));
            for alias in a.aliases() {
                assert_eq!(E::parse_lenient(alias), Some(*a), "{alias}");
            }
        }
    }

    #[test]
    fn codes_labels_and_aliases_are_unambiguous() {
        check_unique::<Industry>();
        check_unique::<Group>();
        check_unique::<Level>();
        check_unique::<CertificateType>();
        check_unique::<ClassFormat>();
        check_unique::<ClassType>();
        check_unique::<Accessibility>();
        check_unique::<City>();
    }

    #[test]
    fn the_programme_has_ten_areas_and_twenty_one_cities() {
        assert_eq!(Industry::all().len(), 10);
        assert_eq!(City::all().len(), 21);
        assert_eq!(City::parse_lenient("成都"), Some(City::Chengdu));
        assert_eq!(City::parse_lenient("凉山彝族自治州"), Some(City::Liangshan));
        assert_eq!(Level::parse_lenient("五级"), Some(Level::Level5));
        assert_eq!(
            Industry::parse_lenient("物业管理"),
            Some(Industry::ConstructionProperty)
        );
        assert_eq!(
            Group::parse_lenient("脱贫劳动力"),
            Some(Group::PovertyMonitored)
        );
        assert_eq!(Industry::parse_lenient("飞行汽车"), None);
    }

    #[test]
    fn serde_uses_the_api_codes() {
        assert_eq!(serde_json::to_string(&City::Chengdu).unwrap(), "\"510100\"");
        assert_eq!(
            serde_json::from_str::<Industry>("\"low_altitude\"").unwrap(),
            Industry::LowAltitude
        );
    }
}
