//! The fixed option lists of the forms, each option with its label.
//!
//! Options are stored by a stable English identifier and shown by the
//! label the form prints. An option list's 其他 ("other") is not an option
//! here: it is the `other` text of a [`crate::ledger::MultiSelect`] or the
//! [`Pick::Other`] of a single choice.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// An option of a form's list.
pub trait Choice: Copy + Ord + Serialize + DeserializeOwned + fmt::Debug + 'static {
    /// Every option, in the order the form lists them.
    const ALL: &'static [Self];

    /// The option as the form prints it.
    fn label(self) -> &'static str;

    /// The option printed as `label`, if any.
    fn from_label(label: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|c| c.label() == label.trim())
    }
}

/// Declares an option list: the enum, its serde names and its labels.
macro_rules! choices {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $label:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant,)+ }

        impl Choice for $name {
            const ALL: &'static [Self] = &[$($name::$variant,)+];

            fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }
        }
    };
}

choices! {
    /// 致贫原因
    PovertyCause {
        Illness = "因病",
        Disability = "因残",
        Schooling = "因学",
        Disaster = "因灾",
        LackOfLand = "缺土地",
        LackOfWater = "缺水",
        LackOfSkills = "缺技术",
        LackOfLabour = "缺劳力",
        LackOfFunds = "缺资金",
        PoorTransport = "交通条件落后",
        Marriage = "因婚",
        LackOfDrive = "自身发展动力不足",
    }
}

choices! {
    /// 意向发展产业, also the list for 产业类型 and 经营主体产业类型.
    Industry {
        Tea = "茶叶",
        Vegetables = "蔬菜",
        EcologicalPoultry = "生态家禽",
        EdibleFungi = "食用菌",
        MedicinalHerbs = "中药材",
        Fruit = "水果",
        EarlyPotato = "早熟马铃薯",
        CoixSeed = "薏仁米",
        LiquorSorghum = "酿酒用高粱",
        Buckwheat = "荞麦",
        SpecialtyPigs = "特色生猪",
        BeefCattle = "优质肉牛",
        MuttonSheep = "优质肉羊",
        ColdWaterFish = "冷水鱼",
    }
}

choices! {
    /// 意向从事工作 and 主要从事工作
    WorkKind {
        OwnProduction = "自己生产管理",
        ProducingBusiness = "在生产类型的农业经营主体打工",
        ProcessingBusiness = "在加工类型的农业经营主体打工",
        SellingBusiness = "在销售类型的农业经营主体打工",
    }
}

choices! {
    /// 单位（亩、头、羽） of 产业规模
    ScaleUnit {
        Mu = "亩",
        Head = "头",
        Bird = "羽",
    }
}

choices! {
    /// 单位（公斤、头、羽） of a sales agreement
    SalesUnit {
        Kilogram = "公斤",
        Head = "头",
        Bird = "羽",
    }
}

choices! {
    /// 学历
    Education {
        Illiterate = "文盲或半文盲",
        Primary = "小学",
        JuniorMiddle = "初中",
        SeniorMiddle = "高中",
        Vocational = "中专",
        College = "大专",
        Bachelor = "本科及以上",
    }
}

choices! {
    /// 性别
    Sex {
        Male = "男",
        Female = "女",
    }
}

choices! {
    /// 指导员来源 (选聘来源), Attachments 2 and 3
    Source {
        TaskForce = "驻村工作队队员",
        FirstSecretary = "第一书记",
        PairedCadre = "结对帮扶干部",
        VillageCadre = "村组干部",
        ExtensionTechnician = "县乡基层农技人员",
        CollegeExpert = "大专院校专家",
        InstituteExpert = "科研教学单位专家",
        LocalExpert = "土专家",
        SkilledGrower = "种养能手",
        ProsperityLeader = "致富带头人",
        ContractedTechnician = "特聘农技员",
        ReturnedEntrepreneur = "返乡创业人员",
        BusinessLeader = "新型经营主体带头人",
        Other = "其他",
    }
}

/// A single choice from a list that has 其他 with its own text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", bound = "T: Choice")]
pub enum Pick<T: Choice> {
    Listed(T),
    Other(String),
}

impl<T: Choice> Pick<T> {
    pub fn label(&self) -> String {
        match self {
            Pick::Listed(choice) => choice.label().to_owned(),
            Pick::Other(text) => format!("其他（{text}）"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_and_lists_are_complete() {
        assert_eq!(PovertyCause::ALL.len(), 12);
        assert_eq!(Industry::ALL.len(), 14);
        assert_eq!(Source::ALL.len(), 14);
        for cause in PovertyCause::ALL {
            assert_eq!(PovertyCause::from_label(cause.label()), Some(*cause));
        }
        assert_eq!(
            Industry::from_label(" 冷水鱼"),
            Some(Industry::ColdWaterFish)
        );
        assert_eq!(Industry::from_label("其他"), None);
    }

    #[test]
    fn pick_labels_show_other_text() {
        assert_eq!(Pick::Listed(Industry::Tea).label(), "茶叶");
        assert_eq!(
            Pick::<Industry>::Other("刺梨".into()).label(),
            "其他（刺梨）"
        );
    }
}
