//! `Request::from_json`, lephi's own JSON reader, against serde's derived reader: the same
//! request from the same text, the same texts refused, and messages that say what and where.

use lephi::model::{ApplicantKind, Channel, Direction};
use lephi::quote::InputValue;
use lephi::Request;
use proptest::prelude::*;

fn refused(text: &str) -> String {
    match Request::from_json(text) {
        Ok(r) => panic!("{text} was read as {r:?}"),
        Err(e) => match e.kind() {
            lephi::ErrorKind::RequestInvalid { message } => message.clone(),
            _ => panic!("{text}: {e}"),
        },
    }
}

/// serde_json's reading of the same text, through `Request`'s derived `Deserialize`.
fn serde_reading(text: &str) -> Result<Request, serde_json::Error> {
    serde_json::from_str(text)
}

#[test]
fn reads_every_field() {
    let text = r#" {
  "procedure": "p\u00e9\ud83d\ude00\n\"/\\",
  "jurisdiction": "vn/ha-tinh",
  "date": "2024-05-01",
  "channel": "level_4",
  "applicant": {"kind": "organisation", "categories": ["student", "elderly"]},
  "inputs": {"copies": 3, "declared_value": "1500000.5", "copies": 4},
  "postage": {"direction": "both", "zone": "inner_city", "weight_grams": 4294967295, "collect_fees": true}
}
"#;
    let r = Request::from_json(text).unwrap();
    assert_eq!(r.procedure, "pé😀\n\"/\\");
    assert_eq!(r.jurisdiction, "vn/ha-tinh");
    assert_eq!(r.date.to_string(), "2024-05-01");
    assert_eq!(r.channel, Channel::OnlineFull);
    assert_eq!(r.applicant.kind, ApplicantKind::Organisation);
    assert_eq!(r.applicant.categories, ["student", "elderly"]);
    // A name given twice keeps its last value, as a map does.
    assert_eq!(r.inputs["copies"], InputValue::Integer(4));
    assert_eq!(
        r.inputs["declared_value"],
        InputValue::Text("1500000.5".into())
    );
    let p = r.postage.as_ref().unwrap();
    assert_eq!(p.direction, Direction::Both);
    assert_eq!(
        (p.zone.as_str(), p.weight_grams, p.collect_fees),
        ("inner_city", u32::MAX, true)
    );
    assert_eq!(r, serde_reading(text).unwrap());
}

#[test]
fn defaults_and_null_postage() {
    let r = Request::from_json(
        r#"{"date":" 2024-05-01 ","procedure":"p","postage":null,"applicant":{},"inputs":{}}"#,
    )
    .unwrap();
    assert_eq!(r, Request::new("p", "2024-05-01").unwrap());
}

#[test]
fn messages_say_what_and_where() {
    let cases: &[(&str, &str)] = &[
        ("", "EOF while parsing a value at line 1 column 1"),
        ("[]", "invalid type: sequence, expected a request object at line 1 column 1"),
        (
            r#"{"procedure":"p","date":"2024-01-01","colour":"red"}"#,
            "unknown field `colour`, expected one of `procedure`, `jurisdiction`, `date`, `channel`, `applicant`, `inputs`, `postage` at line 1 column 38",
        ),
        (
            "{\"procedure\":\"p\",\n \"procedure\":\"q\"}",
            "duplicate field `procedure` at line 2 column 2",
        ),
        (r#"{"procedure":"p"}"#, "missing field `date` at line 1 column 17"),
        (
            r#"{"procedure":"p","date":"2024-02-30"}"#,
            "`2024-02-30` is not a date (expected `YYYY-MM-DD`) in `date` at line 1 column 25",
        ),
        (
            r#"{"procedure":5}"#,
            "invalid type: integer `5`, expected a string in `procedure` at line 1 column 14",
        ),
        (
            r#"{"procedure":"p","date":"2024-01-01","channel":"fax"}"#,
            "unknown variant `fax`, expected one of `in_person`, `postal`, `online_partial`, `online_full` in `channel` at line 1 column 48",
        ),
        (
            r#"{"procedure":"p","date":"2024-01-01","inputs":{"declared_value":1.50}}"#,
            "`1.50` is a floating-point number; give money as a decimal string such as \"1500000.5\" in `inputs.declared_value` at line 1 column 65",
        ),
        (
            r#"{"procedure":"p","date":"2024-01-01","inputs":{"copies":-2}}"#,
            "`-2` is negative (inputs are ≥ 0) in `inputs.copies` at line 1 column 57",
        ),
        (
            r#"{"procedure":"p","date":"2024-01-01","inputs":{"copies":18446744073709551616}}"#,
            "`18446744073709551616` is too large (whole numbers go up to 18446744073709551615; give money as a decimal string) in `inputs.copies` at line 1 column 57",
        ),
        (
            r#"{"procedure":"p","date":"2024-01-01","inputs":{"copies":[1]}}"#,
            "invalid type: sequence, expected an integer or a string (money as a decimal string, never a float) in `inputs.copies` at line 1 column 57",
        ),
        (
            r#"{"procedure":"p","date":"2024-01-01","postage":{"direction":"send","zone":"z","weight_grams":4294967296}}"#,
            "invalid value: integer `4294967296`, expected a whole number of grams (u32) in `postage.weight_grams` at line 1 column 94",
        ),
        (
            r#"{"procedure":"p","date":"2024-01-01","postage":{"direction":"send","zone":"z"}}"#,
            "missing field `weight_grams` in `postage` at line 1 column 78",
        ),
        (
            r#"{"procedure":"p","date":"2024-01-01","applicant":{"categories":"student"}}"#,
            "invalid type: string \"student\", expected a list of strings in `applicant.categories` at line 1 column 64",
        ),
        (r#"{"procedure":"p",}"#, "expected a key in double quotes at line 1 column 18"),
        (r#"{"procedure" "p"}"#, "expected `:` at line 1 column 14"),
        (r#"{"procedure":"p" "date":"2024-01-01"}"#, "expected `,` or `}` at line 1 column 18"),
        (r#"{"procedure":"a	b"}"#, "control character (\\u0000-\\u001F) found while parsing a string in `procedure` at line 1 column 16"),
        (r#"{"procedure":"\q"}"#, "invalid escape in `procedure` at line 1 column 16"),
        (r#"{"procedure":"\ud800x"}"#, "lone leading surrogate in hex escape in `procedure` at line 1 column 21"),
        (r#"{"procedure":"\udc00"}"#, "lone trailing surrogate in hex escape in `procedure` at line 1 column 21"),
        (r#"{"procedure":"p","date":"2024-01-01"} x"#, "trailing characters at line 1 column 39"),
        (r#"{"procedure":"p","date":"2024-01-01","postage":nul}"#, "expected value in `postage` at line 1 column 48"),
        (r#"{"procedure":"p","date":"2024-01-01","inputs":{"copies":01}}"#, "expected `,` or `}` in `inputs` at line 1 column 58"),
        (r#"{"procedure":"p","date":"2024-01-01","inputs":{"copies":1.}}"#, "invalid number in `inputs.copies` at line 1 column 59"),
        // A field is named as its key is written, escapes and all; a backtick in it is quoted.
        (r#"{"procedure":"p","date":"2024-01-01","inputs":{"c\u006fpies":-1}}"#, "`-1` is negative (inputs are ≥ 0) in `inputs.c\\u006fpies` at line 1 column 62"),
        (r#"{"procedure":"p","date":"2024-01-01","inputs":{"a`b":true}}"#, "invalid type: boolean `true`, expected an integer or a string (money as a decimal string, never a float) in \"inputs.a`b\" at line 1 column 54"),
        (r#"{"procedure":"p","date":"ngày"#, "EOF while parsing a string in `date` at line 1 column 30"),
        (r#"{"procedure":"p","date":"2024-01-01""#, "EOF while parsing an object at line 1 column 37"),
        ("{\"procedure\":\"\u{1ec7}\",\"x`\":1}", "unknown field \"x`\", expected one of `procedure`, `jurisdiction`, `date`, `channel`, `applicant`, `inputs`, `postage` at line 1 column 18"),
    ];
    for (text, message) in cases {
        assert_eq!(refused(text), *message, "{text}");
        assert!(serde_reading(text).is_err(), "serde reads {text}");
        // Every one reads in Vietnamese too, with its place.
        let vi = Request::from_json(text).unwrap_err().text(lephi::Lang::Vi);
        assert!(vi.contains(" (dòng "), "{vi}");
        for english in [
            "expected", "field", "invalid", "EOF", "parsing", "trailing", "variant", "negative",
            "large",
        ] {
            assert!(!vi.contains(english), "{english} in {vi}");
        }
    }
}

#[test]
fn messages_read_in_vietnamese() {
    let vi = |text: &str| Request::from_json(text).unwrap_err().text(lephi::Lang::Vi);
    assert_eq!(
        vi(r#"{"procedure":"p","date":"2024-01-01","colour":"red"}"#),
        "yêu cầu không hợp lệ: không có trường `colour` (các trường hợp lệ: `procedure`, `jurisdiction`, `date`, `channel`, `applicant`, `inputs`, `postage`) (dòng 1, cột 38)"
    );
    assert_eq!(
        vi(r#"{"procedure":5}"#),
        "yêu cầu không hợp lệ: sai kiểu: có số nguyên `5`, cần một chuỗi ở `procedure` (dòng 1, cột 14)"
    );
    assert_eq!(
        vi(r#"{"procedure":"p","date":"2024-01-01","inputs":{"declared_value":1.5}}"#),
        "yêu cầu không hợp lệ: `1.5` là số thực; hãy ghi số tiền dạng chuỗi số thập phân, ví dụ \"1500000.5\" ở `inputs.declared_value` (dòng 1, cột 65)"
    );
    assert_eq!(
        vi(r#"{"procedure":"p","date":"2024-01-01","inputs":{"a`b":true}}"#),
        "yêu cầu không hợp lệ: sai kiểu: có giá trị logic `true`, cần một số nguyên hoặc một chuỗi (số tiền là chuỗi số thập phân, không dùng số thực) ở \"inputs.a`b\" (dòng 1, cột 54)"
    );
    // A date given through the Rust API, and a message the reader does not write, kept as is.
    assert_eq!(
        Request::new("p", "2024-13-01").unwrap_err().text(lephi::Lang::Vi),
        "yêu cầu không hợp lệ: `2024-13-01` không phải là ngày (cần dạng `YYYY-MM-DD`, từ năm 1900 đến 2999)"
    );
}

/// Pieces of requests, right and wrong, for the generated texts below.
const KEYS: [&str; 17] = [
    "procedure",
    "jurisdiction",
    "date",
    "channel",
    "applicant",
    "inputs",
    "postage",
    "kind",
    "categories",
    "direction",
    "zone",
    "weight_grams",
    "collect_fees",
    "copies",
    "declared_value",
    "colour",
    "pro\\u0063edure",
];

const SCALARS: [&str; 44] = [
    "\"p\"",
    "\"vn\"",
    "\"vn/ha-tinh\"",
    "\"2024-05-01\"",
    "\" 2024-05-01\"",
    "\"2024-02-30\"",
    "\"24-05-01\"",
    "\"in_person\"",
    "\"online_full\"",
    "\"level_3\"",
    "\"muc_do_4\"",
    "\"fax\"",
    "\"send\"",
    "\"return\"",
    "\"both\"",
    "\"individual\"",
    "\"organisation\"",
    "\"student\"",
    "\"1500000.5\"",
    "\"a\\u0041\\n\\/\"",
    "\"\\ud83d\\ude00\"",
    "\"\\ud83d\"",
    "\"\\x\"",
    "\"tab\there\"",
    "\"\u{1ec7}\"",
    "0",
    "1",
    "100",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "-1",
    "-0",
    "1.5",
    "1e3",
    "0.0",
    "01",
    "1.",
    "true",
    "false",
    "null",
    "nul",
    "[]",
];

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(&SCALARS[..]).prop_map(str::to_string),
        any::<u64>().prop_map(|n| n.to_string()),
        "[a-z_]{0,8}".prop_map(|s| format!("\"{s}\"")),
    ]
}

fn ws() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(&["", "", "", " ", "\n", "\t ", "\r\n"][..])
}

fn key() -> impl Strategy<Value = String> {
    (proptest::sample::select(&KEYS[..]), ws(), ws()).prop_map(|(k, a, b)| format!("{a}\"{k}\"{b}"))
}

fn object(member: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    (proptest::collection::vec((key(), member), 0..5), ws()).prop_map(|(members, w)| {
        let inner: Vec<String> = members
            .into_iter()
            .map(|(k, v)| format!("{k}:{v}"))
            .collect();
        format!("{{{}{w}}}", inner.join(","))
    })
}

fn list() -> impl Strategy<Value = String> {
    proptest::collection::vec(scalar(), 0..3).prop_map(|items| format!("[{}]", items.join(",")))
}

/// A JSON-ish text shaped like a request: objects of known and unknown keys, two levels deep.
fn text() -> impl Strategy<Value = String> {
    let value = prop_oneof![scalar(), list(), object(scalar())];
    (object(value), ws()).prop_map(|(o, w)| format!("{w}{o}{w}"))
}

/// A valid request text, for small damage.
fn valid() -> impl Strategy<Value = String> {
    (
        proptest::sample::select(&["in_person", "online_full", "level_3"][..]),
        proptest::sample::select(&["send", "return", "both"][..]),
        0u32..5000,
    )
        .prop_map(|(channel, direction, grams)| {
            format!(
                r#"{{"procedure": "driver-licence.issue", "jurisdiction": "vn/ha-tinh", "date": "2024-05-01", "channel": "{channel}", "applicant": {{"kind": "individual", "categories": ["student"]}}, "inputs": {{"copies": 2, "declared_value": "1500000"}}, "postage": {{"direction": "{direction}", "zone": "inner_city", "weight_grams": {grams}, "collect_fees": false}}}}"#
            )
        })
}

fn damaged() -> impl Strategy<Value = String> {
    (
        valid(),
        any::<prop::sample::Index>(),
        0u8..3,
        proptest::sample::select(
            &[
                '"', ',', ':', '{', '}', '[', ']', '\\', 'x', '1', '-', '.', ' ',
            ][..],
        ),
    )
        .prop_map(|(text, at, how, c)| {
            let mut chars: Vec<char> = text.chars().collect();
            let i = at.index(chars.len());
            match how {
                0 => {
                    chars.remove(i);
                }
                1 => chars.insert(i, c),
                _ => chars[i] = c,
            }
            chars.into_iter().collect()
        })
}

fn agree(text: &str) -> Result<(), TestCaseError> {
    match (Request::from_json(text), serde_reading(text)) {
        (Ok(ours), Ok(theirs)) => prop_assert_eq!(ours, theirs, "{}", text),
        (Err(_), Err(_)) => {}
        (ours, theirs) => prop_assert!(false, "{text}\nlephi: {ours:?}\nserde: {theirs:?}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn reads_like_serde_on_request_shaped_texts(text in text()) {
        agree(&text)?;
    }

    #[test]
    fn reads_valid_requests_like_serde(text in valid()) {
        prop_assert!(Request::from_json(&text).is_ok());
        agree(&text)?;
    }

    #[test]
    fn reads_like_serde_on_damaged_requests(text in damaged()) {
        agree(&text)?;
    }

    #[test]
    fn reads_like_serde_on_any_text(text in "[{}\\[\\]\",:0-9a-z \\\\.-]{0,40}") {
        agree(&text)?;
    }
}
