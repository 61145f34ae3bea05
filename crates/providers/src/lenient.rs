//! Lenient field decoders: provider answers differ from their specs in small ways (empty strings
//! for "unset", numbers as strings and back), and a list of numbers must not fail over one field.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A string where `null`, `""` and a missing field all mean "not set".
pub(crate) fn nonempty_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    })
}

/// A value that is sometimes a string, sometimes a number (prices, counts, ids, codes).
pub(crate) fn string_or_number<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    nonempty_string(d)
}

/// An integer that may come as a number or a numeric string; anything else is "not set".
pub(crate) fn integer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

/// A boolean that may also come as `"true"`, `"yes"`, `1` …
pub(crate) fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Bool(b)) => Some(b),
        Some(Value::Number(n)) => n.as_i64().map(|n| n != 0),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Some(true),
            "false" | "no" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    })
}

/// A list where `null` means empty.
pub(crate) fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Declares a string enum that keeps values it does not know (`Other`), so a new status from the
/// provider never breaks decoding.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident => $wire:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
        #[serde(from = "String", into = "String")]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept as sent.
            Other(String),
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Other(value) => value,
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $( $wire => Self::$variant, )+
                    _ => Self::Other(value),
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::from(value.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.as_str().to_owned()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use string_enum;

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Sample {
        #[serde(default, deserialize_with = "super::nonempty_string")]
        text: Option<String>,
        #[serde(default, deserialize_with = "super::integer")]
        number: Option<i64>,
        #[serde(default, deserialize_with = "super::boolean")]
        flag: Option<bool>,
        #[serde(default, deserialize_with = "super::list")]
        items: Vec<u8>,
    }

    fn sample(json: &str) -> Sample {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn lenient_fields() {
        let empty = sample(r#"{"text":"","number":null,"flag":"maybe","items":null}"#);
        assert_eq!(empty.text, None);
        assert_eq!(empty.number, None);
        assert_eq!(empty.flag, None);
        assert!(empty.items.is_empty());

        let missing = sample("{}");
        assert_eq!(missing.text, None);

        let full = sample(r#"{"text":42,"number":"30008","flag":"yes","items":[1,2]}"#);
        assert_eq!(full.text.as_deref(), Some("42"));
        assert_eq!(full.number, Some(30008));
        assert_eq!(full.flag, Some(true));
        assert_eq!(full.items, vec![1, 2]);
    }
}
