//! Quantities with at most two decimals: 元 (yuan) and 亩 (mu).
//!
//! Held as a whole number of hundredths, so sums are exact and a value comes
//! back from storage exactly as it was typed. The type can hold a negative
//! value, so that a wrong input can be carried to validation and reported with
//! its field; [`crate::validate`] refuses it there.

use std::fmt;
use std::iter::Sum;
use std::ops::Add;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An amount in hundredths of its unit.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "AmountRepr", into = "String")]
pub struct Amount(i64);

/// Why a typed amount was refused. `Display` is the message users see.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("请输入数字")]
    NotANumber,
    #[error("最多保留两位小数")]
    TooManyDecimals,
    #[error("数值过大")]
    TooLarge,
}

impl Amount {
    pub const ZERO: Amount = Amount(0);

    /// An amount of `hundredths` / 100 units.
    pub const fn from_hundredths(hundredths: i64) -> Self {
        Self(hundredths)
    }

    /// A whole number of units.
    pub const fn from_units(units: i64) -> Self {
        Self(units * 100)
    }

    pub const fn hundredths(self) -> i64 {
        self.0
    }

    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The value in units, for charts and for 万元 figures; not for sums.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Reads an amount as a user types it: `12`, `12.5`, `12.50`, `-3`.
    /// Spaces around it and a thousands comma are ignored.
    pub fn parse(text: &str) -> Result<Self, AmountError> {
        let cleaned: String = text.trim().chars().filter(|c| *c != ',').collect();
        let (negative, digits) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, cleaned.as_str()),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() && fraction.is_empty() || !all_digits(whole) || !all_digits(fraction) {
            return Err(AmountError::NotANumber);
        }
        if fraction.len() > 2 {
            return Err(AmountError::TooManyDecimals);
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| AmountError::TooLarge)?
        };
        let fraction: i64 = format!("{fraction:0<2}")
            .parse()
            .map_err(|_| AmountError::NotANumber)?;
        let hundredths = whole
            .checked_mul(100)
            .and_then(|h| h.checked_add(fraction))
            .ok_or(AmountError::TooLarge)?;

        Ok(Self(if negative { -hundredths } else { hundredths }))
    }
}

impl fmt::Display for Amount {
    /// The shortest exact decimal: `12`, `12.5`, `12.05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (whole, cents) = (abs / 100, abs % 100);
        match (cents, cents % 10) {
            (0, _) => write!(f, "{sign}{whole}"),
            (_, 0) => write!(f, "{sign}{whole}.{}", cents / 10),
            _ => write!(f, "{sign}{whole}.{cents:02}"),
        }
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Amount {
    type Err = AmountError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl Add for Amount {
    type Output = Amount;

    fn add(self, other: Amount) -> Amount {
        Amount(self.0.saturating_add(other.0))
    }
}

impl Sum for Amount {
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Amount {
        iter.fold(Amount::ZERO, Add::add)
    }
}

impl From<Amount> for String {
    fn from(amount: Amount) -> Self {
        amount.to_string()
    }
}

/// What the wire may carry for an amount: the canonical decimal string, or a
/// plain JSON number from a hand-written client.
#[derive(Deserialize)]
#[serde(untagged)]
enum AmountRepr {
    Text(String),
    Integer(i64),
}

impl TryFrom<AmountRepr> for Amount {
    type Error = AmountError;

    fn try_from(repr: AmountRepr) -> Result<Self, Self::Error> {
        match repr {
            AmountRepr::Text(text) => Amount::parse(&text),
            AmountRepr::Integer(units) => units
                .checked_mul(100)
                .map(Amount)
                .ok_or(AmountError::TooLarge),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_users_type() {
        assert_eq!(Amount::parse("12").unwrap().hundredths(), 1200);
        assert_eq!(Amount::parse("12.5").unwrap().hundredths(), 1250);
        assert_eq!(Amount::parse(" 1,200.05 ").unwrap().hundredths(), 120005);
        assert_eq!(Amount::parse(".5").unwrap().hundredths(), 50);
        assert_eq!(Amount::parse("-3").unwrap().hundredths(), -300);
    }

    #[test]
    fn refuses_three_decimals_and_text() {
        assert_eq!(Amount::parse("1.234"), Err(AmountError::TooManyDecimals));
        assert_eq!(Amount::parse("abc"), Err(AmountError::NotANumber));
        assert_eq!(Amount::parse(""), Err(AmountError::NotANumber));
        assert_eq!(Amount::parse("."), Err(AmountError::NotANumber));
        assert_eq!(Amount::parse("1e5"), Err(AmountError::NotANumber));
        assert_eq!(
            Amount::parse("99999999999999999999"),
            Err(AmountError::TooLarge)
        );
        assert_eq!(AmountError::TooManyDecimals.to_string(), "最多保留两位小数");
    }

    #[test]
    fn displays_the_shortest_exact_form() {
        for (hundredths, text) in [(1200, "12"), (1250, "12.5"), (1205, "12.05"), (-5, "-0.05")] {
            assert_eq!(Amount::from_hundredths(hundredths).to_string(), text);
            assert_eq!(Amount::parse(text).unwrap().hundredths(), hundredths);
        }
    }

    #[test]
    fn serde_uses_decimal_strings_and_accepts_integers() {
        let a = Amount::from_hundredths(123456);
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"1234.56\"");
        assert_eq!(serde_json::from_str::<Amount>("\"1234.56\"").unwrap(), a);
        assert_eq!(
            serde_json::from_str::<Amount>("7").unwrap(),
            Amount::from_units(7)
        );
        assert!(serde_json::from_str::<Amount>("\"1.001\"").is_err());
    }
}
