//! Unit tests over small whole definitions: which sections, anchors and entries come out.

use std::path::Path;

use super::reference;
use crate::apiref::{Reference, Source};
use crate::diagnostics::Code;

fn reference_of(text: &str) -> Reference {
    let source = Source {
        text,
        file: Path::new("/repo/catalog-info.yaml"),
        line: 1,
        root: Path::new("/repo"),
        markup: Default::default(),
    };
    reference(&source).expect("a reference")
}

fn anchors(r: &Reference) -> Vec<(String, Option<String>)> {
    r.outline
        .iter()
        .map(|o| (o.anchor.clone(), o.badge.clone()))
        .collect()
}

const V2: &str = "asyncapi: 2.6.0
info: {title: Accounts, version: '1.0'}
channels:
  user/signedup:
    description: New users.
    subscribe:
      operationId: onSignup
      summary: A user signed up.
      message: {$ref: '#/components/messages/UserSignedUp'}
  user/deleted:
    publish:
      message:
        oneOf:
          - {$ref: '#/components/messages/UserSignedUp'}
          - {name: userGone, payload: {type: string}}
components:
  messages:
    UserSignedUp:
      name: userSignedUp
      payload: {$ref: '#/components/schemas/User'}
  schemas:
    User: {type: object, properties: {id: {type: string}}}
";

#[test]
fn v2_channels_hold_their_publish_and_subscribe_in_order() {
    let r = reference_of(V2);
    let s = |a: &str, b: Option<&str>| (a.to_string(), b.map(str::to_string));
    assert_eq!(
        anchors(&r),
        [
            s("channel/user-signedup", None),
            s("operation/onSignup", Some("subscribe")),
            s("channel/user-deleted", None),
            s("operation/publish-user-deleted", Some("publish")),
            s("messages", None),
            s("message/UserSignedUp", None),
            s("schemas", None),
            s("schema/User", None),
        ]
    );
    let deleted = &r.sections[1].html;
    assert!(deleted.contains("One of these messages"), "{deleted}");
    assert!(
        deleted.contains("href=\"#message/UserSignedUp\""),
        "{deleted}"
    );
    assert!(deleted.contains("<code>userGone</code>"), "{deleted}");
    let op = r
        .search
        .iter()
        .find(|e| e.anchor == "operation/onSignup")
        .expect("searchable");
    assert_eq!(op.title, "subscribe user/signedup");
    assert!(op.text.contains("userSignedUp"), "{}", op.text);
}

const V3: &str = "asyncapi: 3.0.0
info: {title: Accounts, version: '2.0'}
channels:
  signup:
    address: user/signedup
    messages:
      signedUp: {$ref: '#/components/messages/UserSignedUp'}
  idle:
    address: idle/{id}
    parameters:
      id: {description: The id., enum: [a, b]}
operations:
  sendSignup:
    action: send
    channel: {$ref: '#/channels/signup'}
    messages: [{$ref: '#/channels/signup/messages/signedUp'}]
  lost:
    action: receive
    channel: {$ref: '#/channels/nowhere'}
components:
  messages:
    UserSignedUp: {name: userSignedUp, payload: {type: object}}
";

#[test]
fn v3_operations_go_under_the_channel_they_name() {
    let r = reference_of(V3);
    let s = |a: &str, b: Option<&str>| (a.to_string(), b.map(str::to_string));
    assert_eq!(
        anchors(&r),
        [
            s("channel/signup", None),
            s("operation/sendSignup", Some("send")),
            s("channel/idle", None),
            s("operations", None),
            s("operation/lost", Some("receive")),
            s("messages", None),
            s("message/UserSignedUp", None),
        ]
    );
    assert_eq!(r.sections[0].title, "user/signedup");
    // The operation's message ref goes through the channel to the component.
    assert!(
        r.sections[0]
            .html
            .contains("href=\"#message/UserSignedUp\"")
    );
    assert!(r.sections[1].html.contains("<code>id</code>"));
    let op = r.search.iter().find(|e| e.anchor == "operation/sendSignup");
    assert_eq!(op.map(|e| e.title.as_str()), Some("send user/signedup"));
    // The dangling channel ref is reported.
    assert!(r.diagnostics.iter().any(|d| d.code == Code::ApiRefDangling));
}

#[test]
fn an_unreadable_definition_is_reported_at_its_line() {
    let r = reference_of("asyncapi: 2.0.0\nchannels: [\n");
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(r.diagnostics[0].code, Code::ApiDefinitionInvalid);
    assert!(r.sections.is_empty());
}

#[test]
fn servers_show_url_or_host_and_protocol() {
    let r = reference_of(
        "asyncapi: 3.0.0\nservers:\n  prod: {host: 'k:9092', pathname: /v1, protocol: kafka, protocolVersion: '3.5'}\n  old: {url: 'mqtt://m', protocol: mqtt, security: [{apiKey: []}]}\n",
    );
    assert!(
        r.intro_html.contains("<code>k:9092/v1</code>"),
        "{}",
        r.intro_html
    );
    assert!(r.intro_html.contains("kafka 3.5"));
    assert!(r.intro_html.contains("security: apiKey"));
}

#[test]
fn hostile_text_is_escaped() {
    let r = reference_of(
        "asyncapi: 2.6.0\ninfo: {title: '<script>x</script>', version: '1'}\nchannels:\n  '\"><img src=x onerror=alert(1)>':\n    subscribe:\n      summary: '<b>hi</b>'\n      description: '<script>alert(2)</script>'\n      message:\n        examples: [{payload: '<script>alert(3)</script>'}]\n",
    );
    let all: String = r
        .sections
        .iter()
        .map(|s| s.html.as_str())
        .collect::<String>()
        + &r.intro_html;
    assert!(!all.contains("<script"), "{all}");
    assert!(!all.contains("<b>"), "{all}");
    assert!(!all.contains("onerror=alert(1)>"), "{all}");
    assert!(all.contains("&lt;script&gt;alert(3)"), "{all}");
}

#[test]
fn message_traits_lend_headers_and_content_type() {
    let r = reference_of(
        "asyncapi: 2.6.0\nchannels:\n  c:\n    subscribe:\n      message:\n        name: m\n        traits:\n          - {$ref: '#/components/messageTraits/common'}\ncomponents:\n  messageTraits:\n    common:\n      contentType: application/avro\n      headers: {type: object, properties: {traceId: {type: string}}}\n",
    );
    let html = &r.sections[0].html;
    assert!(html.contains("<code>application/avro</code>"), "{html}");
    assert!(html.contains("<code>traceId</code>"), "{html}");
}

#[test]
fn refs_that_leave_the_repository_or_loop_end_quietly() {
    let r = reference_of(
        "asyncapi: 2.6.0\nchannels:\n  a:\n    subscribe:\n      message: {$ref: '../outside.yaml#/m'}\n  b:\n    publish:\n      message: {$ref: '#/components/messages/x'}\ncomponents:\n  messages:\n    x: {$ref: '#/components/messages/y'}\n    y: {$ref: '#/components/messages/x'}\n",
    );
    let outside = r.diagnostics.iter().find(|d| d.code == Code::ApiRefOutside);
    assert_eq!(outside.and_then(|d| d.line), Some(5), "{:?}", r.diagnostics);
    // Both operations are still there, without messages.
    assert_eq!(r.outline.iter().filter(|o| o.badge.is_some()).count(), 2);
}
