//! The PRC resident identity number (居民身份证号码), GB 11643-1999.
//!
//! Eighteen characters: a six-digit area code, an eight-digit birth date, a
//! three-digit sequence and a check character computed by ISO 7064 MOD 11-2.
//! The number is sensitive personal data: lists show it only through
//! [`ResidentId::masked`].

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Weights of the first seventeen digits in the MOD 11-2 check.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check characters indexed by the weighted sum modulo 11.
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Why a resident ID number was refused. `Display` gives the message shown
/// to users, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResidentIdError {
    #[error("身份证号应为18位，现为{0}位")]
    Length(usize),
    #[error("身份证号前17位只能是数字，末位是数字或X")]
    Characters,
    #[error("身份证号中的出生日期{0}不存在")]
    BirthDate(String),
    #[error("身份证号校验位不正确，请核对每一位")]
    CheckCharacter,
}

/// A resident ID number that passed every check, held in its normal form
/// (upper-case `X`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResidentId(String);

impl ResidentId {
    /// Checks `text` and returns it in normal form. Surrounding spaces are
    /// ignored and a lower-case `x` is accepted.
    pub fn parse(text: &str) -> Result<Self, ResidentIdError> {
        let normal = text.trim().to_ascii_uppercase();
        let length = normal.chars().count();
        if length != 18 {
            return Err(ResidentIdError::Length(length));
        }
        let bytes = normal.as_bytes();
        let digits_ok = bytes[..17].iter().all(u8::is_ascii_digit);
        let last_ok = bytes[17].is_ascii_digit() || bytes[17] == b'X';
        if !digits_ok || !last_ok {
            return Err(ResidentIdError::Characters);
        }
        birth_date(&normal[6..14])?;
        if check_char(&bytes[..17]) != char::from(bytes[17]) {
            return Err(ResidentIdError::CheckCharacter);
        }

        Ok(Self(normal))
    }

    /// The number in normal form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The birth date written in the number.
    pub fn birth_date(&self) -> NaiveDate {
        birth_date(&self.0[6..14]).expect("checked when parsed")
    }

    /// The last `n` characters, which users type to find a household.
    pub fn tail(&self, n: usize) -> &str {
        &self.0[18 - n.min(18)..]
    }

    /// The number as lists show it: the first four and last four characters,
    /// stars between.
    pub fn masked(&self) -> String {
        format!("{}{}{}", &self.0[..4], "*".repeat(10), &self.0[14..])
    }
}

/// The check character for the first seventeen digits.
pub fn check_char(first17: &[u8]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();

    CHECK_CHARS[(sum % 11) as usize]
}

fn birth_date(yyyymmdd: &str) -> Result<NaiveDate, ResidentIdError> {
    let parsed = NaiveDate::parse_from_str(yyyymmdd, "%Y%m%d")
        .ok()
        .filter(|date| date.format("%Y").to_string().as_str() >= "1900");

    parsed.ok_or_else(|| ResidentIdError::BirthDate(yyyymmdd.to_owned()))
}

impl TryFrom<String> for ResidentId {
    type Error = ResidentIdError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<ResidentId> for String {
    fn from(id: ResidentId) -> Self {
        id.0
    }
}

/// Shows the masked form, so that a stray `{:?}` in a log never leaks the
/// whole number.
impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A number built from an area code, a date and a sequence, with its
    /// correct check character.
    fn valid(prefix17: &str) -> String {
        format!("{prefix17}{}", check_char(prefix17.as_bytes()))
    }

    #[test]
    fn accepts_a_valid_number() {
        let text = valid("52010219850312123");
        let id = ResidentId::parse(&text).unwrap();
        assert_eq!(id.as_str(), text);
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1985, 3, 12).unwrap()
        );
    }

    #[test]
    fn known_number_with_x_check_character() {
        // The worked example of GB 11643: check character X.
        assert_eq!(check_char(b"11010519491231002"), 'X');
        assert!(ResidentId::parse("11010519491231002X").is_ok());
    }

    #[test]
    fn lower_case_x_is_accepted_and_normalised() {
        let id = ResidentId::parse(" 11010519491231002x ").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn wrong_check_character_is_refused() {
        assert_eq!(
            ResidentId::parse("110105194912310021"),
            Err(ResidentIdError::CheckCharacter)
        );
    }

    #[test]
    fn impossible_birth_dates_are_refused() {
        for date in ["19990230", "20010229", "19991301", "19990000", "18991231"] {
            let text = valid(&format!("520102{date}123"));
            assert_eq!(
                ResidentId::parse(&text),
                Err(ResidentIdError::BirthDate(date.into())),
                "{date}"
            );
        }
        assert!(ResidentId::parse(&valid("52010220000229123")).is_ok());
    }

    #[test]
    fn wrong_lengths_are_refused() {
        assert_eq!(
            ResidentId::parse("1101051949123100"),
            Err(ResidentIdError::Length(16))
        );
        assert_eq!(
            ResidentId::parse("11010519491231002X1"),
            Err(ResidentIdError::Length(19))
        );
        assert_eq!(ResidentId::parse(""), Err(ResidentIdError::Length(0)));
        assert_eq!(ResidentId::parse("一二三"), Err(ResidentIdError::Length(3)));
    }

    #[test]
    fn letters_in_the_body_are_refused() {
        assert_eq!(
            ResidentId::parse("1101051949123100XX"),
            Err(ResidentIdError::Characters)
        );
    }

    #[test]
    fn masked_and_debug_hide_the_middle() {
        let id = ResidentId::parse("11010519491231002X").unwrap();
        assert_eq!(id.masked(), "1101**********002X");
        assert_eq!(format!("{id:?}"), "ResidentId(1101**********002X)");
        assert_eq!(id.tail(4), "002X");
    }

    #[test]
    fn serde_refuses_an_invalid_number() {
        let bad: Result<ResidentId, _> = serde_json::from_str("\"110105194912310021\"");
        assert!(bad.is_err());
        let good: ResidentId = serde_json::from_str("\"11010519491231002x\"").unwrap();
        assert_eq!(good.as_str(), "11010519491231002X");
    }
}
