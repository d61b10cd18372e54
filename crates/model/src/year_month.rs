//! 出生年月: a year and a month, written `1985-03`.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct YearMonth {
    year: u16,
    month: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("出生年月应写成“1985-03”或“1985.3”，月份为1到12")]
pub struct YearMonthError;

impl YearMonth {
    pub fn new(year: u16, month: u8) -> Result<Self, YearMonthError> {
        if (1900..=2200).contains(&year) && (1..=12).contains(&month) {
            Ok(Self { year, month })
        } else {
            Err(YearMonthError)
        }
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    /// Reads `1985-03`, `1985-3`, `1985.3`, `1985/03` or `1985年3月`.
    pub fn parse(text: &str) -> Result<Self, YearMonthError> {
        let text = text.trim().trim_end_matches('月');
        let (year, month) = text
            .split_once(['-', '.', '/', '年'])
            .ok_or(YearMonthError)?;
        let year = year.parse().map_err(|_| YearMonthError)?;
        let month = month.parse().map_err(|_| YearMonthError)?;

        Self::new(year, month)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl fmt::Debug for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl TryFrom<String> for YearMonth {
    type Error = YearMonthError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<YearMonth> for String {
    fn from(ym: YearMonth) -> Self {
        ym.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_usual_spellings() {
        let march = YearMonth::new(1985, 3).unwrap();
        for text in ["1985-03", "1985-3", "1985.3", "1985/03", "1985年3月"] {
            assert_eq!(YearMonth::parse(text), Ok(march), "{text}");
        }
        assert_eq!(march.to_string(), "1985-03");
        assert!(YearMonth::parse("1985-13").is_err());
        assert!(YearMonth::parse("1985").is_err());
    }
}
