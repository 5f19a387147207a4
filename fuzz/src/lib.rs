//! What the fuzz targets share: the exact decimal value of a JSON number text, the
//! ECMAScript number serialisation that RFC 8785 §3.2.2.3 prescribes (written here from
//! ECMA-262 `Number::toString`, independently of the core's canonicaliser), how a fuzz
//! input becomes a number text, and the demo keys and sealed heads.

pub mod decimal;
pub mod demo;
